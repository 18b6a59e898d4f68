"""When a bedtime reminder goes off: dates and clocks in the person's own time zone.

An evening is the date a bedtime belongs to, the night of backcoach.nights: a bedtime
before 06:00 is the evening before's, as a routine at 00:30 is still last night's. Each
evening has one reminder.

Clock times that a daylight-saving change skips (02:30 on the last Sunday of March in
Berlin) go off when the clock jumps past them, an hour after the hour before (03:30);
times that happen twice (02:30 on the last Sunday of October) go off the first time. That
is what Python does with `fold=0`, and what calendar apps do with the calendar feed.
"""

import datetime as dt

from backcoach.nights import NIGHT_ENDS, night_of

UTC = dt.UTC


def bedtime_on(evening: dt.date, bedtime: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """Bedtime on `evening`, on the person's clock (aware, in `zone`)."""
    day = evening + dt.timedelta(days=1) if bedtime < NIGHT_ENDS else evening
    return dt.datetime.combine(day, bedtime, tzinfo=zone)


def next_bedtime(
    *,
    after: dt.datetime,
    bedtime: dt.time,
    zone: dt.tzinfo,
    last_evening: dt.date | None = None,
) -> tuple[dt.datetime, dt.date]:
    """The first bedtime later than `after` on an evening later than `last_evening`
    (the last evening reminded, if any): its moment in UTC, and its evening."""
    evening = night_of(after, zone) - dt.timedelta(days=1)
    while True:
        if last_evening is None or evening > last_evening:
            moment = bedtime_on(evening, bedtime, zone).astimezone(UTC)
            if moment > after:
                return moment, evening
        evening += dt.timedelta(days=1)
