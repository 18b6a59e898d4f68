"""The bedtime reminder as an iCalendar feed: one daily event with an alarm."""

import datetime as dt
import zoneinfo

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
) -> bytes:
    """A calendar whose event repeats daily at bedtime minus the lead time, in the person's
    own time zone (so that it follows daylight saving), with an alarm at the event."""
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

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts)
    event.add("duration", dt.timedelta(minutes=max(lead_minutes, 10)))
    event.add("rrule", {"freq": "daily"})
    event.add("summary", "Bedtime back routine")
    event.add("description", f"Your 5-minute back self-massage before sleep. Start it: {url}")
    event.add("url", url)
    event.add("transp", "TRANSPARENT")

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Time for your bedtime back routine")
    alarm.add("trigger", dt.timedelta(0))
    event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()
