"""The progress page: the summary in words and the charts, each with its table, made from
what the diary selector read (selectors.diary_of) by the pure modules (stats.py, charts.py,
summary.py). The clinician's report (report.py) shows the same. Dates are the person's local
dates."""

import datetime as dt
from dataclasses import dataclass, field, replace
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from backcoach.charts import day_text, nice_ceiling, number_text, thirds
from backcoach.safety import content as safety_content
from backcoach.safety.content import Source

from . import charts, stats, summary
from .ranges import DateRange
from .selectors import DAY, WINDOW_WEEKS, Diary, diary_of
from .summary import one, plural, span_text

CALENDAR_WEEKS = WINDOW_WEEKS
BEFORE_AFTER_SHOWN = 20


@dataclass(frozen=True)
class Chart:
    """One chart with its text alternative, or, without data, what to do to fill it."""

    key: str
    heading: str
    how_to_read: str
    empty: str
    action: tuple[str, str]  # (url, words) for the empty state
    svg: SafeString | None = None
    table_caption: str = ""
    columns: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)

    def table_body(self) -> SafeString:
        """The table's rows as HTML, each led by its header cell: built here rather than
        by template loops, which took most of the page's time."""
        rows = (
            f'<tr><th scope="row">{escape(row[0])}</th>'
            + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
            + "</tr>"
            for row in self.rows
        )
        return mark_safe("\n".join(rows))  # noqa: S308 - every cell escaped above


@dataclass(frozen=True)
class Summary:
    pain: str
    pain_meaning: str | None
    pain_worse: bool
    adherence: str
    weeks: str
    nights: list[str]
    before_after: str
    sources: list[Source]


@dataclass(frozen=True)
class ProgressPage:
    summary: Summary
    charts: list[Chart]
    has_entries: bool


def progress_page(
    person, now: dt.datetime | None = None, *, dates: DateRange | None = None
) -> ProgressPage:
    """The progress page, for the last WINDOW_WEEKS weeks or for `dates` (a report's)."""
    return progress_of(diary_of(person, now, dates=dates))


def adherence_of(records: Diary) -> stats.Adherence:
    if records.since is None:
        return stats.Adherence(nights_practised=0, nights=0)
    # A range that ended before today counts its last night as over; one that ends today
    # does not count tonight before it is over.
    tonight = records.tonight or records.today
    end = tonight if records.last_day is None else min(tonight, records.last_day + DAY)
    return stats.adherence(records.practice_nights, first_day=records.since, today=end)


def progress_of(records: Diary, *, with_year: bool = False) -> ProgressPage:
    """The summary and the charts of what `diary_of` read; `with_year` dates the summary's
    sentences in full, for a report kept on paper."""
    daily = stats.daily_means(records.pain)
    change = stats.pain_change(stats.daily_means(records.early_pain + records.pain))
    adherence = adherence_of(records)
    keys = set(stats.SOURCES)
    page_summary = Summary(
        pain=summary.pain_change_text(change),
        pain_meaning=summary.what_it_means_text(change),
        pain_worse=change.verdict == stats.Verdict.WORSE,
        adherence=summary.adherence_text(adherence, since=records.since, with_year=with_year),
        weeks=summary.weeks_text(stats.best_and_worst_weeks(daily)),
        nights=summary.nights_text(
            stats.nights_compared(records.mornings, records.practice_nights)
        ),
        before_after=summary.before_after_text(
            stats.before_and_after((b, a) for _, b, a in records.before_after)
        ),
        sources=[source for source in safety_content.sources() if source.key in keys],
    )
    return ProgressPage(
        summary=page_summary,
        charts=[
            pain_chart(daily, change),
            sleep_onset_chart(records.onset),
            sleep_quality_chart(records.quality),
            calendar_chart(records),
            before_after_chart(records.before_after),
            fingertip_chart(records.fingertip, records.unit),
            peg_chart(records.peg),
        ],
        has_entries=records.since is not None,
    )


def svg(text: str) -> SafeString:
    return mark_safe(text)  # noqa: S308 - drawn by charts.py, every text escaped


def weekly_rows(values: dict[dt.date, float]) -> list[tuple[str, ...]]:
    return [
        (day_text(week.start), one(week.mean), str(week.days))
        for week in stats.weekly_means(values)
    ]


def span_sentence(what: str, days: list[dt.date], unit: str = "day") -> str:
    return f"{what} on {plural(len(days), unit)} from {day_text(days[0])} to {day_text(days[-1])}."


def trend_text(rolling: dict[dt.date, float], what: str) -> str:
    values = list(rolling.values())
    if len(values) < 2:
        return ""
    return f" The {what} went from {one(values[0])} to {one(values[-1])}."


