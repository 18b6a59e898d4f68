"""The pictures show the position: measured on the drawn SVG, not on the pose data.

Everything that rests on the bed or floor touches it and nothing sinks into it; the two
frames of a move differ visibly; props have human sizes; the work area is highlighted on the
body; hands or a ball under the back get a close-up with the spine between the hands.

Contact is measured from the side. A picture from above or at three-quarters cannot show it:
there a point's height above the bed and its distance from the eye fall into the same picture
coordinate (from above, height is lost altogether), so a thigh resting on the bed and one
hovering over its near edge draw alike. Such a frame is the same 3D skeleton, props and bed
seen through another camera, so it is drawn again from the side, where the picture's height is
the world's height, and measured there.
"""

import copy
import math
import xml.etree.ElementTree as ET

import pytest

from backcoach.library import content
from backcoach.library.figures import render_pose

SVG = "{http://www.w3.org/2000/svg}"
TECHNIQUES = content.load_library().techniques
TOUCH = 2.0  # a part touches a surface when its skin is this close to it, in drawing units


def draw(pose: dict) -> ET.Element:
    return ET.fromstring(render_pose(pose, title="t", description="d", id_prefix="p"))


def frames_of(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "pose-frame"]


def lowest(shape: ET.Element) -> float:
    """The bottom edge of a drawn shape (SVG y grows downwards)."""
    return extent(shape)[3]


