"""The progress page's statistics, as pure functions over plain dates and floats. No Django.

Days are the person's local dates (the caller converts); a day's pain is the mean of that
day's ratings, so a day with five ratings weighs no more than a day with one. Every result
is a plain value; the words for it are in summary.py.

What counts as a change that matters: about 2 points, or 30 %, on the 0-10 scale is the
smallest change in pain that people with chronic (back) pain report as a real improvement
(Farrar et al. 2001; Ostelo et al. 2008, a consensus for low back pain). Two guards of our
own: a fall of 30 % counts only if it is at least one point, the smallest step a person can
report on the scale (from a baseline of 1, a fall to 0.7 is 30 % and means nothing); and a
rise counts only by points, since from a low start a tiny rise is a large percentage.
"""

import datetime as dt
import enum
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FARRAR_SOURCE = "farrar-pain-change-2001"
OSTELO_SOURCE = "ostelo-back-pain-change-2008"
SOURCES = (FARRAR_SOURCE, OSTELO_SOURCE)

IMPORTANT_POINTS = 2.0
IMPORTANT_FRACTION = 0.30
SMALLEST_STEP = 1.0

ROLLING_DAYS = 7
BASELINE_DAYS = 14  # days with a pain rating, first and latest
MIN_DAYS_PER_WEEK = 3  # for a week to be called best or worst

DAY = dt.timedelta(days=1)


def daily_means(readings: Iterable[tuple[dt.date, float]]) -> dict[dt.date, float]:
    """One value per day, the mean of that day's readings, days in order."""
    by_day: dict[dt.date, list[float]] = {}
    for day, value in readings:
        by_day.setdefault(day, []).append(float(value))
    return {day: statistics.fmean(by_day[day]) for day in sorted(by_day)}


def rolling_means(daily: Mapping[dt.date, float], days: int = ROLLING_DAYS) -> dict[dt.date, float]:
    """For each day with a value, the mean of the values in the `days` calendar days that
    end on it (that day included; days without a value are left out, not counted as 0)."""
    ordered = sorted(daily.items())
    result: dict[dt.date, float] = {}
    start = 0
    for end, (day, _) in enumerate(ordered):
        while ordered[start][0] <= day - dt.timedelta(days=days):
            start += 1
        # Summed afresh for each window (at most `days` values): a running total drifts.
        result[day] = statistics.fmean(value for _, value in ordered[start : end + 1])
    return result


@dataclass(frozen=True)
class Stretch:
    """A run of days with values: its first and last day, how many days, their mean."""

    first: dt.date
    last: dt.date
    days: int
    mean: float


def stretch_of(daily: list[tuple[dt.date, float]]) -> Stretch:
    return Stretch(
        first=daily[0][0],
        last=daily[-1][0],
        days=len(daily),
        mean=statistics.fmean(value for _, value in daily),
    )


class Verdict(enum.StrEnum):
    """How pain changed between the first and the latest days with a rating."""

    BETTER = "better"  # down by at least the smallest change that matters
    SLIGHTLY_BETTER = "slightly-better"
    UNCHANGED = "unchanged"
    SLIGHTLY_WORSE = "slightly-worse"
    WORSE = "worse"  # up by at least the smallest change that matters


def verdict_for(baseline: float, latest: float) -> Verdict:
    """Judges a change in mean pain, in points as shown (rounded to 0.1)."""
    change = round(latest - baseline, 1)
    if change == 0:
        return Verdict.UNCHANGED
    fall = -change
    if fall > 0:
        by_fraction = fall >= SMALLEST_STEP and fall / baseline >= IMPORTANT_FRACTION
        if fall >= IMPORTANT_POINTS or by_fraction:
            return Verdict.BETTER
        return Verdict.SLIGHTLY_BETTER
    return Verdict.WORSE if change >= IMPORTANT_POINTS else Verdict.SLIGHTLY_WORSE


@dataclass(frozen=True)
class PainChange:
    """The first `BASELINE_DAYS` days with a pain rating against the latest as many.

    `days_needed` is how many more days with a rating the comparison waits for; until then
    baseline, latest, change and verdict are None."""

    days_rated: int
    days_needed: int
    baseline: Stretch | None = None
    latest: Stretch | None = None
    change: float | None = None  # latest minus baseline, in points, rounded to 0.1
    fraction: float | None = None  # the change as a share of the baseline
    verdict: Verdict | None = None


def pain_change(daily: Mapping[dt.date, float], days: int = BASELINE_DAYS) -> PainChange:
    """Compares the first `days` days with a rating with the last `days` (never the same
    days: until there are twice as many, it says how many more are needed)."""
    ordered = sorted(daily.items())
    if len(ordered) < 2 * days:
        return PainChange(days_rated=len(ordered), days_needed=2 * days - len(ordered))
    baseline, latest = stretch_of(ordered[:days]), stretch_of(ordered[-days:])
    change = round(latest.mean - baseline.mean, 1)
    return PainChange(
        days_rated=len(ordered),
        days_needed=0,
        baseline=baseline,
        latest=latest,
        change=change,
        fraction=(change / baseline.mean) if baseline.mean > 0 else None,
        verdict=verdict_for(baseline.mean, latest.mean),
    )


