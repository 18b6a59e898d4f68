"""Every technique has a picture: a valid SVG with its work area highlighted."""

import xml.etree.ElementTree as ET

import pytest

from backcoach.library import content
from backcoach.library.figures import render_pose

SVG = "{http://www.w3.org/2000/svg}"
TECHNIQUES = content.load_library().techniques


@pytest.mark.parametrize("technique", TECHNIQUES, ids=lambda t: t.slug)
def test_every_technique_renders_a_valid_svg_with_its_work_area(technique):
    svg = render_pose(
        technique.pose,
        title=technique.name,
        description=" ".join(technique.instructions),
        id_prefix=technique.slug,
    )
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert 60 < width < 900 and 40 < height < 400
    assert root.find(f"{SVG}title").text == technique.name
    assert root.find(f"{SVG}desc").text == " ".join(technique.instructions)
    highlighted = {
        g.get("data-area") for g in root.iter(f"{SVG}g") if g.get("class") == "work-area"
    }
    wanted = {area for frame in technique.pose["frames"] for area in frame["work_area"]}
    assert wanted and highlighted == wanted
    props = {
        (g.get("data-prop"), g.get("data-at")) for g in root.iter(f"{SVG}g") if g.get("data-prop")
    }
    assert props == {(p["kind"], p["at"]) for f in technique.pose["frames"] for p in f["props"]}
    assert root.get("data-frames") == str(len(technique.pose["frames"]))


def test_nothing_in_a_figure_sits_below_the_floor():
    for technique in TECHNIQUES:
        svg = render_pose(technique.pose, title="t", description="d", id_prefix="p")
        root = ET.fromstring(svg)
        height = float(root.get("viewBox").split()[3])
        for circle in root.iter(f"{SVG}circle"):
            assert float(circle.get("cy")) - float(circle.get("r")) >= -1, technique.slug
            assert float(circle.get("cy")) <= height, technique.slug


def test_moves_with_two_positions_show_both():
    two = {t.slug for t in TECHNIQUES if len(t.pose["frames"]) == 2}
    assert {"cat-cow", "pelvic-tilt"} <= two


def test_text_in_a_figure_is_escaped():
    pose = TECHNIQUES[0].pose
    svg = render_pose(pose, title="<script>x</script>", description="a & b", id_prefix="p")
    ET.fromstring(svg)
    assert "<script>" not in svg
