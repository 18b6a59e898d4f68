"""What tonight holds is one answer (player.selectors.tonight), and every way the person
meets it says the same: the home page, /play/tonight/, the push and e-mail reminders, and
the calendar feed, on a massage night and a "no routine" night of an experiment, on a
flare-up night and on an ordinary one."""

import datetime as dt
import re

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from backcoach.experiments.selectors import today_of
from backcoach.library import content
from backcoach.library import services as library_services
from backcoach.library.models import Routine
from backcoach.reminders import selectors as reminder_selectors
from backcoach.reminders import sending
from backcoach.reminders.models import PushSubscription, Reminder
from backcoach.reminders.services import calendar_feed_save, reminder_switch_on
from backcoach.safety.services import flare_up_record, screen_record
from tests.experiments.data import make_experiment
from tests.factories import client_for, make_person

NO_ROUTINE = "No routine"


def experiment_tonight(person, routine, condition: str):
    """A running experiment whose tonight was drawn `condition` (the seed's schedule is
    fixed, so some first night within two weeks back gives it)."""
    today = today_of(person)
    for nights_ago in range(14):
        experiment = make_experiment(person, routine_a=routine, nights_ago=nights_ago)
        if experiment.schedule.condition(today) == condition:
            return experiment
        experiment.delete()
    raise AssertionError(f"no first night draws {condition} tonight")


def what_each_says(person) -> dict[str, str]:
    """Tonight as each way in puts it, as text."""
    night = today_of(person)
    client = client_for(person)
    home = client.get("/").content.decode()
    start = re.search(r'href="(/play/[^"]*)"[^>]*data-tonight', home)
    rest = "No routine tonight" in home
    tonight = client.get("/play/tonight/")
    subscription = PushSubscription.objects.create(
        person=person,
        endpoint=f"https://push.example.org/{person.pk}",
        p256dh="key",
        auth="secret",
        server_key="server",
    )
    push = sending.push_message(subscription, evening=night, snooze=0)["body"]
    reminder = reminder_switch_on(
        person=person, channel=Reminder.Channel.EMAIL, site_url="http://testserver"
    )
    mail.outbox.clear()
    assert (
        sending.email_deliver(reminder_id=reminder.pk, evening=night, due_at=timezone.now())
        == "sent"
    )
    email = mail.outbox[0].body
    feed = calendar_feed_save(person=person, lead_minutes=15)
    calendar = icalendar.Calendar.from_ical(
        reminder_selectors.feed_calendar(feed.token, player_url="http://x/play/tonight/")
    )
    events = calendar.walk("VEVENT")
    tonight_events = [
        event
        for event in events
        if event.get("recurrence-id") is not None
        and event.decoded("recurrence-id").date() in (night, night + dt.timedelta(days=1))
    ]
    event = tonight_events[0] if tonight_events else events[0]
    return {
        "home": NO_ROUTINE if rest else start[1],
        "tonight": tonight["Location"],
        "push": push,
        "email": email,
        "calendar": f"{event['summary']} {event['description']}",
    }


def assert_all_name(said: dict[str, str], routine: Routine | None, label: str | None = None):
    if routine is None:
        assert said["home"] == NO_ROUTINE
        assert said["tonight"] == "/experiments/tonight/"
    else:
        assert said["home"] == f"/play/{routine.slug}/"
        assert said["tonight"] == f"/play/{routine.slug}/"
    words = label or routine.name
    for way in ("push", "email", "calendar"):
        assert words in said[way], (way, said[way])


@pytest.fixture
def library(db):
    library_services.library_load(library=content.load_library())


@pytest.fixture
def sleeper(library):
    person = make_person(time_zone="Europe/Berlin", bedtime=dt.time(22, 45))
    screen_record(person=person, answers={})
    return person


@pytest.mark.django_db
def test_a_massage_night_of_an_experiment_is_the_massage_everywhere(sleeper):
    massage = Routine.objects.get(slug="bedtime-back-self-massage")
    experiment = experiment_tonight(sleeper, massage, "A")
    number = (today_of(sleeper) - experiment.first_night).days + 1
    assert_all_name(what_each_says(sleeper), massage, f"night {number} of 28: {experiment.a_label}")


@pytest.mark.django_db
def test_a_no_routine_night_of_an_experiment_is_no_routine_everywhere(sleeper):
    massage = Routine.objects.get(slug="bedtime-back-self-massage")
    experiment = experiment_tonight(sleeper, massage, "B")
    number = (today_of(sleeper) - experiment.first_night).days + 1
    said = what_each_says(sleeper)
    assert_all_name(said, None, f"night {number} of 28: {experiment.b_label}")
    for way in ("push", "email", "calendar"):
        assert massage.name not in said[way], way


@pytest.mark.django_db
def test_a_flare_up_night_is_the_gentle_routine_everywhere(sleeper):
    flare_up_record(person=sleeper, pain=8)
    gentle = Routine.objects.get(slug="flare-up-gentle")
    assert_all_name(what_each_says(sleeper), gentle)


@pytest.mark.django_db
def test_an_ordinary_night_is_the_persons_bedtime_routine_everywhere(sleeper):
    default = Routine.objects.get(is_default=True)
    assert_all_name(what_each_says(sleeper), default)
