"""Draws a technique's pose as a simple side-view figure in SVG, the work area highlighted.

A pose (from the technique's content file) gives the direction of each body segment in
degrees (0 points right, 90 up), the props (pillow, roller, ball, strap, wall, chair) by the
part of the body they touch, the surface, and the area to work. Pure Python, no Django:
new techniques get pictures without an artist.
"""

import math
from dataclasses import dataclass
from html import escape

# Segment lengths and thicknesses, in drawing units (a standing figure is ~175 tall).
TORSO, NECK, HEAD_R = 56, 7, 10
UPPER_ARM, FOREARM = 30, 28
THIGH, SHIN, FOOT = 44, 42, 12
TORSO_W, LIMB_W = 18, 9
HALF_TORSO, HALF_LIMB = TORSO_W / 2, LIMB_W / 2

HIGHLIGHT = "#ff9f43"
PROP_FILL = "#7d93b2"
PILLOW_FILL = "#a9bad3"
SURFACE_FILL = "#4a5b73"

# Where along the torso (0 = pelvis, 1 = shoulders) each back area lies.
TORSO_SPANS = {"lower-back": (0.08, 0.38), "mid-back": (0.36, 0.64), "upper-back": (0.62, 0.92)}
TORSO_POINTS = {"lower-back": 0.24, "mid-back": 0.5, "upper-back": 0.76}
FRONT_DIRECTIONS = {"right": 0, "up": 90, "left": 180, "down": 270}


@dataclass(frozen=True)
class Point:
    x: float
    y: float

    def __add__(self, other: "Point") -> "Point":
        return Point(self.x + other.x, self.y + other.y)


def towards(degrees: float, length: float = 1.0) -> Point:
    radians = math.radians(degrees)
    return Point(math.cos(radians) * length, math.sin(radians) * length)


def along(a: Point, b: Point, fraction: float) -> Point:
    return Point(a.x + (b.x - a.x) * fraction, a.y + (b.y - a.y) * fraction)


def angle_gap(a: float, b: float) -> float:
    return abs((a - b + 180) % 360 - 180)


