"""Which night a moment belongs to, on the person's own clock: the one rule every part
asks (the diary, progress, the report, the history, experiments, reminders, import and the
API).

A night is named by the date of its evening and runs from 06:00 on that date to 06:00 the
next, on the person's wall clock. Every moment belongs to exactly one night: a routine at
00:30 is still last night's bedtime, and one at 15:00 is tonight's. Daylight-saving changes
fall between 02:00 and 03:00, so the 06:00 boundary exists once on every date and a night
is 23, 24 or 25 hours long. The zone is the one the person has now: after a change of zone
every part reads old entries in the new zone alike (docs/architecture.md, "The night").

"Today" is the person's calendar date; "tonight" is the night under way now, which before
06:00 is still the night that began yesterday evening. A morning check-in describes the
night before its calendar date, whatever the hour it was made at.

Pure: no Django, so that it is the same everywhere and easy to test.
"""

import datetime as dt

# A night ends, and the next one's day begins, at this local time.
NIGHT_ENDS = dt.time(6, 0)
# From this local hour the morning check-in of the night before is offered.
MORNING_OPENS = dt.time(4, 0)
_NIGHT_OFFSET = dt.timedelta(hours=NIGHT_ENDS.hour, minutes=NIGHT_ENDS.minute)
DAY = dt.timedelta(days=1)


def _local(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    if moment.utcoffset() is None:
        raise ValueError("a moment needs its time zone to belong to a night")
    return moment.astimezone(zone)


def night_of(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """The night (the date of its evening) that the aware `moment` belongs to in `zone`."""
    # Wall-clock arithmetic on purpose: the boundary is 06:00 on the clock, not six
    # elapsed hours after midnight (which a daylight-saving night would shift).
    return (_local(moment, zone).replace(tzinfo=None) - _NIGHT_OFFSET).date()


def night_start(night: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The first moment of `night` (06:00 on its date, in `zone`)."""
    return dt.datetime.combine(night, NIGHT_ENDS, tzinfo=zone)


def night_bounds(first: dt.date, last: dt.date, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The moments from the start of night `first` up to (not including) the end of night
    `last`: for a query of `started_at >= start and started_at < end`."""
    return night_start(first, zone), night_start(last + DAY, zone)


def today(now: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """The person's calendar date at `now`."""
    return _local(now, zone).date()


def tonight(now: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """The night under way at `now`: the one tonight's routine belongs to."""
    return night_of(now, zone)


def night_of_morning(morning: dt.date) -> dt.date:
    """The night a morning check-in made on the date `morning` describes."""
    return morning - DAY


def night_described_at(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """The night a morning check-in made at the aware `moment` describes."""
    return night_of_morning(today(moment, zone))


def morning_of_night(night: dt.date) -> dt.date:
    """The date of the morning after `night`."""
    return night + DAY


def morning_open(now: dt.datetime, zone: dt.tzinfo) -> bool:
    """Whether it is late enough on the person's clock to ask how last night went."""
    return _local(now, zone).time() >= MORNING_OPENS


def last_night(now: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """The night this morning's check-in is about."""
    return night_of_morning(today(now, zone))
