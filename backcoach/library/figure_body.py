"""The body of a pose figure: a small 3D skeleton, the camera that sees it, and the canvas
it is drawn on. Pure Python; figures.py puts frames together from these."""

import math
from dataclasses import dataclass, replace
from html import escape

# The body in centimetres (a standing figure is ~175 tall), so that props are to scale.
PELVIS, LUMBAR, THORACIC, NECK, HEAD_R = 12, 18, 26, 8, 10
UPPER_ARM, FOREARM = 30, 28
THIGH, SHIN, FOOT = 44, 42, 12
LIMB_W = 9
HALF_LIMB = LIMB_W / 2
# The trunk's depth (front to back: its width seen from the side) and breadth (side to
# side: its width seen from above), segment by segment.
TRUNK_DEPTH = {"pelvis": 20, "lumbar": 17, "thoracic": 19}
TRUNK_BREADTH = {"pelvis": 32, "lumbar": 27, "thoracic": 34}
HIP_HALF, SHOULDER_HALF = 9, 15

# Props as they are sold: a 15 cm foam roller, a 7 cm massage ball, a pillow 45 cm deep.
ROLLER_R, ROLLER_LENGTH = 7.5, 90
BALL_R = 3.5
PILLOW_LENGTH, PILLOW_BREADTH = 45, 65
PILLOW_MIN = 6  # a pillow pressed flat is still this thick
BED_DEPTH = 12

HIGHLIGHT = "#ff9f43"
PROP_FILL = "#7d93b2"
PILLOW_FILL = "#a9bad3"
SURFACE_FILL = "#4a5b73"
PAGE = "#0f141b"

# Where along the spine (0 = hip joints, 1 = shoulders) each back area lies.
SPINE_SPANS = {"lower-back": (0.2, 0.5), "mid-back": (0.5, 0.74), "upper-back": (0.72, 0.96)}
SPINE_POINTS = {"lower-back": 0.36, "mid-back": 0.62, "upper-back": 0.84, "glutes": 0.1}
FRONT_DIRECTIONS = {"right": 0, "up": 90, "left": 180, "down": 270}
# Camera turn about the vertical, then tilt down towards the floor, in degrees.
VIEWS = {"side": (0, 0), "above": (0, 90), "three-quarter": (-30, 40)}
INSETS = ("hands-under-back", "ball-under-back")
TRUNK = ("pelvis", "lumbar", "thoracic", "neck", "head")
LIMBS = ("upper_arm", "forearm", "thigh", "shin")
# Every angle a figure may give; torso and the near limbs are required.
ANGLE_KEYS = (
    "torso",
    *TRUNK,
    *LIMBS,
    *(f"far_{limb}" for limb in LIMBS),
    *(f"{limb}_side" for limb in LIMBS),
    *(f"far_{limb}_side" for limb in LIMBS),
    "foot",
    "far_foot",
    "twist",
    "roll",
)
# The parts a frame can say rest on the surface (`touches`), checked by the tests.
PARTS = (
    "pelvis",
    "lumbar",
    "thoracic",
    "neck",
    "head",
    *(f"{near}{part}" for near in ("", "far_") for part in (*LIMBS, "foot")),
)


@dataclass(frozen=True)
class Point:
    """A point or direction in the world: x right, y up, z towards the viewer (the near side)."""

    x: float
    y: float
    z: float = 0.0

    def __add__(self, other: "Point") -> "Point":
        return Point(self.x + other.x, self.y + other.y, self.z + other.z)

    def __sub__(self, other: "Point") -> "Point":
        return Point(self.x - other.x, self.y - other.y, self.z - other.z)

    def __mul__(self, k: float) -> "Point":
        return Point(self.x * k, self.y * k, self.z * k)


def towards(degrees: float, length: float = 1.0, side: float = 0.0) -> Point:
    """A direction `degrees` round in the side-view plane, swung `side` degrees out of it."""
    a, s = math.radians(degrees), math.radians(side)
    return Point(math.cos(a) * math.cos(s), math.sin(a) * math.cos(s), math.sin(s)) * length


def along(a: Point, b: Point, fraction: float) -> Point:
    return a + (b - a) * fraction


def angle_gap(a: float, b: float) -> float:
    return abs((a - b + 180) % 360 - 180)


@dataclass(frozen=True)
class Segment:
    part: str
    start: Point
    end: Point
    depth: float  # its width seen from the side
    breadth: float  # its width seen from above
    front: Point  # the direction its front faces
    lateral: Point = Point(0, 0, 1)  # the direction of its breadth, to the near side


