"""The progress charts, drawn with the chart kit (backcoach/charts.py, which says why SVG
drawn on the server): values over time, the calendar of nights with a practice, and pain
before and after each practice. Pure Python, no Django."""

import datetime as dt
from collections.abc import Callable, Sequence

from backcoach.charts import (
    BOTTOM_PAD,
    INSET,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    chart_text,
    day_text,
    legend,
    number_text,
    svg_document,
    time_frame,
)


def time_chart(
    *,
    id_prefix: str,
    title: str,
    description: str,
    points: Sequence[tuple[dt.date, float]],
    mean: Sequence[tuple[dt.date, float]] = (),
    band: tuple[dt.date, dt.date] | None = None,
    y_ticks: Sequence[float],
    y_tick_text: Callable[[float], str] = number_text,
    point_label: str = "Each day",
    mean_label: str = "7-day mean",
    band_label: str = "First 14 days",
    gap_days: int = 7,
    connect: bool = False,
    height: float = 210,
) -> str:
    """Values over time: a dot for each, a line for their rolling mean (broken where the
    dates jump more than `gap_days`), and a shaded band for the baseline.

    `connect` joins the dots themselves (for a weekly measure, where there is no mean)."""
    dates = [day for day, _ in points] + [day for day, _ in mean]
    if band:
        dates += list(band)
    frame = time_frame(dates, y_ticks, height, y_tick_text)
    x, y = frame.x, frame.y
    parts = []
    keys = [("point", point_label)]
    if mean:
        keys.append(("line", mean_label))
    if band:
        keys.append(("chart-band", band_label))
    parts += legend(keys)
    if band:
        # A day is drawn at its start; the band covers its last day too.
        left, right = x(band[0]) - INSET, min(x(band[1] + dt.timedelta(days=1)), LEFT + frame.width)
        parts.append(
            f'<rect x="{left:.1f}" y="{TOP}" width="{max(right - left, 2):.1f}" '
            f'height="{frame.height:.1f}" class="chart-band"/>'
        )
    parts += frame.parts
    for line in _runs(mean if mean else points if connect else [], gap_days):
        if len(line) == 1:
            continue
        coordinates = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in line)
        parts.append(f'<polyline points="{coordinates}" class="chart-mean" fill="none"/>')
    radius = 4 if connect or len(points) <= 60 else 2.5 if len(points) <= 200 else 1.5
    parts += [
        f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="{radius}" class="chart-point"/>'
        for day, value in points
    ]
    return svg_document(id_prefix, title, description, height, parts)


def _runs(
    values: Sequence[tuple[dt.date, float]], gap_days: int
) -> list[list[tuple[dt.date, float]]]:
    """The values split where the dates jump more than `gap_days`."""
    runs: list[list[tuple[dt.date, float]]] = []
    for day, value in sorted(values):
        if runs and (day - runs[-1][-1][0]).days <= gap_days:
            runs[-1].append((day, value))
        else:
            runs.append([(day, value)])
    return runs


WEEKDAYS = ("M", "T", "W", "T", "F", "S", "S")
CELL_W, CELL_H, GAP = 30, 22, 4
CAL_LEFT, CAL_TOP = 56, 46


def heat_class(count: int | None) -> str:
    if count is None:
        return "heat-out"
    return f"heat-{min(count, 2)}"


def practice_calendar(
    *,
    id_prefix: str,
    title: str,
    description: str,
    weeks: Sequence[tuple[dt.date, Sequence[int | None]]],
) -> str:
    """A calendar of nights, a row per week (Monday first): each night's square is empty,
    half or fully filled for 0, 1 or 2+ practices; None marks a night outside the diary
    (before the first entry, or still to come). The week's count is at the row's end."""
    parts = legend(
        [("heat-0", "None"), ("heat-1", "1 practice"), ("heat-2", "2 or more")], x=CAL_LEFT
    )
    for column, name in enumerate(WEEKDAYS):
        centre = CAL_LEFT + column * (CELL_W + GAP) + CELL_W / 2
        parts.append(chart_text(centre, CAL_TOP - 8, name, anchor="middle"))
    count_x = CAL_LEFT + 7 * (CELL_W + GAP) + 4
    parts.append(chart_text(count_x + 21, CAL_TOP - 8, "Nights", anchor="middle"))
    for row, (start, nights) in enumerate(weeks):
        top = CAL_TOP + row * (CELL_H + GAP)
        parts.append(chart_text(CAL_LEFT - 6, top + CELL_H - 6, day_text(start), anchor="end"))
        for column, count in enumerate(nights):
            parts.append(
                f'<rect x="{CAL_LEFT + column * (CELL_W + GAP)}" y="{top}" width="{CELL_W}" '
                f'height="{CELL_H}" rx="3" class="{heat_class(count)}"/>'
            )
        practised = sum(1 for count in nights if count)
        parts.append(chart_text(count_x + 21, top + CELL_H - 6, str(practised), anchor="middle"))
    height = CAL_TOP + len(weeks) * (CELL_H + GAP) + 4
    return svg_document(id_prefix, title, description, height, parts)


def before_after_chart(
    *,
    id_prefix: str,
    title: str,
    description: str,
    practices: Sequence[tuple[dt.date, float, float]],
    height: float = 210,
) -> str:
    """Pain before (open circle) and after (filled) each practice, joined by a line, in
    the order they were done."""
    bottom = height - BOTTOM_PAD
    plot_w, plot_h = WIDTH - LEFT - RIGHT, bottom - TOP
    slot = plot_w / max(len(practices), 1)

    def y(value: float) -> float:
        return bottom - value / 10 * plot_h

    parts = legend([("open", "Before"), ("point", "After")])
    for tick in (0, 2, 4, 6, 8, 10):
        parts.append(
            f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{LEFT + plot_w}" y2="{y(tick):.1f}" '
            f'class="chart-grid"/>'
        )
        parts.append(chart_text(LEFT - 5, y(tick) + 4, str(tick), anchor="end"))
    parts.append(
        f'<line x1="{LEFT}" y1="{bottom}" x2="{LEFT + plot_w}" y2="{bottom}" class="chart-axis"/>'
    )
    for index, (_, before, after) in enumerate(practices):
        centre = LEFT + slot * (index + 0.5)
        kind = "down" if after < before else "up" if after > before else "same"
        parts.append(
            f'<line x1="{centre:.1f}" y1="{y(before):.1f}" x2="{centre:.1f}" y2="{y(after):.1f}" '
            f'class="chart-change chart-{kind}"/>'
        )
        parts.append(f'<circle cx="{centre:.1f}" cy="{y(before):.1f}" r="3.5" class="chart-open"/>')
        parts.append(f'<circle cx="{centre:.1f}" cy="{y(after):.1f}" r="3.5" class="chart-point"/>')
    if practices:
        first, last = practices[0][0], practices[-1][0]
        parts.append(chart_text(LEFT, bottom + 19, day_text(first)))
        if len(practices) > 1:
            parts.append(chart_text(LEFT + plot_w, bottom + 19, day_text(last), anchor="end"))
    return svg_document(id_prefix, title, description, height, parts)