def pain_chart(daily: dict[dt.date, float], change: stats.PainChange) -> Chart:
    chart = Chart(
        key="pain",
        heading="Pain by day",
        how_to_read=(
            "0 is no pain, 10 the worst imaginable: lower is better. Each dot is a day (the "
            "mean of its ratings), the line the mean of the 7 days up to it, and the shaded "
            f"band your first {stats.BASELINE_DAYS} days with a rating, your baseline."
        ),
        empty=(
            "Rate your pain in a check-in, or before tonight's routine, and it shows here "
            "day by day."
        ),
        action=(reverse("diary:anytime"), "Rate your pain now"),
    )
    if not daily:
        return chart
    rolling = stats.rolling_means(daily)
    days = list(daily)
    band = None
    baseline = change.baseline
    if baseline is not None and baseline.first >= days[0]:
        band = (baseline.first, baseline.last)
    elif baseline is not None:
        # Shading the first days shown would pass them off as the baseline.
        chart = replace(
            chart,
            how_to_read=(
                "0 is no pain, 10 the worst imaginable: lower is better. Each dot is a day "
                "(the mean of its ratings), the line the mean of the 7 days up to it. Your "
                f"baseline, your first {stats.BASELINE_DAYS} days with a rating "
                f"({span_text(baseline.first, baseline.last)}), came before these dates."
            ),
        )
    elif len(days) >= stats.BASELINE_DAYS:
        band = (days[0], days[stats.BASELINE_DAYS - 1])
    description = span_sentence("Pain", days) + trend_text(rolling, "7-day mean")
    drawn = charts.time_chart(
        id_prefix="pain",
        title="Pain by day, 0 to 10",
        description=description,
        points=list(daily.items()),
        mean=list(rolling.items()),
        band=band,
        band_label="Baseline",
        y_ticks=(0, 2, 4, 6, 8, 10),
    )
    return replace(
        chart,
        svg=svg(drawn),
        table_caption="Pain, the mean of each week (Monday to Sunday)",
        columns=("Week of", "Mean pain", "Days rated"),
        rows=weekly_rows(daily),
    )


def morning_action() -> tuple[str, str]:
    return (reverse("diary:morning"), "Morning check-in")


def sleep_onset_chart(onset: dict[dt.date, float]) -> Chart:
    chart = Chart(
        key="sleep-onset",
        heading="Time to fall asleep",
        how_to_read=(
            "Minutes to fall asleep, from your morning check-ins: lower is quicker. Each dot "
            "is a night, dated by the evening it began; the line is the mean of 7 nights."
        ),
        empty="Check in for a few mornings and your sleep shows here.",
        action=morning_action(),
    )
    if not onset:
        return chart
    nights = sorted(onset)
    values = {night: onset[night] for night in nights}
    rolling = stats.rolling_means(values)
    top = nice_ceiling(max(values.values()), at_least=15)
    drawn = charts.time_chart(
        id_prefix="sleep-onset",
        title="Minutes to fall asleep, by night",
        description=span_sentence("Minutes to fall asleep", nights, "night")
        + trend_text(rolling, "7-night mean"),
        points=list(values.items()),
        mean=list(rolling.items()),
        y_ticks=thirds(top),
        point_label="Each night",
        mean_label="7-night mean",
    )
    return replace(
        chart,
        svg=svg(drawn),
        table_caption="Minutes to fall asleep, the mean of each week's nights",
        columns=("Week of", "Minutes (mean)", "Nights"),
        rows=weekly_rows(values),
    )


def sleep_quality_chart(quality: dict[dt.date, float]) -> Chart:
    chart = Chart(
        key="sleep-quality",
        heading="Sleep quality",
        how_to_read=(
            "From 1, very poor, to 5, very good: higher is better. Each dot is a night; the "
            "line is the mean of 7 nights."
        ),
        empty="Your morning check-ins also ask how well you slept; your answers show here.",
        action=morning_action(),
    )
    if not quality:
        return chart
    nights = sorted(quality)
    values = {night: quality[night] for night in nights}
    rolling = stats.rolling_means(values)
    drawn = charts.time_chart(
        id_prefix="sleep-quality",
        title="Sleep quality, 1 (very poor) to 5 (very good), by night",
        description=span_sentence("Sleep quality", nights, "night")
        + trend_text(rolling, "7-night mean"),
        points=list(values.items()),
        mean=list(rolling.items()),
        y_ticks=(1, 2, 3, 4, 5),
        point_label="Each night",
        mean_label="7-night mean",
        height=180,
    )
    return replace(
        chart,
        svg=svg(drawn),
        table_caption="Sleep quality (1 to 5), the mean of each week's nights",
        columns=("Week of", "Quality (mean)", "Nights"),
        rows=weekly_rows(values),
    )