class Skeleton:
    """The joints of one frame's figure, in centimetres, the hip joints' centre at 0."""

    def __init__(self, figure: dict):
        torso = figure["torso"]
        a = {"twist": 0, "roll": 0, **{f"{limb}_side": 0 for limb in LIMBS}, **figure}
        a.setdefault("lumbar", torso)
        a.setdefault("thoracic", torso)
        a.setdefault("pelvis", a["lumbar"])
        a.setdefault("head", a["thoracic"])
        a.setdefault("neck", a["head"])
        for limb in LIMBS:
            a.setdefault(f"far_{limb}", a[limb])
            a.setdefault(f"far_{limb}_side", a[f"{limb}_side"])
        self.angles = a
        # Which perpendicular of the torso the chest faces: +1 turns clockwise from it.
        front_wanted = FRONT_DIRECTIONS.get(figure.get("front", ""))
        if front_wanted is None:
            horizontal = angle_gap(torso, 0) < 45 or angle_gap(torso, 180) < 45
            front_wanted = 90 if horizontal else 0
        self.turn = 1 if angle_gap(torso - 90, front_wanted) <= 90 else -1
        self.front = torso - 90 * self.turn

        self.hip = Point(0, 0)
        self.l5 = self.hip + towards(a["pelvis"], PELVIS)
        self.l1 = self.l5 + towards(a["lumbar"], LUMBAR)
        self.c7 = self.l1 + towards(a["thoracic"], THORACIC)
        self.neck_top = self.c7 + towards(a["neck"], NECK)
        self.head = self.neck_top + towards(a["head"], HEAD_R)
        self.spine = [self.hip, self.l5, self.l1, self.c7]
        # The shoulders turn about the thoracic spine; positive brings the near one forward.
        forward = towards(a["thoracic"] - 90 * self.turn)
        t = math.radians(a["twist"])
        shoulder_line = forward * math.sin(t) + Point(0, 0, math.cos(t))
        self.shoulders = {"": self.c7 + shoulder_line * SHOULDER_HALF}
        self.shoulders["far_"] = self.c7 - shoulder_line * SHOULDER_HALF
        # The pelvis rolls about the spine (`roll`: its front turns that many degrees towards
        # the near side), as it follows knees dropped to one side: the near hip sinks.
        pelvis_front = self.front_of(self.hip, self.l5)
        r = math.radians(a["roll"])
        self.hip_line = Point(0, 0, 1) * math.cos(r) - pelvis_front * math.sin(r)
        self.pelvis_front = pelvis_front * math.cos(r) + Point(0, 0, 1) * math.sin(r)
        self.joints: dict[str, Point] = {}
        for near in ("", "far_"):
            hip = self.hip_line * (HIP_HALF if near == "" else -HIP_HALF)
            elbow = self.shoulders[near] + self._limb(near, "upper_arm", UPPER_ARM)
            hand = elbow + self._limb(near, "forearm", FOREARM)
            knee = hip + self._limb(near, "thigh", THIGH)
            ankle = knee + self._limb(near, "shin", SHIN)
            foot = a.get(f"{near}foot", a.get("foot", self.foot_direction(a[f"{near}shin"])))
            toe = ankle + towards(foot, FOOT, a[f"{near}shin_side"])
            self.joints.update(
                {
                    f"{near}shoulder": self.shoulders[near],
                    f"{near}elbow": elbow,
                    f"{near}hand": hand,
                    f"{near}hip": hip,
                    f"{near}knee": knee,
                    f"{near}ankle": ankle,
                    f"{near}toe": toe,
                }
            )

    def _limb(self, near: str, limb: str, length: float) -> Point:
        return towards(self.angles[f"{near}{limb}"], length, self.angles[f"{near}{limb}_side"])

    def foot_direction(self, shin: float) -> float:
        """The foot stands at a right angle to the shin, towards the front of the body; but
        where the shin lies along the floor (kneeling, lying on the front) a foot pointing
        down would prop the leg up, so it lies flat, carrying on from the shin instead."""
        foot = shin + 90 * self.turn
        shin_flat = angle_gap(shin, 0) < 30 or angle_gap(shin, 180) < 30
        if shin_flat and math.sin(math.radians(foot)) < -0.5:
            return shin
        return foot

    def front_of(self, start: Point, end: Point) -> Point:
        d = end - start
        length = math.hypot(d.x, d.y) or 1
        return Point(d.y * self.turn, -d.x * self.turn) * (1 / length)

    def trunk(self) -> list[Segment]:
        spine = [("pelvis", self.hip, self.l5), ("lumbar", self.l5, self.l1)]
        spine.append(("thoracic", self.l1, self.c7))
        out = [
            Segment(part, a, b, TRUNK_DEPTH[part], TRUNK_BREADTH[part], self.front_of(a, b))
            for part, a, b in spine
        ]
        # The chest turns with the shoulders and the pelvis rolls, so that both show in their
        # drawn width: seen from the side a chest turned 45 degrees shows half its breadth.
        out[0] = replace(out[0], front=self.pelvis_front, lateral=self.hip_line)
        t = math.radians(self.angles["twist"])
        out[2] = replace(
            out[2],
            front=out[2].front * math.cos(t) - Point(0, 0, 1) * math.sin(t),
            lateral=out[2].front * math.sin(t) + Point(0, 0, 1) * math.cos(t),
        )
        neck_front = self.front_of(self.c7, self.neck_top)
        out.append(Segment("neck", self.c7, self.neck_top, LIMB_W, LIMB_W, neck_front))
        return out

    def limb(self, near: str, kind: str) -> list[Segment]:
        j = self.joints
        names = (
            [("upper_arm", "shoulder", "elbow"), ("forearm", "elbow", "hand")]
            if kind == "arm"
            else [("thigh", "hip", "knee"), ("shin", "knee", "ankle"), ("foot", "ankle", "toe")]
        )
        return [
            Segment(f"{near}{part}", j[near + a], j[near + b], LIMB_W, LIMB_W, Point(0, 1))
            for part, a, b in names
        ]

    def spine_at(self, fraction: float) -> tuple[Point, Segment]:
        """The point `fraction` of the way up the spine, and the trunk segment it lies in."""
        segments = self.trunk()[:3]
        lengths = [PELVIS, LUMBAR, THORACIC]
        left = fraction * sum(lengths)
        for segment, length in zip(segments, lengths, strict=True):
            if left <= length or segment.part == "thoracic":
                return along(segment.start, segment.end, min(left / length, 1)), segment
            left -= length
        raise AssertionError("unreachable")

    def anchor(self, name: str) -> tuple[Point, Point, float]:
        """A point inside the body, the outward direction and the distance to the skin."""
        j = self.joints
        if name in SPINE_POINTS:
            point, segment = self.spine_at(SPINE_POINTS[name])
            return point, segment.front * -1, segment.depth / 2
        if name == "neck-shoulders":
            point, segment = self.spine_at(0.98)
            return point, segment.front * -1, segment.depth / 2
        if name == "head":
            return self.head, towards(self.front + 180), HEAD_R
        if name == "hips":
            point, segment = self.spine_at(0.1)
            return point, segment.front, segment.depth / 2
        thigh_back = towards(self.angles["thigh"] - 90 * self.turn)
        if name == "hamstrings":
            return along(j["hip"], j["knee"], 0.5), thigh_back, HALF_LIMB
        if name == "knees":
            return j["knee"], Point(0, -1), HALF_LIMB
        if name == "feet":
            return j["ankle"], Point(0, -1), HALF_LIMB
        if name == "hands":
            return j["hand"], Point(0, -1), HALF_LIMB
        raise ValueError(f"unknown anchor {name}")