class Skeleton:
    """The joints of one frame's figure, in world units with y pointing up."""

    def __init__(self, figure: dict):
        self.angles = {
            "head": figure.get("head", figure["torso"]),
            "far_upper_arm": figure.get("far_upper_arm", figure["upper_arm"]),
            "far_forearm": figure.get("far_forearm", figure["forearm"]),
            "far_thigh": figure.get("far_thigh", figure["thigh"]),
            "far_shin": figure.get("far_shin", figure["shin"]),
            **figure,
        }
        a = self.angles
        # Which perpendicular of the torso the chest faces: +1 turns clockwise from it.
        front_wanted = FRONT_DIRECTIONS.get(figure.get("front", ""))
        if front_wanted is None:
            horizontal = angle_gap(a["torso"], 0) < 45 or angle_gap(a["torso"], 180) < 45
            front_wanted = 90 if horizontal else 0
        self.turn = 1 if angle_gap(a["torso"] - 90, front_wanted) <= 90 else -1
        self.front = a["torso"] - 90 * self.turn
        self.back = self.front + 180

        self.pelvis = Point(0, 0)
        self.shoulder = self.pelvis + towards(a["torso"], TORSO)
        self.neck_top = self.shoulder + towards(a["head"], NECK)
        self.head = self.shoulder + towards(a["head"], NECK + HEAD_R)
        self.elbow = self.shoulder + towards(a["upper_arm"], UPPER_ARM)
        self.hand = self.elbow + towards(a["forearm"], FOREARM)
        self.far_elbow = self.shoulder + towards(a["far_upper_arm"], UPPER_ARM)
        self.far_hand = self.far_elbow + towards(a["far_forearm"], FOREARM)
        self.knee = self.pelvis + towards(a["thigh"], THIGH)
        self.ankle = self.knee + towards(a["shin"], SHIN)
        self.toe = self.ankle + towards(self.foot_direction(a["shin"]), FOOT)
        self.far_knee = self.pelvis + towards(a["far_thigh"], THIGH)
        self.far_ankle = self.far_knee + towards(a["far_shin"], SHIN)
        self.far_toe = self.far_ankle + towards(self.foot_direction(a["far_shin"]), FOOT)

    def foot_direction(self, shin: float) -> float:
        """The foot stands at a right angle to the shin, towards the front of the body; but
        where the shin lies along the floor (kneeling, lying on the front) a foot pointing
        down would prop the leg up, so it lies flat, carrying on from the shin instead."""
        foot = shin + 90 * self.turn
        shin_flat = angle_gap(shin, 0) < 30 or angle_gap(shin, 180) < 30
        if shin_flat and math.sin(math.radians(foot)) < -0.5:
            return shin
        return foot

    def thigh_back(self) -> float:
        return self.angles["thigh"] - 90 * self.turn

    def anchor(self, name: str) -> tuple[Point, float, float]:
        """A point on the body's surface: (point, outward direction, distance to the skin)."""
        if name in TORSO_POINTS:
            return along(self.pelvis, self.shoulder, TORSO_POINTS[name]), self.back, HALF_TORSO
        if name == "neck-shoulders":
            return along(self.pelvis, self.shoulder, 0.95), self.back, HALF_TORSO
        if name == "head":
            return self.head, self.back, HEAD_R
        if name == "glutes":
            return self.pelvis, self.back, HALF_TORSO
        if name == "hips":
            return self.pelvis, self.front, HALF_TORSO
        if name == "hamstrings":
            return along(self.pelvis, self.knee, 0.5), self.thigh_back(), HALF_LIMB
        if name == "knees":
            return self.knee, self.thigh_back(), HALF_LIMB
        if name == "feet":
            return self.ankle, 270, HALF_LIMB
        if name == "hands":
            return self.hand, 270, HALF_LIMB
        raise ValueError(f"unknown anchor {name}")


class Canvas:
    """Collects shapes in world units and writes them as SVG (y flipped)."""

    def __init__(self):
        self.shapes: list[tuple[str, list[Point], dict]] = []

    def line(self, points: list[Point], **attrs):
        self.shapes.append(("line", points, attrs))

    def circle(self, centre: Point, radius: float, **attrs):
        self.shapes.append(("circle", [centre], {"r": radius, **attrs}))

    def ellipse(self, centre: Point, rx: float, ry: float, angle: float, **attrs):
        self.shapes.append(("ellipse", [centre], {"rx": rx, "ry": ry, "angle": angle, **attrs}))

    def extent(self) -> tuple[float, float, float, float]:
        xs, ys = [], []
        for kind, points, attrs in self.shapes:
            if kind == "ellipse":
                turn = math.radians(attrs["angle"])
                rx, ry = attrs["rx"], attrs["ry"]
                pad_x = math.hypot(rx * math.cos(turn), ry * math.sin(turn))
                pad_y = math.hypot(rx * math.sin(turn), ry * math.cos(turn))
            else:
                pad_x = pad_y = max(attrs.get("r", 0), attrs.get("stroke-width", 0) / 2)
            for point in points:
                xs += [point.x - pad_x, point.x + pad_x]
                ys += [point.y - pad_y, point.y + pad_y]
        return min(xs), min(ys), max(xs), max(ys)

    def shift(self, dx: float, dy: float):
        moved = []
        for kind, points, attrs in self.shapes:
            moved.append((kind, [Point(p.x + dx, p.y + dy) for p in points], attrs))
        self.shapes = moved

    def svg(self, top: float) -> str:
        out = []
        for kind, points, attrs in self.shapes:
            attrs = dict(attrs)
            group = attrs.pop("group", None)
            flat = [(round(p.x, 1), round(top - p.y, 1)) for p in points]
            extra = " ".join(
                f'{k}="{v}"' for k, v in attrs.items() if k not in {"r", "rx", "ry", "angle"}
            )
            if kind == "line":
                path = " ".join(f"{x},{y}" for x, y in flat)
                shape = (
                    f'<polyline points="{path}" fill="none" stroke-linecap="round" '
                    f'stroke-linejoin="round" {extra}/>'
                )
            elif kind == "circle":
                ((x, y),) = flat
                shape = f'<circle cx="{x}" cy="{y}" r="{attrs["r"]}" {extra}/>'
            elif kind == "ellipse":
                ((x, y),) = flat
                shape = (
                    f'<ellipse cx="{x}" cy="{y}" rx="{attrs["rx"]}" ry="{attrs["ry"]}" '
                    f'transform="rotate({round(-attrs["angle"], 1)} {x} {y})" {extra}/>'
                )
            else:
                (x1, y1), (x2, y2) = flat
                shape = (
                    f'<rect x="{min(x1, x2)}" y="{min(y1, y2)}" width="{abs(x2 - x1)}" '
                    f'height="{abs(y2 - y1)}" rx="3" {extra}/>'
                )
            out.append(shape if group is None else f"<g {group}>{shape}</g>")
        return "\n".join(out)


