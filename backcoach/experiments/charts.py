"""The experiment's two charts, drawn with the chart kit (backcoach/charts.py) like the
progress charts: the answers night by night, marked by condition, and the estimated
difference with its interval. Pure Python, no Django."""

import datetime as dt
from collections.abc import Sequence

from backcoach.charts import (
    LEFT,
    WIDTH,
    chart_text,
    legend,
    nice_ceiling,
    svg_document,
    thirds,
    time_frame,
)


def nights_chart(
    *,
    id_prefix: str,
    title: str,
    description: str,
    nights: Sequence[tuple[dt.date, str, float]],
    low: float,
    high: float,
    height: float = 220,
) -> str:
    """Each morning's answer on its night: a filled dot for an A night, an open one for a
    B night (by the condition assigned)."""
    top = high if high <= 10 else nice_ceiling(max([v for _, _, v in nights] + [low + 1]))
    ticks = thirds(top) if low == 0 else [low, *range(int(low) + 1, int(top) + 1)]
    frame = time_frame([night for night, _, _ in nights], ticks, height)
    x, y = frame.x, frame.y
    # The labels are named in the caption: a routine's name does not fit beside the other.
    parts = legend([("point", "After A"), ("open", "After B")])
    parts += frame.parts
    for night, condition, value in nights:
        css = "chart-point" if condition == "A" else "chart-open"
        parts.append(f'<circle cx="{x(night):.1f}" cy="{y(value):.1f}" r="4" class="{css}"/>')
    return svg_document(id_prefix, title, description, height, parts)


def difference_chart(
    *,
    id_prefix: str,
    title: str,
    description: str,
    benefit: float,
    benefit_low: float,
    benefit_high: float,
    smallest_change: float,
    unit: str,
    height: float = 120,
) -> str:
    """How much better A is than B (right) or worse (left): the estimate as a dot, its
    95 % interval as a bar, and the band of changes too small to matter shaded."""
    reach = max(abs(benefit_low), abs(benefit_high), 2 * smallest_change)
    reach = nice_ceiling(reach, at_least=smallest_change)
    plot_w = WIDTH - 2 * LEFT
    middle = height / 2 + 6

    def x(value: float) -> float:
        return LEFT + (value + reach) / (2 * reach) * plot_w

    parts = legend([("point", "Best estimate"), ("chart-band", "Too small to matter")])
    band_left, band_right = x(-smallest_change), x(smallest_change)
    parts.append(
        f'<rect x="{band_left:.1f}" y="{middle - 16:.1f}" width="{band_right - band_left:.1f}" '
        f'height="32" class="chart-band"/>'
    )
    parts.append(
        f'<line x1="{x(0):.1f}" y1="{middle - 20:.1f}" x2="{x(0):.1f}" y2="{middle + 20:.1f}" '
        f'class="chart-axis"/>'
    )
    parts.append(
        f'<line x1="{x(benefit_low):.1f}" y1="{middle:.1f}" x2="{x(benefit_high):.1f}" '
        f'y2="{middle:.1f}" class="chart-mean"/>'
    )
    parts.append(f'<circle cx="{x(benefit):.1f}" cy="{middle:.1f}" r="5" class="chart-point"/>')
    bottom = height - 8
    parts.append(chart_text(LEFT, bottom, "← B better", css="chart-label"))
    parts.append(chart_text(x(0), bottom, f"0 {unit}", anchor="middle"))
    parts.append(chart_text(WIDTH - LEFT, bottom, "A better →", anchor="end"))
    return svg_document(id_prefix, title, description, height, parts)
