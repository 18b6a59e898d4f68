"""What a pose figure has besides the body: props to scale, the surface, the inset detail.

Kept apart from figures.py, which draws the body and lays frames out; both are pure Python.
"""

from backcoach.library.figure_body import (
    BALL_R,
    BED_DEPTH,
    HIGHLIGHT,
    PAGE,
    PILLOW_BREADTH,
    PILLOW_FILL,
    PILLOW_LENGTH,
    PILLOW_MIN,
    PROP_FILL,
    ROLLER_LENGTH,
    ROLLER_R,
    SPINE_POINTS,
    SURFACE_FILL,
    Camera,
    Canvas,
    Flat,
    Point,
    Skeleton,
)

# A ball goes beside the spine, never on it: this far to the near side of it.
BALL_BESIDE_SPINE = 5
INSET_R = 26


def lowest_height(body: Skeleton) -> float:
    """The height of the body's lowest skin in the world, where the floor is."""
    segments = body.trunk() + body.limb("", "arm") + body.limb("", "leg")
    segments += body.limb("far_", "arm") + body.limb("far_", "leg")
    lows = [min(s.start.y, s.end.y) - s.depth / 2 for s in segments]
    return min(lows)


def draw_props(canvas: Canvas, body: Skeleton, camera: Camera, props: list[dict]) -> None:
    """Each prop at the part of the body it touches. Props under the body go behind it."""
    skin = [s for s in canvas.shapes if s[2].get("class") != "figure-outline"]
    _, body_floor, _, body_top = canvas.extent(skin)
    ball_at = {p["at"] for p in props if p["kind"] == "massage-ball"}
    side_on = camera.view == "side"
    floor_3d = lowest_height(body)
    for prop in props:
        kind, at = prop["kind"], prop["at"]
        point, outward, skin = body.anchor(at)
        marker = f'data-prop="{kind}" data-at="{at}"'
        under = Canvas()
        if kind == "pillow":
            # A pillow supports from below: its top meets the skin, its bottom the bed.
            f = camera.flat(point)
            if side_on:
                top = f.y - skin
                bottom = min(body_floor, top - PILLOW_MIN)
                corner, other = (
                    Flat(f.x - PILLOW_LENGTH / 2, bottom),
                    Flat(f.x + PILLOW_LENGTH / 2, top),
                )
                under.rect(corner, other, rx=5, fill=PILLOW_FILL, group=marker)
            else:
                half_l, half_b = PILLOW_LENGTH / 2, PILLOW_BREADTH / 2
                corners = [
                    (-half_l, -half_b),
                    (half_l, -half_b),
                    (half_l, half_b),
                    (-half_l, half_b),
                ]
                outline = [camera.flat(Point(point.x + dx, floor_3d, dz)) for dx, dz in corners]
                under.polygon(outline, fill=PILLOW_FILL, group=marker)
        elif kind == "foam-roller":
            centre = point + outward * (skin + ROLLER_R)
            roller = {"fill": PROP_FILL, "stroke": "currentColor", "stroke-width": 1.5}
            if side_on:
                under.circle(camera.flat(centre), ROLLER_R, **roller, group=marker)
            else:
                ends = [
                    centre + Point(0, 0, ROLLER_LENGTH / 2),
                    centre - Point(0, 0, ROLLER_LENGTH / 2),
                ]
                under.line(
                    [camera.flat(e) for e in ends],
                    stroke=PROP_FILL,
                    group=marker,
                    **{"stroke-width": 2 * ROLLER_R, "stroke-linecap": "butt"},
                )
        elif kind == "massage-ball":
            centre = point + outward * (skin + BALL_R)
            if at in SPINE_POINTS or at == "neck-shoulders":
                centre = centre + Point(0, 0, BALL_BESIDE_SPINE)
            ball = {"fill": HIGHLIGHT, "stroke": "currentColor", "stroke-width": 1.2}
            under.circle(camera.flat(centre), BALL_R, **ball, group=marker)
        elif kind == "strap":
            end, _, _ = body.anchor(prop["to"])
            canvas.line(
                [camera.flat(body.joints["hand"]), camera.flat(end)],
                stroke=PROP_FILL,
                group=marker,
                **{"stroke-width": 2.5, "stroke-dasharray": "5 3"},
            )
        elif kind == "wall":
            gap = 2 * BALL_R if at in ball_at else 0
            wall = camera.flat(point + outward * (skin + gap + 2))
            # From the floor (wherever the body comes to stand) to above the head.
            canvas.line(
                [Flat(wall.x, -999), Flat(wall.x, body_top + 12)],
                stroke=SURFACE_FILL,
                group=marker + ' data-reaches-floor="1"',
                **{"stroke-width": 4, "stroke-linecap": "butt"},
            )
        elif kind == "chair":
            draw_chair(canvas, body, camera, marker)
        canvas.shapes[:0] = under.shapes


