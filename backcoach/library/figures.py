"""Draws a technique's pose as a simple figure in SVG, the work area highlighted.

A pose (from the technique's content file) gives the direction of each body segment in
degrees as seen from the side (0 points right, 90 up), and for limbs how far a segment
swings out of that plane (`thigh_side: 40` drops the knees to one side); the spine bends
in three segments (lumbar, thoracic, neck) on a pelvis that tilts and rolls (`roll`), and
the shoulders can turn against the hips (`twist`), the chest and head turning with them.
The body is a small 3D skeleton, so a frame can be seen from the side, from above or at
three-quarters (`view`). Props (pillow, roller, ball,
strap, wall, chair) are drawn to human scale at the part of the body they touch, on the
surface the person lies on, and an inset shows where hands or a ball sit under the back.
Pure Python, no Django: new techniques get pictures without an artist.
"""

import math
from html import escape

from backcoach.library.figure_body import (
    ANGLE_KEYS,
    HEAD_R,
    HIGHLIGHT,
    INSETS,
    LIMB_W,
    PAGE,
    PARTS,
    SPINE_SPANS,
    VIEWS,
    Camera,
    Canvas,
    Flat,
    Point,
    Segment,
    Skeleton,
    along,
    towards,
)
from backcoach.library.figure_parts import draw_inset, draw_props, draw_surface

# What the content files may use (content.parse_pose checks them).
__all__ = ["ANGLE_KEYS", "INSETS", "PARTS", "VIEWS", "render_pose"]


def draw_frame(frame: dict) -> tuple[Canvas, float]:
    """Draw one frame; returns the canvas (floor at y = 0) and the frame's height."""
    body = Skeleton(frame["figure"])
    camera = Camera(frame.get("view", "side"))
    canvas = Canvas()
    draw_body(canvas, body, camera)
    draw_props(canvas, body, camera, frame.get("props", []))
    # Stand everything on the floor: the lowest skin or prop is at y = 0. Chair legs and
    # walls reach down to it; outlines and highlights may overhang it.
    resting = [
        s
        for s in canvas.shapes
        if "data-reaches-floor" not in str(s[2].get("group"))
        and s[2].get("class") != "figure-outline"
    ]
    _, min_y, _, _ = canvas.extent(resting)
    for area in frame.get("work_area", []):
        highlight_area(canvas, body, camera, area)
    canvas.shift(0, -min_y)
    canvas.shapes = [
        (kind, [Flat(p.x, max(p.y, 0)) for p in points], attrs)
        if "data-reaches-floor" in str(attrs.get("group"))
        else (kind, points, attrs)
        for kind, points, attrs in canvas.shapes
    ]
    draw_surface(canvas, body, camera, frame.get("surface", "floor"), min_y)
    if frame.get("inset"):
        draw_inset(canvas, body, camera, frame["inset"], min_y)
    _, _, _, max_y = canvas.extent()
    return canvas, max_y


def chains(body: Skeleton) -> list[tuple[str, list[Segment]]]:
    return [
        ("far_arm", body.limb("far_", "arm")),
        ("far_leg", body.limb("far_", "leg")),
        ("trunk", body.trunk()),
        ("leg", body.limb("", "leg")),
        ("arm", body.limb("", "arm")),
    ]


def draw_body(canvas: Canvas, body: Skeleton, camera: Camera) -> None:
    """The trunk and limbs, far ones first, each segment a line named by its part."""

    def nearness(segments: list[Segment]) -> float:
        points = [camera.project(s.start)[2] + camera.project(s.end)[2] for s in segments]
        return sum(points) / (2 * len(points))

    order = sorted(chains(body), key=lambda chain: nearness(chain[1]))
    trunk_nearness = nearness(body.trunk())
    for name, segments in order:
        # A limb behind the body is faded: from the side that is the far arm and leg, unless
        # the far arm reaches across the front (a twist); from above both sides show.
        faded = nearness(segments) < trunk_nearness - 6
        group = 'class="figure-far" opacity="0.45"' if faded else None
        if name != "trunk":
            # A thin outline in the page colour keeps a limb readable where it crosses the body.
            path = [camera.flat(segments[0].start), *(camera.flat(s.end) for s in segments)]
            outline = {"stroke": PAGE, "stroke-width": LIMB_W + 3, "class": "figure-outline"}
            canvas.line(path, **outline, **({"group": group} if group else {}))
        for segment in segments:
            width = camera.width(segment)
            attrs = {"stroke": "currentColor", "stroke-width": width, "data-part": segment.part}
            canvas.line(
                [camera.flat(segment.start), camera.flat(segment.end)],
                **attrs,
                **({"group": group} if group else {}),
            )
        if name == "trunk":
            head = camera.flat(body.head)
            canvas.circle(head, HEAD_R, fill="currentColor", **{"data-part": "head"})
            draw_eyes(canvas, body, camera)


EYE_SPREAD = math.radians(35)  # each eye this far round the head from the middle of the face


