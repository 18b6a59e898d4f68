"""The reminders page: a refused lead time is shown as refused, and nothing else changes."""

import datetime as dt

import pytest
from django.urls import reverse

from backcoach.reminders import services
from backcoach.reminders.models import CalendarFeed, Reminder
from tests.factories import make_person

URL = reverse("reminders:index")


@pytest.fixture
def sleeper(db):
    return make_person(time_zone="Europe/Berlin", bedtime=dt.time(22, 30))


@pytest.mark.django_db
@pytest.mark.parametrize("lead", ["99999999999999999999", "1000", "181", "-1", "1e3", "30.5"])
def test_a_refused_lead_time_leaves_the_reminder_as_it_was(client, sleeper, lead):
    client.force_login(sleeper)
    client.post(URL, {"lead_minutes": "20", "action": "save"})
    response = client.post(URL, {"lead_minutes": lead, "action": "save"})
    assert response.status_code == 200
    assert response.context["form"].errors["lead_minutes"]
    page = response.content.decode()
    assert "22:10" in page
    assert "20 minutes before bedtime" in page
    assert f"{lead} minutes before" not in page
    assert CalendarFeed.objects.get(person=sleeper).lead_minutes == 20


@pytest.mark.django_db
def test_a_huge_lead_time_for_a_new_reminder_is_refused_without_an_error_page(client, sleeper):
    client.force_login(sleeper)
    response = client.post(URL, {"lead_minutes": "99999999999999999999", "action": "save"})
    assert response.status_code == 200
    assert "less than or equal to 180" in response.context["form"].errors["lead_minutes"][0]
    assert not CalendarFeed.objects.exists()


@pytest.mark.django_db
def test_the_form_shows_the_saved_lead_time_and_its_bounds(client, sleeper):
    client.force_login(sleeper)
    assert client.post(URL, {"lead_minutes": "45", "action": "save"}).status_code == 302
    form = client.get(URL).context["form"]
    assert form["lead_minutes"].value() == 45
    html = str(form["lead_minutes"])
    assert 'min="0"' in html
    assert 'max="180"' in html


# E-mail leaves the server only through the SMTP server EMAIL_HOST names; without one,
# `serve` prints each e-mail in its terminal.
NO_MAIL_SERVER = ""
MAIL_SERVER = "smtp.example.org"


OFFERED = ['value="email-on"', "E-mail me at bedtime"]
NOT_OFFERED = [
    "this server has no mail server set up",
    "printed in the terminal where backcoach runs",
    "EMAIL_HOST",
    "a notification on this device or your calendar can remind you",
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("server", "said", "not_said"),
    [(MAIL_SERVER, OFFERED, NOT_OFFERED), (NO_MAIL_SERVER, NOT_OFFERED, OFFERED)],
    ids=["mail-server", "no-mail-server"],
)
def test_the_bedtime_email_is_offered_only_with_a_mail_server_and_else_the_page_says_why(
    client, sleeper, settings, server, said, not_said
):
    settings.EMAIL_HOST = server
    client.force_login(sleeper)
    page = client.get(URL).content.decode()
    assert all(words in page for words in said)
    assert not any(words in page for words in not_said)


@pytest.mark.django_db
@pytest.mark.parametrize(("server", "delivered"), [(MAIL_SERVER, True), (NO_MAIL_SERVER, False)])
def test_a_bedtime_email_that_is_on_says_whether_it_reaches_the_person(
    client, sleeper, settings, server, delivered
):
    services.reminder_switch_on(person=sleeper, channel=Reminder.Channel.EMAIL)
    settings.EMAIL_HOST = server
    client.force_login(sleeper)
    page = client.get(URL).content.decode()
    assert 'value="email-off"' in page  # it can be stopped either way
    assert ("An e-mail goes to" in page) == delivered
    assert ("printed in the terminal where backcoach runs" in page) != delivered
    assert ("EMAIL_HOST" in page) != delivered


@pytest.mark.django_db
def test_switching_the_email_on_without_a_mail_server_is_refused_and_says_why(
    client, sleeper, settings
):
    """The page offers no button then; a form kept from before (or made by hand) is told
    why, and nothing is switched on that would reach nobody."""
    settings.EMAIL_HOST = NO_MAIL_SERVER
    client.force_login(sleeper)
    response = client.post(URL, {"action": "email-on"}, follow=True)
    assert "has no mail server set up, so it sends no e-mail" in response.content.decode()
    assert not Reminder.objects.filter(person=sleeper).exists()
    settings.EMAIL_HOST = MAIL_SERVER
    client.post(URL, {"action": "email-on"})
    assert Reminder.objects.filter(person=sleeper, channel=Reminder.Channel.EMAIL).exists()