def draw_chair(canvas: Canvas, body: Skeleton, camera: Camera, marker: str) -> None:
    """A seat under the pelvis, legs down to the floor, a back behind it."""
    point, segment = body.spine_at(0.05)
    seat = camera.flat(point)
    seat_y = seat.y - segment.depth / 2
    behind = camera.flat(segment.front * -1).x - camera.flat(Point(0, 0)).x
    back_x = seat.x + (1 if behind >= 0 else -1) * 20
    parts = Canvas()
    chair = {"stroke": PROP_FILL, "group": marker}
    parts.line(
        [Flat(seat.x - 20, seat_y), Flat(seat.x + 20, seat_y)], **chair, **{"stroke-width": 4}
    )
    parts.line([Flat(back_x, seat_y), Flat(back_x, seat_y + 42)], **chair, **{"stroke-width": 3.5})
    for leg_x in (seat.x - 17, seat.x + 17):
        parts.line(
            [Flat(leg_x, seat_y), Flat(leg_x, -999)],
            stroke=PROP_FILL,
            group=marker + ' data-reaches-floor="1"',
            **{"stroke-width": 3},
        )
    canvas.shapes[:0] = parts.shapes


def draw_surface(canvas: Canvas, body: Skeleton, camera: Camera, surface: str, drop: float) -> None:
    """The bed or floor under the body, its top at the drawing's y = 0 seen from the side."""
    if surface == "none":
        return
    marker = {"data-surface": surface, "class": "figure-surface"}
    min_x, _, max_x, _ = canvas.extent()
    if camera.view == "side":
        if surface == "bed":
            canvas.shapes.insert(
                0,
                (
                    "rect",
                    [Flat(min_x - 6, -BED_DEPTH), Flat(max_x + 6, 0)],
                    {"fill": SURFACE_FILL, **marker},
                ),
            )
        else:
            canvas.shapes.insert(
                0,
                (
                    "line",
                    [Flat(min_x - 8, -1.5), Flat(max_x + 8, -1.5)],
                    {"stroke": SURFACE_FILL, "stroke-width": 3, "stroke-linecap": "butt", **marker},
                ),
            )
        return
    # Seen from above or at three-quarters: the bed or a mat as a plane under the body.
    joints = [*body.joints.values(), body.head, *body.spine]
    floor = lowest_height(body)
    x0, x1 = min(p.x for p in joints) - 18, max(p.x for p in joints) + 18
    z0, z1 = min(p.z for p in joints) - 22, max(p.z for p in joints) + 22
    corners = [
        Point(x0, floor, z0),
        Point(x1, floor, z0),
        Point(x1, floor, z1),
        Point(x0, floor, z1),
    ]
    outline = [Flat(f.x, f.y - drop) for f in map(camera.flat, corners)]
    fill = {"fill": SURFACE_FILL, "fill-opacity": "1" if surface == "bed" else "0.6"}
    canvas.shapes.insert(0, ("polygon", outline, {**fill, **marker}))


def draw_inset(canvas: Canvas, body: Skeleton, camera: Camera, inset: str, drop: float) -> None:
    """A round close-up above the body: the back cut across, seen from the feet, with the
    hands (palms up, fingertips pressing up) or the ball either side of the spine."""
    area = "lower-back"
    point, _, _ = body.anchor(area)
    at = camera.flat(point)
    at = Flat(at.x, at.y - drop)
    _, _, _, top = canvas.extent()
    centre = Flat(at.x, top + INSET_R + 6)
    group = f'class="figure-inset" data-inset="{inset}"'

    def local(x: float, y: float) -> Flat:
        return Flat(centre.x + x, centre.y + y)

    shapes = Canvas()
    shapes.line([at, local(0, -INSET_R)], stroke=HIGHLIGHT, group=group, **{"stroke-width": 1.2})
    shapes.circle(
        centre,
        INSET_R,
        fill=PAGE,
        stroke="currentColor",
        group=group,
        **{"stroke-width": 1.2, "class": "figure-inset-bg"},
    )
    bed_top = -12
    shapes.rect(local(-21, bed_top - 5), local(21, bed_top), fill=SURFACE_FILL, group=group)
    # The back, resting on the fingertips (or the ball) a hand's thickness above the bed.
    shapes.ellipse(local(0, bed_top + 17), 20, 11, fill="currentColor", group=group)
    shapes.circle(
        local(0, bed_top + 10), 3, fill=SURFACE_FILL, group=group, **{"data-part": "spine"}
    )
    shapes.line(
        [local(0, bed_top + 10), local(0, bed_top + 6.5)],
        stroke=SURFACE_FILL,
        group=group,
        **{"stroke-width": 2.4, "data-part": "spinous-process"},
    )
    for side in (-1, 1):
        shapes.ellipse(
            local(7 * side, bed_top + 8.5),
            4,
            2.4,
            fill=HIGHLIGHT,
            group=group,
            **{"class": "work-area-detail"},
        )
    if inset == "hands-under-back":
        for side in (-1, 1):
            hand = [
                local(16 * side, bed_top + 1.8),
                local(8 * side, bed_top + 1.8),
                local(7 * side, bed_top + 6),
            ]
            shapes.line(
                hand, stroke=PAGE, group=group, **{"stroke-width": 5, "class": "figure-outline"}
            )
            shapes.line(
                hand,
                stroke="currentColor",
                group=group,
                **{"stroke-width": 3.2, "data-part": "hand"},
            )
    else:
        shapes.circle(
            local(7, bed_top + BALL_R),
            BALL_R,
            fill=HIGHLIGHT,
            stroke="currentColor",
            group=group,
            **{"stroke-width": 1, "data-part": "ball"},
        )
    shapes.text(
        local(0, -INSET_R + 2.5),
        "seen from the feet",
        group=group,
        **{"font-size": 4.5, "text-anchor": "middle", "fill": "currentColor"},
    )
    canvas.shapes.extend(shapes.shapes)
