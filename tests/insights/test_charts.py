"""The progress charts: well-formed SVG images with a name and a description, every text
escaped, every mark inside the picture. The kit they are drawn with: tests/test_charts.py."""

import datetime as dt
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from backcoach import charts as kit
from backcoach.insights import charts

SVG = "{http://www.w3.org/2000/svg}"
D0 = dt.date(2026, 10, 5)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def pain_chart(points, **options) -> str:
    values = {
        "id_prefix": "pain",
        "title": "Pain by day",
        "description": "Pain on some days.",
        "points": points,
        "y_ticks": (0, 2, 4, 6, 8, 10),
    }
    return charts.time_chart(**{**values, **options})


def test_a_chart_is_an_image_named_by_its_title_and_described():
    root = parsed(pain_chart([(day(0), 4.0), (day(1), 5.0)]))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "pain-title pain-desc"
    assert root.find(f"{SVG}title").text == "Pain by day"
    assert root.find(f"{SVG}title").get("id") == "pain-title"
    assert root.find(f"{SVG}desc").text == "Pain on some days."


def test_every_text_is_escaped():
    svg = pain_chart(
        [(day(0), 4.0)],
        title="<script>alert(1)</script>",
        description='"quoted" & <b>',
        point_label="<i>",
    )
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    root = parsed(svg)
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script>"
    assert root.find(f"{SVG}desc").text == '"quoted" & <b>'


def test_the_mean_line_breaks_where_the_dates_jump():
    mean = [(day(0), 4.0), (day(1), 4.5), (day(20), 3.0), (day(21), 3.5)]
    root = parsed(pain_chart(mean, mean=mean))
    assert len(root.findall(f"{SVG}polyline")) == 2


def test_the_baseline_band_is_drawn_from_its_first_to_after_its_last_day():
    points = [(day(n), 5.0) for n in range(30)]
    root = parsed(pain_chart(points, band=(day(0), day(13))))
    plot_band = [r for r in root.findall(f"{SVG}rect") if r.get("class") == "chart-band"][-1]
    assert float(plot_band.get("x")) == kit.LEFT
    middle = kit.LEFT + kit.INSET + 14 / 29 * (kit.WIDTH - 42 - 2 * kit.INSET)
    assert abs(float(plot_band.get("x")) + float(plot_band.get("width")) - middle) < 0.2


def inside(root: ET.Element) -> bool:
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    for element in root.iter():
        for name in ("x", "cx", "x1", "x2"):
            if element.get(name) is not None and not 0 <= float(element.get(name)) <= width:
                return False
        for name in ("y", "cy", "y1", "y2"):
            if element.get(name) is not None and not 0 <= float(element.get(name)) <= height:
                return False
        for pair in (element.get("points") or "").split():
            x, y = (float(v) for v in pair.split(","))
            if not (0 <= x <= width and 0 <= y <= height):
                return False
    return True


series = st.lists(
    st.tuples(st.integers(0, 1000).map(day), st.integers(0, 100).map(lambda n: n / 10)),
    min_size=1,
    max_size=60,
)


@given(series, series)
def test_any_series_draws_well_formed_with_every_mark_inside(points, mean):
    root = parsed(pain_chart(points, mean=mean))
    assert inside(root)
    assert len(root.findall(f"{SVG}circle")) == len(points) + 1  # and the legend's


def test_the_calendar_fills_a_square_per_night_by_its_practices():
    weeks = [(day(0), [None, None, 0, 1, 2, 3, 0]), (day(7), [1, 0, None, None, None, None, None])]
    root = parsed(
        charts.practice_calendar(
            id_prefix="practices", title="Nights", description="Some nights.", weeks=weeks
        )
    )
    classes = [r.get("class") for r in root.findall(f"{SVG}rect")][3:]  # after the legend
    assert classes[:7] == ["heat-out", "heat-out", "heat-0", "heat-1", "heat-2", "heat-2", "heat-0"]
    assert classes[7:9] == ["heat-1", "heat-0"]
    # Each row ends with its number of nights with a practice.
    assert [t.text for t in root.findall(f"{SVG}text")][-4:] == ["5 Oct", "3", "12 Oct", "1"]


def test_before_and_after_draws_a_pair_per_practice():
    practices = [(day(0), 6.0, 4.0), (day(1), 3.0, 5.0), (day(2), 4.0, 4.0)]
    root = parsed(
        charts.before_after_chart(
            id_prefix="ba", title="Before and after", description="Three.", practices=practices
        )
    )
    changes = [
        line.get("class")
        for line in root.findall(f"{SVG}line")
        if "chart-change" in line.get("class")
    ]
    assert changes == [
        "chart-change chart-down",
        "chart-change chart-up",
        "chart-change chart-same",
    ]
    assert inside(root)
