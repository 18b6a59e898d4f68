"""The bedtime reminder as a calendar feed, parsed back as a calendar app would."""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backcoach.reminders.calendar import reminder_calendar
from backcoach.reminders.models import CalendarFeed
from tests.factories import make_person
from tests.reminders.vtimezones import expand_vtimezone, offset_at

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)", re.I)


@pytest.fixture
def berliner(db):
    return make_person(time_zone="Europe/Berlin", bedtime=dt.time(22, 45))


def feed_of(client, person, lead=30):
    client.force_login(person)
    client.post(reverse("reminders:index"), {"lead_minutes": lead, "action": "save"})
    return CalendarFeed.objects.get(person=person)


@pytest.mark.django_db
def test_the_feed_has_a_daily_event_at_bedtime_with_an_alarm_the_lead_time_before(client, berliner):
    feed = feed_of(client, berliner, lead=20)
    client.logout()  # calendar apps do not log in
    response = client.get(reverse("reminders:calendar", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert (start.hour, start.minute) == (22, 45)
    assert event["rrule"]["FREQ"] == ["DAILY"]
    [alarm] = event.walk("VALARM")
    assert alarm["action"] == "DISPLAY"
    assert alarm.decoded("trigger") == -dt.timedelta(minutes=20)
    assert "/play/tonight/" in str(event["url"])
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/Berlin"


@pytest.mark.django_db
def test_the_event_keeps_its_local_time_across_daylight_saving_for_ever(client, berliner):
    """Expanded as a calendar app that trusts the feed's VTIMEZONE would: every evening
    from now to 2150 at 22:45 in Berlin, summer and winter."""
    feed = feed_of(client, berliner, lead=0)
    calendar = icalendar.Calendar.from_ical(
        client.get(reverse("reminders:calendar", args=[feed.token])).content
    )
    [event] = calendar.walk("VEVENT")
    [vtimezone] = calendar.walk("VTIMEZONE")
    offsets = expand_vtimezone(vtimezone, until=dt.datetime(2160, 1, 1))
    start = event.decoded("dtstart").replace(tzinfo=None)
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    for days in range(0, 125 * 365, 5):
        wall = start + dt.timedelta(days=days)
        # The feed's own zone says when this wall time is; Berlin's real rules must agree.
        utc = wall - offset_at(offsets, wall)
        assert utc.replace(tzinfo=dt.UTC).astimezone(berlin).time() == dt.time(22, 45), wall


@pytest.mark.django_db
def test_a_new_address_retires_the_old_one(client, berliner):
    feed = feed_of(client, berliner)
    old = reverse("reminders:calendar", args=[feed.token])
    client.post(reverse("reminders:index"), {"action": "new-address"})
    feed.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(reverse("reminders:calendar", args=[feed.token])).status_code == 200


@pytest.mark.django_db
def test_switching_off_removes_the_feed(client, berliner):
    feed = feed_of(client, berliner)
    client.post(reverse("reminders:index"), {"action": "stop"})
    assert not CalendarFeed.objects.exists()
    assert client.get(reverse("reminders:calendar", args=[feed.token])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("lead", ["-5", "181", "soon", ""])
def test_a_bad_lead_time_is_refused(client, berliner, lead):
    client.force_login(berliner)
    response = client.post(reverse("reminders:index"), {"lead_minutes": lead, "action": "save"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not CalendarFeed.objects.exists()


@pytest.mark.django_db
def test_reading_the_feed_writes_nothing(client, berliner):
    feed = feed_of(client, berliner)
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("reminders:calendar", args=[feed.token]))
    assert [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])] == []


@pytest.mark.django_db
def test_an_unknown_or_inactive_feed_is_404(client, berliner):
    assert client.get(reverse("reminders:calendar", args=["guess"])).status_code == 404
    feed = feed_of(client, berliner)
    berliner.is_active = False
    berliner.save()
    assert client.get(reverse("reminders:calendar", args=[feed.token])).status_code == 404


@pytest.mark.django_db
def test_the_page_shows_the_address_and_the_reminder_time(client, berliner):
    feed = feed_of(client, berliner, lead=15)
    page = client.get(reverse("reminders:index")).content.decode()
    assert feed.token in page
    assert "22:30" in page
    assert "webcal://" in page


@pytest.mark.parametrize("bedtime", [dt.time(22, 30), dt.time(0, 30), dt.time(2, 30)])
def test_an_experiment_nights_override_is_that_evenings_occurrence(bedtime):
    """RECURRENCE-ID must be the start of the occurrence it replaces, or calendar apps
    show both: also for a bedtime after midnight (the evening before's) and across the
    night the clocks change."""
    first = dt.date(2026, 3, 25)
    nights = [(first + dt.timedelta(days=n), f"night {n + 1}") for n in range(6)]
    calendar = icalendar.Calendar.from_ical(
        reminder_calendar(
            uid="bedtime-1@backcoach",
            time_zone="Europe/Berlin",
            bedtime=bedtime,
            lead_minutes=30,
            first_evening=first,
            url="http://x/play/tonight/",
            stamp=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            nights=nights,
        )
    )
    master, *overrides = calendar.walk("VEVENT")
    start = master.decoded("dtstart")
    # The master's occurrences, as a calendar app expands FREQ=DAILY: same wall clock.
    occurrences = {start.replace(tzinfo=None) + dt.timedelta(days=n) for n in range(10)}
    assert len(overrides) == len(nights)
    for (evening, _), event in zip(nights, overrides, strict=True):
        replaces = event.decoded("recurrence-id")
        assert event["recurrence-id"].params["TZID"] == "Europe/Berlin"
        assert replaces == event.decoded("dtstart")
        assert replaces.replace(tzinfo=None) in occurrences
        after_midnight = bedtime < dt.time(6)
        assert replaces.date() == evening + dt.timedelta(days=after_midnight)
        assert replaces.time() == bedtime


@pytest.mark.django_db
def test_the_event_names_tonights_routine_the_persons_own_when_they_chose_one(client, berliner):
    from tests.factories import make_routine

    feed = feed_of(client, berliner)
    client.logout()

    def description():
        response = client.get(reverse("reminders:calendar", args=[feed.token]))
        [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        return str(event["description"])

    make_routine(name="Bedtime back self-massage", purpose="bedtime", is_default=True, duration=300)
    assert description().startswith("Before sleep: Bedtime back self-massage, about 5 minutes.")
    own = make_routine(
        slug="mine-abc", name="Sunday night", purpose="bedtime", owner=berliner, duration=480
    )
    berliner.bedtime_routine = own
    berliner.save()
    assert description().startswith("Before sleep: Sunday night, about 8 minutes.")
