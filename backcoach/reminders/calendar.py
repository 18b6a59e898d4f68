"""The bedtime reminder as an iCalendar feed: one daily event at bedtime, with an alarm the
person's lead time before it."""

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from icalendar import Alarm, Calendar, Event

from .bedtimes import bedtime_on
from .vtimezone import vtimezone

PRODUCT_ID = "-//backcoach//bedtime reminder//EN"
# Long enough to show as a block in a day view; the routine itself takes about five minutes.
EVENT_LENGTH = dt.timedelta(minutes=10)


def reminder_start(day: dt.date, bedtime: dt.time, lead_minutes: int, zone) -> dt.datetime:
    """When the alarm goes off on `day`: bedtime minus the lead time, in `zone`. A lead
    time longer than the hours since midnight moves it to the evening before."""
    return dt.datetime.combine(day, bedtime, tzinfo=zone) - dt.timedelta(minutes=lead_minutes)


def reminder_calendar(
    *,
    uid: str,
    time_zone: str,
    bedtime: dt.time,
    lead_minutes: int,
    first_evening: dt.date,
    url: str,
    stamp: dt.datetime,
    tonight: str = "your back routine",
    nights: Sequence[tuple[dt.date, str]] = (),
) -> bytes:
    """A calendar whose event repeats daily at bedtime, in the person's own time zone (so
    that it follows daylight saving), with an alarm `lead_minutes` before it.

    `nights` are (evening, what to do) of a personal experiment: each of those evenings'
    event is replaced (RECURRENCE-ID: the replaced occurrence's start) by one that says
    that night's assignment. `tonight` names the routine of the other evenings."""
    zone = zoneinfo.ZoneInfo(time_zone)

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "backcoach bedtime")
    calendar.add("x-wr-timezone", time_zone)
    calendar.add("refresh-interval;value=duration", "P1D")
    calendar.add_component(vtimezone(time_zone, first_evening))

    calendar.add_component(
        _bedtime_event(
            uid=uid,
            stamp=stamp,
            starts=bedtime_on(first_evening, bedtime, zone),
            lead_minutes=lead_minutes,
            url=url,
            summary="Bedtime back routine",
            description=f"Before sleep: {tonight}. Start it: {url}",
            repeat=True,
        )
    )
    for evening, assignment in nights:
        if evening < first_evening:
            continue
        occurrence = bedtime_on(evening, bedtime, zone)
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
    event.add("duration", EVENT_LENGTH)
    if repeat:
        event.add("rrule", {"freq": "daily"})
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -dt.timedelta(minutes=lead_minutes))
    event.add_component(alarm)
    return event