def draw_eyes(canvas: Canvas, body: Skeleton, camera: Camera) -> None:
    """The eyes that face the camera: one in profile, two on a face turned towards us (the
    head turns with the shoulders' `twist`, so a twisted figure looks round)."""
    t = math.radians(body.angles["twist"])
    forward, near_side = towards(body.front), Point(0, 0, 1)
    face = forward * math.cos(t) - near_side * math.sin(t)
    across = forward * math.sin(t) + near_side * math.cos(t)
    eye_height = towards(body.angles["head"], 2)
    head_nearness = camera.project(body.head)[2]
    for side in (-1, 1):
        look = face * math.cos(EYE_SPREAD) + across * (side * math.sin(EYE_SPREAD))
        if camera.project(body.head + look)[2] - head_nearness > 0.15:
            eye = camera.flat(body.head + look * (HEAD_R * 0.6) + eye_height)
            canvas.circle(eye, 1.8, **{"class": "figure-eye", "fill": PAGE})


def highlight_area(canvas: Canvas, body: Skeleton, camera: Camera, area: str) -> None:
    glow = {
        "stroke": HIGHLIGHT,
        "stroke-opacity": "0.8",
        "stroke-width": 9,
        "group": f'class="work-area" data-area="{area}"',
    }
    # Seen from the side the glow lies along the back's skin; from above, on the spine.
    on_skin = 1 if camera.view == "side" else 0
    if area in SPINE_SPANS:
        start, end = SPINE_SPANS[area]
        points = []
        for step in range(7):
            point, segment = body.spine_at(start + (end - start) * step / 6)
            points.append(point + segment.front * (-(segment.depth / 2 - 3.5) * on_skin))
        canvas.line([camera.flat(p) for p in points], **glow)
    elif area == "neck-shoulders":
        point, segment = body.spine_at(0.88)
        back = segment.front * (-(segment.depth / 2 - 3.5) * on_skin)
        path = [point + back, body.c7 + back, body.neck_top]
        canvas.line([camera.flat(p) for p in path], **glow)
    elif area == "hamstrings":
        j = body.joints
        offset = towards(body.angles["thigh"] - 90 * body.turn) * (2 * on_skin)
        path = [along(j["hip"], j["knee"], 0.2) + offset, along(j["hip"], j["knee"], 0.85) + offset]
        canvas.line([camera.flat(p) for p in path], **glow)
    elif area in {"glutes", "hips"}:
        point, segment = body.spine_at(0.12)
        side = segment.front * (1 if area == "hips" else -1)
        centre = point + side * ((segment.depth / 2 - 5) * on_skin)
        front_deg = math.degrees(math.atan2(side.y, side.x))
        arc = [centre + towards(front_deg + delta, 7) for delta in range(-70, 71, 20)]
        canvas.line([camera.flat(p) for p in arc], **glow)
    else:
        point, _, _ = body.anchor(area)
        canvas.circle(
            camera.flat(point),
            8,
            fill=HIGHLIGHT,
            **{"fill-opacity": "0.75", "group": glow["group"]},
        )


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
    moving = ' data-moves="1"' if len(drawn) > 1 else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {round(width, 1)} '
        f'{round(total_h, 1)}" class="pose-figure" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" data-frames="{len(drawn)}"{moving}>'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>\n' + "\n".join(parts) + "\n</svg>"
    )


LABEL_H = 16
FRAME_PAD, FRAME_GAP = 10, 24


def _frame_group(frame: dict, index: int, body: str) -> str:
    view = frame.get("view", "side")
    return f'<g class="pose-frame" data-frame="{index}" data-view="{view}">\n{body}\n</g>'


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
    below = max(-canvas.extent()[1] for canvas, _ in drawn)
    parts, x_cursor, height = [], pad, max(h for _, h in drawn) + 2 * pad
    for index, ((canvas, _), frame) in enumerate(zip(drawn, pose["frames"], strict=True)):
        min_x, _, max_x, _ = canvas.extent()
        canvas.shift(x_cursor - min_x, 0)
        body = canvas.svg(top=height - pad)
        if label_h:
            body += "\n" + _label(
                frame, index, x_cursor + (max_x - min_x) / 2, height + below + label_h - 4
            )
        parts.append(_frame_group(frame, index, body))
        x_cursor += (max_x - min_x) + gap
    return parts, x_cursor - gap + pad, height + below + label_h


def _frames_stacked(drawn: list, pose: dict) -> tuple[list[str], float, float]:
    """Frames top to bottom, centred, each with its own floor and its label under it."""
    pad = FRAME_PAD
    widest = max(canvas.extent()[2] - canvas.extent()[0] for canvas, _ in drawn)
    parts, y_cursor = [], pad
    for index, ((canvas, frame_height), frame) in enumerate(
        zip(drawn, pose["frames"], strict=True)
    ):
        min_x, min_y, max_x, _ = canvas.extent()
        canvas.shift(pad + (widest - (max_x - min_x)) / 2 - min_x, 0)
        floor = y_cursor + frame_height
        body = canvas.svg(top=floor)
        baseline = floor - min_y + LABEL_H - 4
        body += "\n" + _label(frame, index, pad + widest / 2, baseline)
        parts.append(_frame_group(frame, index, body))
        y_cursor = baseline + pad
    return parts, widest + 2 * pad, y_cursor