def draw_frame(frame: dict) -> tuple[Canvas, float]:
    """Draw one frame; returns the canvas (floor at y = 0) and the frame's height."""
    body = Skeleton(frame["figure"])
    canvas = Canvas()
    props = frame.get("props", [])
    work_areas = frame.get("work_area", [])

    far = {"stroke": "currentColor", "stroke-opacity": "0.45", "stroke-width": LIMB_W}
    near = {"stroke": "currentColor", "stroke-width": LIMB_W}
    canvas.line([body.shoulder, body.far_elbow, body.far_hand], **far)
    canvas.line([body.pelvis, body.far_knee, body.far_ankle, body.far_toe], **far)
    canvas.line([body.pelvis, body.shoulder], stroke="currentColor", **{"stroke-width": TORSO_W})
    canvas.line([body.shoulder, body.neck_top], **near)
    canvas.circle(body.head, HEAD_R, fill="currentColor")
    eye = body.head + towards(body.front, HEAD_R * 0.45) + towards(body.angles["head"], 2)
    canvas.circle(eye, 1.8, **{"class": "figure-eye", "fill": "#0f141b"})
    # A thin outline in the page colour keeps a near limb readable where it crosses the body.
    outline = {"stroke": "#0f141b", "stroke-width": LIMB_W + 3, "class": "figure-outline"}
    canvas.line([body.pelvis, body.knee, body.ankle, body.toe], **outline)
    canvas.line([body.pelvis, body.knee, body.ankle, body.toe], **near)
    canvas.line([body.shoulder, body.elbow, body.hand], **outline)
    canvas.line([body.shoulder, body.elbow, body.hand], **near)

    _, body_floor, _, body_top = canvas.extent()
    ball_at = {p["at"] for p in props if p["kind"] == "massage-ball"}
    for prop in props:
        point, outward, skin = body.anchor(prop["at"])
        kind = prop["kind"]
        marker = f'data-prop="{kind}" data-at="{prop["at"]}"'
        if kind == "pillow":
            # A pillow supports from below: it fills the gap down to where the body lies.
            top = point.y - skin
            bottom = min(body_floor, top - 7)
            centre = Point(point.x, (top + bottom) / 2)
            width = 15 if prop["at"] == "head" else 26
            canvas.ellipse(centre, width, (top - bottom) / 2 + 1, 0, fill=PILLOW_FILL, group=marker)
        elif kind == "foam-roller":
            centre = point + towards(outward, skin + 10)
            canvas.circle(
                centre,
                10,
                fill=PROP_FILL,
                stroke="currentColor",
                **{"stroke-width": 1.5, "group": marker},
            )
        elif kind == "massage-ball":
            canvas.circle(
                point + towards(outward, skin + 5.5),
                5.5,
                fill=HIGHLIGHT,
                stroke="currentColor",
                **{"stroke-width": 1.2, "group": marker},
            )
        elif kind == "strap":
            end, _, _ = body.anchor(prop["to"])
            canvas.line(
                [body.hand, end],
                stroke=PROP_FILL,
                group=marker,
                **{"stroke-width": 2.5, "stroke-dasharray": "5 3"},
            )
        elif kind == "wall":
            gap = 11 if prop["at"] in ball_at else 0
            wall = point + towards(outward, skin + gap + 2)
            # From the floor the body rests on to just above its highest point.
            canvas.line(
                [Point(wall.x, body_floor - 2), Point(wall.x, body_top + 12)],
                stroke=SURFACE_FILL,
                group=marker,
                **{"stroke-width": 4},
            )
        elif kind == "chair":
            seat_y = body.pelvis.y - HALF_TORSO - 2
            back_x = body.pelvis.x + towards(body.back, 1).x * 16
            canvas.line(
                [Point(body.pelvis.x - 16, seat_y), Point(body.pelvis.x + 16, seat_y)],
                stroke=PROP_FILL,
                group=marker,
                **{"stroke-width": 5},
            )
            canvas.line(
                [Point(back_x, seat_y), Point(back_x, seat_y + 40)],
                stroke=PROP_FILL,
                group=marker,
                **{"stroke-width": 4},
            )
            canvas.line(
                [Point(body.pelvis.x - 14, seat_y), Point(body.pelvis.x - 14, -999)],
                stroke=PROP_FILL,
                group=marker + ' data-chair-leg="1"',
                **{"stroke-width": 3},
            )
            canvas.line(
                [Point(body.pelvis.x + 14, seat_y), Point(body.pelvis.x + 14, -999)],
                stroke=PROP_FILL,
                group=marker + ' data-chair-leg="1"',
                **{"stroke-width": 3},
            )

    for area in work_areas:
        highlight_area(canvas, body, area)

    # Stand everything on the floor: the lowest point (chair legs aside) touches y = 0.
    real = [s for s in canvas.shapes if "data-chair-leg" not in str(s[2].get("group", ""))]
    lowest = Canvas()
    lowest.shapes = [s for s in real if not (s[0] == "line" and s[2].get("stroke") == SURFACE_FILL)]
    _, min_y, _, _ = lowest.extent()
    canvas.shift(0, -min_y)
    canvas.shapes = [
        (kind, [Point(p.x, max(p.y, 0)) for p in points], attrs)
        if "data-chair-leg" in str(attrs.get("group", ""))
        else (kind, points, attrs)
        for kind, points, attrs in canvas.shapes
    ]
    min_x, _, max_x, max_y = canvas.extent()
    surface = frame.get("surface", "floor")
    if surface == "bed":
        canvas.shapes.insert(
            0,
            (
                "rect",
                [Point(min_x - 6, -12), Point(max_x + 6, 0)],
                {"fill": SURFACE_FILL, "data-surface": "bed"},
            ),
        )
    elif surface == "floor":
        canvas.shapes.insert(
            0,
            (
                "line",
                [Point(min_x - 8, -1.5), Point(max_x + 8, -1.5)],
                {"stroke": SURFACE_FILL, "stroke-width": 3, "data-surface": "floor"},
            ),
        )
    return canvas, max_y


