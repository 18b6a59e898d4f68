"""What the reminder pages and the sender read. Reads write nothing."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.utils import timezone

from backcoach import nights as night_rule
from backcoach.experiments import selectors as experiments
from backcoach.player import selectors as player_selectors

from . import bedtimes
from .calendar import reminder_calendar, reminder_start
from .models import CalendarFeed, Reminder


def calendar_feed_of(person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def reminder_time(person, feed: CalendarFeed) -> dt.time:
    """The time of day the calendar's alarm goes off, in the person's own zone."""
    return reminder_start(dt.date(2000, 1, 1), person.bedtime, feed.lead_minutes, None).time()


def next_bedtime(person, *, after: dt.datetime, last_evening: dt.date | None = None):
    """The person's next bedtime after `after` (UTC), and its evening."""
    return bedtimes.next_bedtime(
        after=after,
        bedtime=person.bedtime,
        zone=person.zone,
        last_evening=last_evening,
    )


@dataclass(frozen=True)
class RemindersPage:
    feed: CalendarFeed | None
    email: Reminder | None
    push: Reminder | None
    device_digests: list[str]  # SHA-256 of each subscribed browser's endpoint

    @property
    def push_devices(self) -> int:
        return len(self.device_digests)


def reminders_page(person) -> RemindersPage:
    """Everything the reminders page shows, in three queries."""
    reminders = {reminder.channel: reminder for reminder in person.reminders.all()}
    return RemindersPage(
        feed=calendar_feed_of(person),
        email=reminders.get(Reminder.Channel.EMAIL),
        push=reminders.get(Reminder.Channel.PUSH),
        # Digests, not the endpoints: the page's script needs only to recognise its own.
        device_digests=[
            hashlib.sha256(endpoint.encode()).hexdigest()
            for endpoint in person.push_subscriptions.values_list("endpoint", flat=True)
        ],
    )


def feed_calendar(token: str, *, player_url: str) -> bytes | None:
    """The iCalendar text of the feed with this secret token, or None when there is none
    (or its person was deactivated). Reading it writes nothing."""
    feed = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if feed is None or not feed.person.is_active:
        return None
    person = feed.person
    nights = []
    if (experiment := experiments.running_experiment(person)) is not None:
        nights = [
            (night, experiments.night_words(experiment, number, condition))
            for number, (night, condition) in enumerate(experiment.schedule.nights(), start=1)
        ]
    return reminder_calendar(
        uid=f"bedtime-{feed.pk}@backcoach",
        time_zone=person.time_zone,
        bedtime=person.bedtime,
        lead_minutes=feed.lead_minutes,
        first_evening=night_rule.night_of(feed.created_at, person.zone),
        url=player_url,
        stamp=timezone.now().replace(microsecond=0),
        tonight=player_selectors.tonight(person).routine_words,
        nights=nights,
    )