class Camera:
    """Projects the world onto the picture: turned `yaw` about the vertical, then tilted
    `pitch` down towards the floor. Side view is (0, 0); from above is (0, 90)."""

    def __init__(self, view: str):
        self.view = view
        yaw, pitch = VIEWS[view]
        self.cy, self.sy = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
        self.cp, self.sp = math.cos(math.radians(pitch)), math.sin(math.radians(pitch))

    def project(self, p: Point) -> tuple[float, float, float]:
        """(x, y, nearness): y up in the picture, a larger nearness is closer to the eye."""
        x = p.x * self.cy + p.z * self.sy
        z = -p.x * self.sy + p.z * self.cy
        return x, p.y * self.cp - z * self.sp, p.y * self.sp + z * self.cp

    def flat(self, p: Point) -> "Flat":
        x, y, _ = self.project(p)
        return Flat(x, y)

    def width(self, segment: Segment) -> float:
        """The segment's drawn width: its cross-section (depth by breadth) as the camera sees
        it, measured across the segment's direction on the picture."""
        if segment.depth == segment.breadth:
            return segment.depth
        a, b = self.flat(segment.start), self.flat(segment.end)
        dx, dy = b.x - a.x, b.y - a.y
        length = math.hypot(dx, dy)
        if length < 1e-6:
            return max(segment.depth, segment.breadth)
        nx, ny = -dy / length, dx / length
        origin = self.flat(Point(0, 0))

        def across(v: Point) -> float:
            f = self.flat(v)
            return (f.x - origin.x) * nx + (f.y - origin.y) * ny

        return 2 * math.hypot(
            segment.depth / 2 * across(segment.front), segment.breadth / 2 * across(segment.lateral)
        )


