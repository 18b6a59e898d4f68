"""The reminders page: a refused lead time is shown as refused, and nothing else changes."""

import datetime as dt

import pytest
from django.urls import reverse

from backcoach.reminders.models import CalendarFeed
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