def calendar_chart(records: Diary) -> Chart:
    chart = Chart(
        key="practices",
        heading="Practices per week",
        how_to_read=(
            "A row for each week, Monday to Sunday; a night is filled when you practised "
            "that day or that night (until 6 in the morning), and the number of nights is "
            f"at the end of the row. The last {CALENDAR_WEEKS} weeks."
        ),
        empty="Do tonight's routine, and each night you practise fills a square here.",
        action=(reverse("player:tonight"), "Tonight's routine"),
    )
    by_night = records.practice_nights
    if not by_night:
        return chart
    first_day = records.since
    last_day = records.last_day or records.today
    this_week = stats.week_of(last_day)
    weeks = []
    start = stats.week_of(first_day)
    while start <= this_week:
        row = []
        for offset in range(7):
            night = start + dt.timedelta(days=offset)
            inside = first_day <= night <= last_day
            row.append(by_night.get(night, 0) if inside else None)
        weeks.append((start, row))
        start += dt.timedelta(days=7)
    shown = weeks[-CALENDAR_WEEKS:]
    practised = sum(1 for _, row in shown for count in row if count)
    counted = sum(1 for _, row in shown for count in row if count is not None)
    drawn = charts.practice_calendar(
        id_prefix="practices",
        title=f"Nights with a practice, the last {len(shown)} weeks",
        description=(
            f"From the week of {day_text(shown[0][0])}: a practice on {practised} of "
            f"{plural(counted, 'night')}."
        ),
        weeks=shown,
    )
    rows = [
        (
            day_text(start),
            str(sum(1 for count in row if count)),
            str(sum(count or 0 for count in row)),
        )
        for start, row in reversed(weeks)
    ]
    return replace(
        chart,
        svg=svg(drawn),
        table_caption="Each week, newest first",
        columns=("Week of", "Nights with a practice", "Practices"),
        rows=rows,
    )


def before_after_chart(pairs: list[tuple[dt.date, float, float]]) -> Chart:
    chart = Chart(
        key="before-after",
        heading="Pain before and after a practice",
        how_to_read=(
            "Each pair is one practice: the open circle your pain before, the filled one "
            f"after; lower is better. The last {BEFORE_AFTER_SHOWN} practices rated both times."
        ),
        empty=(
            "Rate your pain before and after a routine (the player asks you) and each "
            "practice shows here."
        ),
        action=(reverse("player:tonight"), "Tonight's routine"),
    )
    if not pairs:
        return chart
    shown = pairs[-BEFORE_AFTER_SHOWN:]
    result = stats.before_and_after((before, after) for _, before, after in shown)
    assert result is not None
    drawn = charts.before_after_chart(
        id_prefix="before-after",
        title=f"Pain before and after your last {plural(len(shown), 'practice')}",
        description=(
            f"On average {one(result.before)} before and {one(result.after)} after, from "
            f"{day_text(shown[0][0])} to {day_text(shown[-1][0])}."
        ),
        practices=shown,
    )
    return replace(
        chart,
        svg=svg(drawn),
        table_caption="The same practices, newest first",
        columns=("Date", "Before", "After"),
        rows=[
            (day_text(day), number(before), number(after)) for day, before, after in reversed(shown)
        ],
    )


def number(value: float) -> str:
    return number_text(value)


def weekly_action() -> tuple[str, str]:
    return (reverse("diary:weekly"), "Weekly check-in")


def fingertip_chart(values: list[tuple[dt.date, float]], unit: str) -> Chart:
    chart = Chart(
        key="fingertip",
        heading="Fingertip to floor",
        how_to_read=(
            f"How far your fingertips stay from the floor when you bend forward, in {unit}: "
            "lower is better, and 0 means they touch it."
        ),
        empty=(
            "Do the fingertip-to-floor test in your weekly check-in, and how far you can "
            "bend shows here week by week."
        ),
        action=weekly_action(),
    )
    if not values:
        return chart
    top = nice_ceiling(max(value for _, value in values), at_least=6)
    drawn = charts.time_chart(
        id_prefix="fingertip",
        title=f"Fingertip-to-floor distance in {unit}",
        description=(
            span_sentence("Fingertip to floor", [day for day, _ in values], "test")
            + f" First {number(values[0][1])} {unit}, latest {number(values[-1][1])} {unit}."
        ),
        points=values,
        y_ticks=thirds(top),
        point_label=f"Each test ({unit})",
        connect=True,
        gap_days=45,
        height=180,
    )
    return replace(
        chart,
        svg=svg(drawn),
        table_caption=f"Each test, newest first, in {unit}",
        columns=("Date", f"Distance ({unit})"),
        rows=[(day_text(day), number(value)) for day, value in reversed(values)],
    )


def peg_chart(values: list[tuple[dt.date, float]]) -> Chart:
    chart = Chart(
        key="peg",
        heading="PEG-3: pain and how it gets in the way",
        how_to_read=(
            "The mean of three 0-10 ratings of the past week: your pain, and how much it "
            "got in the way of enjoying life and of your general activity. Lower is better."
        ),
        empty=(
            "Answer the three PEG questions in your weekly check-in, and your score shows "
            "here week by week."
        ),
        action=weekly_action(),
    )
    if not values:
        return chart
    drawn = charts.time_chart(
        id_prefix="peg",
        title="PEG-3 score, 0 to 10",
        description=(
            span_sentence("PEG-3", [day for day, _ in values], "week")
            + f" First {one(values[0][1])}, latest {one(values[-1][1])}."
        ),
        points=values,
        y_ticks=(0, 2, 4, 6, 8, 10),
        point_label="Each week's score",
        connect=True,
        gap_days=45,
        height=180,
    )
    return replace(
        chart,
        svg=svg(drawn),
        table_caption="Each score, newest first",
        columns=("Date", "PEG-3 score"),
        rows=[(day_text(day), one(value)) for day, value in reversed(values)],
    )
