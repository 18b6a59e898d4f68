"""Reading a person's diary for the progress page and the clinician's report: the entries
of a range of dates as plain values, by the person's local dates (the Diary record). What
the page and the report make of it is in progress.py and report.py.

The read costs the same for a person with five years of diary as for one with five weeks:
it reads a range of dates in full (the charts, the latest pain, adherence, the weeks and the
nights compared: the progress page's last WINDOW_WEEKS weeks, or the dates a report covers)
and the first BASELINE_SPAN_DAYS days of pain ratings (the baseline), in four queries
however many entries there are."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from backcoach import nights
from backcoach.diary import measures
from backcoach.diary.models import Checkin

from . import ranges
from .ranges import DateRange

# The progress page's weeks, read in full; the calendar of nights shows them all.
WINDOW_WEEKS = 12
# Long enough to hold the first 14 days with a pain rating of anyone who rates every few days.
BASELINE_SPAN_DAYS = 60
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Diary:
    """A person's records as plain values, by local date."""

    today: dt.date
    unit: str
    # The night under way (backcoach.nights): before 06:00 still yesterday's.
    tonight: dt.date | None = None
    since: dt.date | None = None  # the first day shown: the window's, or the first entry's
    # The last day shown: today on the progress page, a report's last day.
    last_day: dt.date | None = None
    pain: list[tuple[dt.date, float]] = field(default_factory=list)
    # Ratings before the window, from the first weeks of the diary: the baseline.
    early_pain: list[tuple[dt.date, float]] = field(default_factory=list)
    onset: dict[dt.date, float] = field(default_factory=dict)  # by night
    quality: dict[dt.date, float] = field(default_factory=dict)  # by night
    mornings: list[tuple[dt.date, float | None, float | None]] = field(default_factory=list)
    practice_nights: Counter = field(default_factory=Counter)
    before_after: list[tuple[dt.date, float, float]] = field(default_factory=list)
    fingertip: list[tuple[dt.date, float]] = field(default_factory=list)  # in `unit`
    peg: list[tuple[dt.date, float]] = field(default_factory=list)
    entry_days: set[dt.date] = field(default_factory=set)
    practices: list[tuple[dt.date, str, bool]] = field(
        default_factory=list
    )  # (day, routine, completed)


CHECKIN_FIELDS = (
    "kind",
    "recorded_at",
    "night",
    "pain",
    "sleep_onset_minutes",
    "sleep_quality",
    "peg_pain",
    "peg_enjoyment",
    "peg_activity",
    "fingertip_floor_cm",
)


def first_entry(person) -> tuple[dt.datetime, dt.date] | None:
    """When the person's diary begins (their first check-in or practice), and the first
    local day it speaks of: a morning check-in, or a practice after midnight, is about the
    night before."""
    zone = person.zone
    starts = []
    checkin = person.checkins.order_by("recorded_at").values_list("recorded_at", "night").first()
    if checkin is not None:
        at, night = checkin
        starts.append((at, night or at.astimezone(zone).date()))
    started = person.practices.order_by("started_at").values_list("started_at", flat=True).first()
    if started is not None:
        starts.append((started, nights.night_of(started, zone)))
    if not starts:
        return None
    return min(at for at, _ in starts), min(day for _, day in starts)


def diary_of(person, now: dt.datetime | None = None, *, dates: DateRange | None = None) -> Diary:
    """What the progress page reads: the entries of `dates` (by default the last
    WINDOW_WEEKS weeks) in full, and the pain ratings of the diary's first
    BASELINE_SPAN_DAYS days. `dates` must not end after today (ranges.parse_range)."""
    zone = person.zone
    now = now or timezone.now()
    today = nights.today(now, zone)
    tonight = nights.tonight(now, zone)
    dates = dates or ranges.last_weeks(today, WINDOW_WEEKS)
    found_first = first_entry(person)
    if found_first is None:
        return Diary(today=today, tonight=tonight, unit=person.length_unit, last_day=dates.last)
    first, first_day = found_first
    window_start = dt.datetime.combine(dates.first, dt.time(), tzinfo=zone)
    since = max(first_day, dates.first)
    early_end = min(first + dt.timedelta(days=BASELINE_SPAN_DAYS), window_start)
    found = Diary(
        today=today, tonight=tonight, unit=person.length_unit, since=since, last_day=dates.last
    )
    in_window = Q(recorded_at__gte=window_start)
    started_in_window = Q(started_at__gte=window_start)
    if dates.last < today:
        # A range that ends today keeps no upper bound, as the progress page always had:
        # an entry stamped a little ahead by a device's clock still shows.
        window_end = dt.datetime.combine(dates.last + DAY, dt.time(), tzinfo=zone)
        in_window &= Q(recorded_at__lt=window_end)
        started_in_window &= Q(started_at__lt=window_end)
    checkins = person.checkins.filter(in_window | Q(recorded_at__lt=early_end)).order_by(
        "recorded_at"
    )
    for (
        kind,
        at,
        night,
        pain,
        onset,
        quality,
        peg_p,
        peg_e,
        peg_a,
        fingertip,
    ) in checkins.values_list(*CHECKIN_FIELDS):
        day = at.astimezone(zone).date()
        rated = pain is not None and kind in (Checkin.Kind.MORNING, Checkin.Kind.ANYTIME)
        if at < window_start:
            if rated:
                found.early_pain.append((day, float(pain)))
            continue
        found.entry_days.add(day)
        if rated:
            found.pain.append((day, float(pain)))
        if kind == Checkin.Kind.MORNING:
            if night >= since:
                found.entry_days.add(night)
            if onset is not None:
                found.onset[night] = float(onset)
            if quality is not None:
                found.quality[night] = float(quality)
            found.mornings.append(
                (night, None if pain is None else float(pain), found.onset.get(night))
            )
        if kind == Checkin.Kind.WEEKLY:
            score = measures.peg_score(peg_p, peg_e, peg_a)
            if score is not None:
                found.peg.append((day, score))
            if fingertip is not None:
                found.fingertip.append((day, measures.in_unit(fingertip, found.unit)))
    practices = person.practices.filter(started_in_window | Q(started_at__lt=early_end)).order_by(
        "started_at"
    )
    # The player's Practice, reached like its rows by the related name, not by an import.
    completed = person.practices.model.Status.COMPLETED
    for started, before, after, routine_name, status in practices.values_list(
        "started_at", "pain_before", "pain_after", "routine_name", "status"
    ):
        local = started.astimezone(zone)
        if started < window_start:
            if before is not None:
                found.early_pain.append((local.date(), float(before)))
            continue
        found.entry_days.add(local.date())
        found.practices.append((local.date(), routine_name, status == completed))
        night = nights.night_of(started, zone)
        if night >= since:
            found.practice_nights[night] += 1
        if before is not None:
            found.pain.append((local.date(), float(before)))
            if after is not None:
                found.before_after.append((local.date(), float(before), float(after)))
    return found
