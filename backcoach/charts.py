"""The chart kit: what every chart of backcoach is drawn with, on the server, as inline SVG
(the frame of a chart over time, its document, labels and legend, its scales). The progress
charts (backcoach.insights.charts) and an experiment's (backcoach.experiments.charts) are
drawn with it. Pure Python, no Django.

Why SVG drawn here rather than a chart library in the browser:
- no JavaScript: the page works as soon as it arrives, on any phone, and there is no
  library to vendor, update and audit;
- it prints: the charts are part of the page, so a person can print it or save it as a PDF
  for a clinician and get what they see;
- it keeps the Content-Security-Policy strict: no inline scripts or styles, since colours
  come from classes in progress.css (and follow the dark or light theme) and the rest are
  SVG presentation attributes;
- it is accessible: each chart is one image (role="img") named by its <title> and
  described by its <desc>, and the page puts the numbers beside it in a table.

Every piece of text is escaped. Each function takes plain dates and floats and returns a
string; `id_prefix` keeps the ids of several charts on one page apart.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 360
FONT = 13
CHAR_W = 7.0  # roughly, for a label at FONT in a system sans-serif
LEFT, RIGHT = 32, 10
INSET = 6
LEGEND_Y = 15
TOP, BOTTOM_PAD = 32, 26
# Nice tops for a y axis, each split into thirds with whole numbers.
CEILINGS = (3, 6, 15, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: dt.date) -> str:
    """A date as people say it on a chart: 3 Nov."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def nice_ceiling(value: float, at_least: float = 3) -> float:
    """The smallest of CEILINGS at or above `value` (and `at_least`)."""
    wanted = max(value, at_least)
    return next((top for top in CEILINGS if top >= wanted), wanted)


def thirds(top: float) -> list[float]:
    return [0, top / 3, 2 * top / 3, top]


def svg_document(
    id_prefix: str, title: str, description: str, height: float, parts: list[str]
) -> str:
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {round(height)}" '
        f'class="chart" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-size="{FONT}">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>\n' + "\n".join(parts) + "\n</svg>"
    )


def chart_text(
    x: float, y: float, text: str, *, anchor: str = "start", css: str = "chart-label"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}" '
        f'fill="currentColor">{escape(text)}</text>'
    )


def legend(items: list[tuple[str, str]], y: float = LEGEND_Y, x: float = LEFT) -> list[str]:
    """A row of (swatch kind, label): 'point', 'open', 'line', 'band', or a heat class."""
    parts = []
    for kind, label in items:
        if kind == "point":
            parts.append(f'<circle cx="{x + 5:.1f}" cy="{y - 4:.1f}" r="3.5" class="chart-point"/>')
        elif kind == "open":
            parts.append(f'<circle cx="{x + 5:.1f}" cy="{y - 4:.1f}" r="3.5" class="chart-open"/>')
        elif kind == "line":
            parts.append(
                f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 12:.1f}" y2="{y - 4:.1f}" '
                f'class="chart-mean"/>'
            )
        else:
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" rx="2" class="{kind}"/>'
            )
        parts.append(chart_text(x + 16, y, label))
        x += 16 + len(label) * CHAR_W + 14
    return parts


def date_ticks(start: dt.date, end: dt.date, count: int = 4) -> list[dt.date]:
    span = (end - start).days
    if span < count:
        return sorted({start, end})
    return sorted({start + dt.timedelta(days=round(span * i / (count - 1))) for i in range(count)})


@dataclass(frozen=True)
class TimeFrame:
    """The scales of a chart over time and what draws its frame: the grid, the value
    labels, the date ticks and the axis."""

    x: Callable[[dt.date], float]
    y: Callable[[float], float]
    width: float
    height: float
    parts: list[str]


def time_frame(
    dates: Sequence[dt.date],
    y_ticks: Sequence[float],
    height: float,
    y_tick_text: Callable[[float], str] = number_text,
) -> TimeFrame:
    """The frame for values on `dates` (at least one) against the range of `y_ticks`."""
    start, end = min(dates), max(dates)
    if start == end:
        start, end = start - dt.timedelta(days=3), end + dt.timedelta(days=3)
    low, high = min(y_ticks), max(y_ticks)
    bottom = height - BOTTOM_PAD
    plot_w, plot_h = WIDTH - LEFT - RIGHT, bottom - TOP
    span = (end - start).days

    def x(day: dt.date) -> float:
        # Inset, so that the first and last dots clear the axis labels.
        return LEFT + INSET + (day - start).days / span * (plot_w - 2 * INSET)

    def y(value: float) -> float:
        return bottom - (value - low) / (high - low) * plot_h

    parts = []
    for tick in y_ticks:
        parts.append(
            f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{LEFT + plot_w}" y2="{y(tick):.1f}" '
            f'class="chart-grid"/>'
        )
        parts.append(chart_text(LEFT - 5, y(tick) + 4, y_tick_text(tick), anchor="end"))
    ticks = date_ticks(start, end)
    for index, tick in enumerate(ticks):
        anchor = "start" if index == 0 else "end" if index == len(ticks) - 1 else "middle"
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{bottom}" x2="{x(tick):.1f}" y2="{bottom + 4}" '
            f'class="chart-axis"/>'
        )
        parts.append(chart_text(x(tick), bottom + 19, day_text(tick), anchor=anchor))
    parts.append(
        f'<line x1="{LEFT}" y1="{bottom}" x2="{LEFT + plot_w}" y2="{bottom}" class="chart-axis"/>'
    )
    return TimeFrame(x, y, plot_w, plot_h, parts)
