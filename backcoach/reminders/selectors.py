import datetime as dt

from django.utils import timezone

from backcoach.experiments import selectors as experiments

from .calendar import reminder_calendar, reminder_start
from .models import CalendarFeed


def calendar_feed_of(person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def reminder_time(person, feed: CalendarFeed) -> dt.time:
    """The time of day the reminder goes off, in the person's own zone."""
    return reminder_start(dt.date(2000, 1, 1), person.bedtime, feed.lead_minutes, None).time()


def feed_calendar(token: str, *, player_url: str) -> bytes | None:
    """The iCalendar text of the feed with this secret token, or None when there is none
    (or its person was deactivated). Reading it writes nothing."""
    feed = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if feed is None or not feed.person.is_active:
        return None
    person = feed.person
    nights = []
    if (experiment := experiments.running_experiment(person)) is not None:
        total = 2 * experiment.pairs
        nights = [
            (night, f"night {number} of {total}: {experiment.label(condition)}")
            for number, (night, condition) in enumerate(experiment.schedule.nights(), start=1)
        ]
    return reminder_calendar(
        uid=f"bedtime-{feed.pk}@backcoach",
        time_zone=person.time_zone,
        bedtime=person.bedtime,
        lead_minutes=feed.lead_minutes,
        start_date=feed.created_at.astimezone(person.zone).date(),
        url=player_url,
        stamp=timezone.now().replace(microsecond=0),
        nights=nights,
    )