def highlight_area(canvas: Canvas, body: Skeleton, area: str) -> None:
    glow = {
        "stroke": HIGHLIGHT,
        "stroke-opacity": "0.75",
        "stroke-width": 10,
        "group": f'class="work-area" data-area="{area}"',
    }
    if area in TORSO_SPANS:
        start, end = TORSO_SPANS[area]
        offset = towards(body.back, HALF_TORSO - 2)
        canvas.line(
            [
                along(body.pelvis, body.shoulder, start) + offset,
                along(body.pelvis, body.shoulder, end) + offset,
            ],
            **glow,
        )
    elif area == "neck-shoulders":
        offset = towards(body.back, HALF_TORSO - 3)
        canvas.line(
            [
                along(body.pelvis, body.shoulder, 0.85) + offset,
                body.shoulder + offset,
                body.neck_top,
            ],
            **glow,
        )
    elif area == "hamstrings":
        offset = towards(body.thigh_back(), HALF_LIMB)
        canvas.line(
            [
                along(body.pelvis, body.knee, 0.2) + offset,
                along(body.pelvis, body.knee, 0.85) + offset,
            ],
            **glow,
        )
    elif area in {"glutes", "hips"}:
        side = body.back if area == "glutes" else body.front
        centre = body.pelvis + towards(side, HALF_TORSO - 4)
        arc = [centre + towards(side + delta, 7) for delta in range(-70, 71, 20)]
        canvas.line(arc, **glow)
    else:
        point, _, _ = body.anchor(area)
        canvas.circle(point, 8, fill=HIGHLIGHT, **{"fill-opacity": "0.7", "group": glow["group"]})


