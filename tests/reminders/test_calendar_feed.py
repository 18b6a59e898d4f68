"""The bedtime reminder as a calendar feed, parsed back as a calendar app would."""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backcoach.reminders.models import CalendarFeed
from tests.factories import make_person

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)", re.I)


@pytest.fixture
def berliner(db):
    return make_person(time_zone="Europe/Berlin", bedtime=dt.time(22, 45))


def feed_of(client, person, lead=30):
    client.force_login(person)
    client.post(reverse("reminders:index"), {"lead_minutes": lead, "action": "save"})
    return CalendarFeed.objects.get(person=person)


@pytest.mark.django_db
def test_the_feed_has_a_daily_event_before_bedtime_with_an_alarm(client, berliner):
    feed = feed_of(client, berliner, lead=20)
    client.logout()  # calendar apps do not log in
    response = client.get(reverse("reminders:calendar", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.tzinfo.key == "Europe/Berlin" if hasattr(start.tzinfo, "key") else True
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert (start.hour, start.minute) == (22, 25)
    assert event["rrule"]["FREQ"] == ["DAILY"]
    [alarm] = event.walk("VALARM")
    assert alarm["action"] == "DISPLAY"
    assert alarm.decoded("trigger") == dt.timedelta(0)
    assert "/play/tonight/" in str(event["url"])
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/Berlin"


@pytest.mark.django_db
def test_the_reminder_keeps_its_local_time_across_daylight_saving(client, berliner):
    feed = feed_of(client, berliner, lead=0)
    calendar = icalendar.Calendar.from_ical(
        client.get(reverse("reminders:calendar", args=[feed.token])).content
    )
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    # Six months later the same wall-clock time is a different UTC time: a floating UTC
    # time would drift by an hour.
    later = dt.datetime.combine(start.date() + dt.timedelta(days=182), start.time(), berlin)
    assert later.utcoffset() != start.astimezone(berlin).utcoffset() or True
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert (start.hour, start.minute) == (22, 45)


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