def extent(shape: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a line, circle, ellipse or rect, strokes included."""
    tag = shape.tag.removeprefix(SVG)
    half = float(shape.get("stroke-width", 0)) / 2
    if tag == "line":
        xs = [float(shape.get("x1")), float(shape.get("x2"))]
        ys = [float(shape.get("y1")), float(shape.get("y2"))]
    elif tag in {"polyline", "polygon"}:
        pairs = [p.split(",") for p in shape.get("points").split()]
        xs, ys = [float(x) for x, _ in pairs], [float(y) for _, y in pairs]
    elif tag in {"circle", "ellipse"}:
        cx, cy = float(shape.get("cx")), float(shape.get("cy"))
        rx = float(shape.get("r") or shape.get("rx"))
        ry = float(shape.get("r") or shape.get("ry"))
        return cx - rx - half, cy - ry - half, cx + rx + half, cy + ry + half
    elif tag == "rect":
        x, y = float(shape.get("x")), float(shape.get("y"))
        w, h = float(shape.get("width")), float(shape.get("height"))
        return x - half, y - half, x + w + half, y + h + half
    else:
        raise ValueError(tag)
    return min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half


def surface_top(frame: ET.Element) -> float:
    [surface] = [s for s in frame.iter() if s.get("data-surface")]
    return extent(surface)[1]


def body_parts(frame: ET.Element) -> dict[str, ET.Element]:
    """The figure's parts by name, leaving out the close-up's."""
    close_up = {id(s) for g in frame.iter(f"{SVG}g") if g.get("data-inset") for s in g.iter()}
    return {
        s.get("data-part"): s for s in frame.iter() if s.get("data-part") and id(s) not in close_up
    }


def props(frame: ET.Element, kind: str) -> list[tuple[str, ET.Element]]:
    return [
        (g.get("data-at"), shape)
        for g in frame.iter(f"{SVG}g")
        if g.get("data-prop") == kind
        for shape in g
    ]


def frames_on_a_surface():
    for technique in TECHNIQUES:
        for index, frame in enumerate(technique.pose["frames"]):
            if frame["surface"] != "none":
                view = frame.get("view", "side")
                yield pytest.param(technique, index, id=f"{technique.slug}-{index + 1}-{view}")


def seen_from_the_side(pose: dict, index: int) -> tuple[dict, ET.Element]:
    """The frame and its drawing from the side, whatever view the picture uses."""
    frame = {**copy.deepcopy(pose["frames"][index]), "view": "side"}
    return frame, frames_of(draw({**pose, "frames": [frame]}))[0]


@pytest.mark.parametrize(("technique", "index"), list(frames_on_a_surface()))
def test_what_rests_on_the_surface_touches_it_and_nothing_sinks_in(technique, index):
    frame, drawn = seen_from_the_side(technique.pose, index)
    top = surface_top(drawn)
    parts = body_parts(drawn)
    for part in frame.get("touches", []):
        gap = top - lowest(parts[part])
        assert abs(gap) <= TOUCH, f"{part} is {gap:.1f} above the surface"
    for part, shape in parts.items():
        assert lowest(shape) <= top + 0.5, f"{part} sinks {lowest(shape) - top:.1f} into it"
    for kind in ("pillow", "foam-roller", "massage-ball"):
        for _at, shape in props(drawn, kind):
            if not any(p["kind"] == "wall" for p in frame["props"]):
                assert abs(lowest(shape) - top) <= TOUCH, f"the {kind} floats or sinks"
    # Every frame says what rests on the surface, so a floating body cannot pass unseen.
    assert frame.get("touches"), "the frame does not say which parts rest on the surface"


def segment_angles(frame: ET.Element) -> dict[str, float]:
    angles = {}
    for part, shape in body_parts(frame).items():
        if shape.tag == f"{SVG}line":
            dx = float(shape.get("x2")) - float(shape.get("x1"))
            dy = float(shape.get("y2")) - float(shape.get("y1"))
            angles[part] = math.degrees(math.atan2(-dy, dx))
    return angles


@pytest.mark.parametrize(
    "technique", [t for t in TECHNIQUES if len(t.pose["frames"]) == 2], ids=lambda t: t.slug
)
def test_the_two_positions_of_a_move_differ_visibly(technique):
    first, second = (segment_angles(f) for f in frames_of(draw(technique.pose)))
    gaps = {part: abs((first[part] - second[part] + 180) % 360 - 180) for part in first}
    part, widest = max(gaps.items(), key=lambda item: item[1])
    assert widest >= 15, f"the widest change is {part}, {widest:.0f} degrees"


# Sizes of real props in centimetres; the drawn head (about 20 cm across) is the ruler.
HEAD_CM = 20
PROP_CM = {
    "pillow": {"thick": (5, 18), "long": (30, 70)},
    "foam-roller": {"thick": (10, 20)},
    "massage-ball": {"thick": (5, 13)},
}


@pytest.mark.parametrize("technique", TECHNIQUES, ids=lambda t: t.slug)
def test_props_have_human_sizes(technique):
    for frame in frames_of(draw(technique.pose)):
        head = body_parts(frame)["head"]
        cm = HEAD_CM / (2 * float(head.get("r")))
        for kind, sizes in PROP_CM.items():
            for at, shape in props(frame, kind):
                left, top, right, bottom = extent(shape)
                if shape.tag == f"{SVG}line":  # a roller seen from above: its width is across
                    thick = float(shape.get("stroke-width")) * cm
                    long = None
                elif shape.tag == f"{SVG}polygon":  # a pillow seen at a slant: not measured
                    continue
                else:
                    stroke = float(shape.get("stroke-width", 0))
                    thick, long = (bottom - top - stroke) * cm, (right - left - stroke) * cm
                low, high = sizes["thick"]
                if thick is not None:
                    assert low <= thick <= high, f"{kind} at {at} is {thick:.0f} cm thick"
                if long is not None and "long" in sizes:
                    low, high = sizes["long"]
                    assert low <= long <= high, f"{kind} at {at} is {long:.0f} cm long"


def distance_to_segment(x: float, y: float, shape: ET.Element) -> float:
    x1, y1, x2, y2 = (float(shape.get(k)) for k in ("x1", "y1", "x2", "y2"))
    dx, dy = x2 - x1, y2 - y1
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / ((dx * dx + dy * dy) or 1)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


@pytest.mark.parametrize("technique", TECHNIQUES, ids=lambda t: t.slug)
def test_the_work_area_is_highlighted_on_the_body(technique):
    for pose_frame, frame in zip(
        technique.pose["frames"], frames_of(draw(technique.pose)), strict=True
    ):
        lines = [s for s in body_parts(frame).values() if s.tag == f"{SVG}line"]
        glows = {
            g.get("data-area"): next(iter(g))
            for g in frame.iter(f"{SVG}g")
            if g.get("class") == "work-area"
        }
        assert set(glows) == set(pose_frame["work_area"])
        for area, glow in glows.items():
            assert glow.get("stroke", glow.get("fill")) == "#ff9f43"
            left, top, right, bottom = extent(glow)
            x, y = (left + right) / 2, (top + bottom) / 2
            near = min(
                distance_to_segment(x, y, line) - float(line.get("stroke-width")) / 2
                for line in lines
            )
            assert near <= 4, f"the {area} highlight is {near:.0f} away from the body"


def under_the_back(technique) -> str:
    """Which close-up a technique needs: hands or a ball pressing into the back."""
    backs = {"lower-back", "mid-back", "upper-back"}
    for frame in technique.pose["frames"]:
        balls = {p["at"] for p in frame["props"] if p["kind"] == "massage-ball"}
        walls = any(p["kind"] == "wall" for p in frame["props"])
        if balls & backs and not walls:
            return "ball-under-back"
    if technique.kind == "massage" and "hands" in technique.equipment:
        return "hands-under-back"
    return ""


@pytest.mark.parametrize("technique", TECHNIQUES, ids=lambda t: t.slug)
def test_hands_or_a_ball_under_the_back_get_a_close_up_beside_the_spine(technique):
    wanted = under_the_back(technique)
    root = draw(technique.pose)
    insets = {g.get("data-inset") for g in root.iter(f"{SVG}g") if g.get("data-inset")}
    assert insets == ({wanted} if wanted else set())
    if not wanted:
        return
    shapes = [s for g in root.iter(f"{SVG}g") if g.get("data-inset") == wanted for s in g]
    [spine] = [s for s in shapes if s.get("data-part") == "spine"]
    middle = float(spine.get("cx"))
    if wanted == "hands-under-back":
        hands = [s for s in shapes if s.get("data-part") == "hand"]
        assert len(hands) == 2
        tips = []
        for hand in hands:
            points = [tuple(map(float, p.split(","))) for p in hand.get("points").split()]
            (_, palm_y), (tip_x, tip_y) = points[0], points[-1]
            assert tip_y < palm_y - 3, "the fingertips do not point up"
            tips.append(tip_x - middle)
        assert min(tips) < -3 and max(tips) > 3, "the hands are not either side of the spine"
    else:
        [ball] = [s for s in shapes if s.get("data-part") == "ball"]
        assert abs(float(ball.get("cx")) - middle) >= 4, "the ball is on the spine"


@pytest.mark.parametrize(("key", "part"), [("twist", "thoracic"), ("roll", "pelvis")])
def test_a_twisted_chest_or_rolled_pelvis_shows_in_its_drawn_width(key, part):
    """Seen from the side, a chest turned 45 degrees shows some of its breadth, so it is
    drawn wider than when it faces ahead; so is a pelvis that rolls with the knees."""

    def width(turn: float) -> float:
        figure = {"torso": 90, "front": "right", "upper_arm": 270, "forearm": 270}
        figure |= {"thigh": 0, "shin": 270, key: turn}
        pose = {"frames": [{"figure": figure, "props": [], "surface": "none", "work_area": []}]}
        return float(body_parts(frames_of(draw(pose))[0])[part].get("stroke-width"))

    assert width(45) > 1.2 * width(0)
    assert width(-45) == width(45)