def render_pose(pose: dict, *, title: str, description: str, id_prefix: str) -> str:
    """The pose as an inline SVG with a title and description for screen readers."""
    drawn = [draw_frame(frame) for frame in pose["frames"]]
    # Two lying figures side by side make a long thin strip that shrinks to nothing on a
    # phone; stacked, each is drawn twice as large in the same space.
    stacked = len(drawn) > 1 and all(
        canvas.extent()[2] - canvas.extent()[0] > 1.6 * frame_height
        for canvas, frame_height in drawn
    )
    parts, width, total_h = (_frames_stacked if stacked else _frames_in_a_row)(drawn, pose)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {round(width, 1)} '
        f'{round(total_h, 1)}" class="pose-figure" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" data-frames="{len(drawn)}">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>\n' + "\n".join(parts) + "\n</svg>"
    )


LABEL_H = 16
FRAME_PAD, FRAME_GAP = 10, 24


def _label(frame: dict, index: int, centre: float, baseline: float) -> str:
    label = frame.get("label") or f"Position {index + 1}"
    return (
        f'<text x="{round(centre, 1)}" y="{round(baseline, 1)}" '
        f'text-anchor="middle" font-size="11" fill="currentColor">'
        f"{index + 1}. {escape(label)}</text>"
    )


def _frames_in_a_row(drawn: list, pose: dict) -> tuple[list[str], float, float]:
    """Frames left to right, standing on one floor line, each labelled underneath."""
    pad, gap = FRAME_PAD, FRAME_GAP
    label_h = LABEL_H if len(drawn) > 1 else 0
    parts, x_cursor, height = [], pad, max(h for _, h in drawn) + 2 * pad
    for index, ((canvas, _), frame) in enumerate(zip(drawn, pose["frames"], strict=True)):
        min_x, _, max_x, _ = canvas.extent()
        canvas.shift(x_cursor - min_x, 0)
        parts.append(canvas.svg(top=height - pad))
        if label_h:
            parts.append(_label(frame, index, x_cursor + (max_x - min_x) / 2, height + label_h - 4))
        x_cursor += (max_x - min_x) + gap
    return parts, x_cursor - gap + pad, height + label_h


def _frames_stacked(drawn: list, pose: dict) -> tuple[list[str], float, float]:
    """Frames top to bottom, centred, each with its own floor and its label under it."""
    pad = FRAME_PAD
    widest = max(canvas.extent()[2] - canvas.extent()[0] for canvas, _ in drawn)
    parts, y_cursor = [], pad
    for index, ((canvas, frame_height), frame) in enumerate(
        zip(drawn, pose["frames"], strict=True)
    ):
        min_x, _, max_x, _ = canvas.extent()
        canvas.shift(pad + (widest - (max_x - min_x)) / 2 - min_x, 0)
        floor = y_cursor + frame_height
        parts.append(canvas.svg(top=floor))
        # The label goes under the surface: a bed is drawn 12 units deep below the floor.
        baseline = floor + (12 if frame.get("surface") == "bed" else 2) + LABEL_H - 4
        parts.append(_label(frame, index, pad + widest / 2, baseline))
        y_cursor = baseline + pad
    return parts, widest + 2 * pad, y_cursor