@dataclass(frozen=True)
class Flat:
    """A point on the picture, in centimetres, y up."""

    x: float
    y: float


class Canvas:
    """Collects shapes on the picture and writes them as SVG (y flipped)."""

    def __init__(self):
        self.shapes: list[tuple[str, list[Flat], dict]] = []

    def line(self, points: list[Flat], **attrs):
        self.shapes.append(("line", points, attrs))

    def circle(self, centre: Flat, radius: float, **attrs):
        self.shapes.append(("circle", [centre], {"r": radius, **attrs}))

    def ellipse(self, centre: Flat, rx: float, ry: float, **attrs):
        self.shapes.append(("ellipse", [centre], {"rx": rx, "ry": ry, **attrs}))

    def rect(self, corner: Flat, other: Flat, **attrs):
        self.shapes.append(("rect", [corner, other], attrs))

    def polygon(self, points: list[Flat], **attrs):
        self.shapes.append(("polygon", points, attrs))

    def text(self, at: Flat, words: str, **attrs):
        self.shapes.append(("text", [at], {"words": words, **attrs}))

    def extent(self, shapes=None) -> tuple[float, float, float, float]:
        xs, ys = [], []
        for kind, points, attrs in self.shapes if shapes is None else shapes:
            if kind == "text":
                continue
            pad_x = attrs.get("rx", attrs.get("r", attrs.get("stroke-width", 0) / 2))
            pad_y = attrs.get("ry", attrs.get("r", attrs.get("stroke-width", 0) / 2))
            for point in points:
                xs += [point.x - pad_x, point.x + pad_x]
                ys += [point.y - pad_y, point.y + pad_y]
        return min(xs), min(ys), max(xs), max(ys)

    def shift(self, dx: float, dy: float):
        self.shapes = [
            (kind, [Flat(p.x + dx, p.y + dy) for p in points], attrs)
            for kind, points, attrs in self.shapes
        ]

    def svg(self, top: float) -> str:
        out = []
        for kind, points, attrs in self.shapes:
            attrs = dict(attrs)
            group = attrs.pop("group", None)
            flat = [(round(p.x, 1), round(top - p.y, 1)) for p in points]
            extra = " ".join(
                f'{k}="{v}"'
                for k, v in attrs.items()
                if k not in {"r", "rx", "ry", "words", "stroke-width", "stroke-linecap"}
            )
            if "stroke-width" in attrs:
                extra += f' stroke-width="{round(attrs["stroke-width"], 1)}"'
            if kind == "line" and len(flat) == 2:
                (x1, y1), (x2, y2) = flat
                shape = (
                    f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
                    f'stroke-linecap="{attrs.get("stroke-linecap", "round")}" {extra}/>'
                )
            elif kind == "line":
                path = " ".join(f"{x},{y}" for x, y in flat)
                shape = (
                    f'<polyline points="{path}" fill="none" stroke-linecap="round" '
                    f'stroke-linejoin="round" {extra}/>'
                )
            elif kind == "polygon":
                path = " ".join(f"{x},{y}" for x, y in flat)
                shape = f'<polygon points="{path}" {extra}/>'
            elif kind == "circle":
                ((x, y),) = flat
                shape = f'<circle cx="{x}" cy="{y}" r="{round(attrs["r"], 1)}" {extra}/>'
            elif kind == "ellipse":
                ((x, y),) = flat
                shape = (
                    f'<ellipse cx="{x}" cy="{y}" rx="{round(attrs["rx"], 1)}" '
                    f'ry="{round(attrs["ry"], 1)}" {extra}/>'
                )
            elif kind == "text":
                ((x, y),) = flat
                shape = f'<text x="{x}" y="{y}" {extra}>{escape(attrs["words"])}</text>'
            else:
                (x1, y1), (x2, y2) = flat
                shape = (
                    f'<rect x="{min(x1, x2)}" y="{min(y1, y2)}" width="{round(abs(x2 - x1), 1)}" '
                    f'height="{round(abs(y2 - y1), 1)}" {extra}/>'
                )
            out.append(shape if group is None else f"<g {group}>{shape}</g>")
        return "\n".join(out)