@dataclass(frozen=True)
class Adherence:
    nights_practised: int
    nights: int

    @property
    def share(self) -> float | None:
        return self.nights_practised / self.nights if self.nights else None


def adherence(
    practice_nights: Iterable[dt.date], *, first_day: dt.date, today: dt.date
) -> Adherence:
    """Nights with a practice among the nights from `first_day` to last night, and tonight
    too once it has a practice (tonight is not missed before it is over)."""
    practised = set(practice_nights)
    last = today if today in practised else today - DAY
    nights = max(0, (last - first_day).days + 1)
    done = sum(1 for night in practised if first_day <= night <= last)
    return Adherence(nights_practised=done, nights=nights)


def week_of(day: dt.date) -> dt.date:
    """The Monday that starts the day's week."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Week:
    start: dt.date  # a Monday
    days: int  # days with a value
    mean: float


def weekly_means(daily: Mapping[dt.date, float]) -> list[Week]:
    """Each week (Monday to Sunday) with a value: the mean over its days with one."""
    by_week: dict[dt.date, list[float]] = {}
    for day, value in daily.items():
        by_week.setdefault(week_of(day), []).append(value)
    return [
        Week(start=start, days=len(values), mean=statistics.fmean(values))
        for start, values in sorted(by_week.items())
    ]


def best_and_worst_weeks(
    daily: Mapping[dt.date, float], min_days: int = MIN_DAYS_PER_WEEK
) -> tuple[Week, Week] | None:
    """The weeks with the lowest and the highest mean pain among those rated on at least
    `min_days` days (the earlier week on a tie), or None unless two such weeks differ."""
    weeks = [week for week in weekly_means(daily) if week.days >= min_days]
    if len(weeks) < 2:
        return None
    best = min(weeks, key=lambda week: (week.mean, week.start))
    worst = max(weeks, key=lambda week: (week.mean, -week.start.toordinal()))
    if round(best.mean, 1) == round(worst.mean, 1):
        return None
    return best, worst


@dataclass(frozen=True)
class NightGroup:
    """Mornings after one kind of night: how many, and the means of what they recorded,
    each with the number of mornings behind it."""

    mornings: int = 0
    pain_mornings: int = 0
    pain: float | None = None
    onset_mornings: int = 0
    onset_minutes: float | None = None


@dataclass(frozen=True)
class NightComparison:
    practised: NightGroup
    skipped: NightGroup


def night_group(mornings: list[tuple[dt.date, float | None, float | None]]) -> NightGroup:
    pains = [pain for _, pain, _ in mornings if pain is not None]
    onsets = [onset for _, _, onset in mornings if onset is not None]
    return NightGroup(
        mornings=len(mornings),
        pain_mornings=len(pains),
        pain=statistics.fmean(pains) if pains else None,
        onset_mornings=len(onsets),
        onset_minutes=statistics.fmean(onsets) if onsets else None,
    )


def nights_compared(
    mornings: Iterable[tuple[dt.date, float | None, float | None]],
    practice_nights: Iterable[dt.date],
) -> NightComparison:
    """Next-morning pain and minutes to fall asleep after nights with a practice and after
    nights without. `mornings` are (night, pain, onset minutes) from morning check-ins, the
    night being the evening before. Not a fair test: see summary.py."""
    practised = set(practice_nights)
    rows = list(mornings)
    return NightComparison(
        practised=night_group([row for row in rows if row[0] in practised]),
        skipped=night_group([row for row in rows if row[0] not in practised]),
    )


@dataclass(frozen=True)
class BeforeAfter:
    practices: int
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


def before_and_after(pairs: Iterable[tuple[float, float]]) -> BeforeAfter | None:
    """Mean pain before and after, over practices rated both times."""
    rows = list(pairs)
    if not rows:
        return None
    return BeforeAfter(
        practices=len(rows),
        before=statistics.fmean(before for before, _ in rows),
        after=statistics.fmean(after for _, after in rows),
    )


@dataclass(frozen=True)
class MeasureSummary:
    """A measure over a range, as a report's table gives it: how many values, the first
    and the latest week with one (Monday to Sunday), the mean of all and the extremes."""

    count: int
    first_week: Week
    latest_week: Week
    mean: float
    lowest: float
    highest: float


def measure_summary(values: Mapping[dt.date, float]) -> MeasureSummary | None:
    """`values` one per day (or night, or test); None when there are none."""
    if not values:
        return None
    weeks = weekly_means(values)
    numbers = list(values.values())
    return MeasureSummary(
        count=len(numbers),
        first_week=weeks[0],
        latest_week=weeks[-1],
        mean=statistics.fmean(numbers),
        lowest=min(numbers),
        highest=max(numbers),
    )
