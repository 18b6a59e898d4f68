"""The bedtime reminder as an iCalendar feed: one daily event with an alarm."""

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from icalendar import Alarm, Calendar, Event, Timezone

PRODUCT_ID = "-//backcoach//bedtime reminder//EN"


def reminder_start(day: dt.date, bedtime: dt.time, lead_minutes: int, zone) -> dt.datetime:
    """When the reminder goes off on `day`: bedtime minus the lead time, in `zone`. A lead
    time longer than the hours since midnight moves the reminder to the evening before."""
    return dt.datetime.combine(day, bedtime, tzinfo=zone) - dt.timedelta(minutes=lead_minutes)


def reminder_calendar(
    *,
    uid: str,
    time_zone: str,
    bedtime: dt.time,
    lead_minutes: int,
    start_date: dt.date,
    url: str,
    stamp: dt.datetime,
    nights: Sequence[tuple[dt.date, str]] = (),
) -> bytes:
    """A calendar whose event repeats daily at bedtime minus the lead time, in the person's
    own time zone (so that it follows daylight saving), with an alarm at the event.

    `nights` are (day, what to do) of a personal experiment: each of those days' event is
    replaced (RECURRENCE-ID) by one that says that night's assignment."""
    zone = zoneinfo.ZoneInfo(time_zone)
    starts = reminder_start(start_date, bedtime, lead_minutes, zone)

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "backcoach bedtime")
    calendar.add("x-wr-timezone", time_zone)
    calendar.add("refresh-interval;value=duration", "P1D")
    calendar.add_component(Timezone.from_tzinfo(zone, first_date=start_date - dt.timedelta(days=1)))

    calendar.add_component(
        _bedtime_event(
            uid=uid,
            stamp=stamp,
            starts=starts,
            lead_minutes=lead_minutes,
            url=url,
            summary="Bedtime back routine",
            description=f"Your 5-minute back self-massage before sleep. Start it: {url}",
            repeat=True,
        )
    )
    for day, assignment in nights:
        if day < start_date:
            continue
        occurrence = reminder_start(day, bedtime, lead_minutes, zone)
        event = _bedtime_event(
            uid=uid,
            stamp=stamp,
            starts=occurrence,
            lead_minutes=lead_minutes,
            url=url,
            summary=f"Experiment: {assignment}",
            description=f"Tonight in your personal experiment: {assignment}. Details: {url}",
            repeat=False,
        )
        event.add("recurrence-id", occurrence)
        calendar.add_component(event)
    return calendar.to_ical()


def _bedtime_event(
    *, uid, stamp, starts, lead_minutes, url, summary, description, repeat: bool
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts)
    event.add("duration", dt.timedelta(minutes=max(lead_minutes, 10)))
    if repeat:
        event.add("rrule", {"freq": "daily"})
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(0))
    event.add_component(alarm)
    return event
