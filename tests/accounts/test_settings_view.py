import datetime as dt

import pytest
from django.urls import reverse

from backcoach.accounts.models import Person
from tests.factories import make_person

URL = reverse("accounts:settings")


def form(**overrides):
    data = {
        "name": "Olive",
        "email": "owner@example.org",
        "time_zone": "Asia/Tokyo",
        "bedtime": "21:45",
        "theme": "light",
        "length_unit": "in",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_it_saves_time_zone_bedtime_and_theme(person_client, person):
    response = person_client.post(URL, form())
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.time_zone, person.bedtime, person.theme) == (
        "Asia/Tokyo",
        dt.time(21, 45),
        "light",
    )
    page = person_client.get(URL).content.decode()
    assert 'data-theme="light"' in page
    assert "Your settings are saved." in page


@pytest.mark.django_db
def test_it_asks_anonymous_visitors_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"time_zone": "Nowhere/Never"}, "time_zone"),
        ({"bedtime": "noon-ish"}, "bedtime"),
        ({"theme": "neon"}, "theme"),
        ({"name": "n" * 81}, "name"),
        ({"email": ""}, "email"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_it_rejects_bad_input_and_changes_nothing(
    person_client, person, stranger, overrides, field
):
    before = Person.objects.values().get(pk=person.pk)
    response = person_client.post(URL, form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Person.objects.values().get(pk=person.pk) == before


@pytest.mark.django_db
def test_pages_use_the_persons_own_time_zone(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.utils import timezone

    from backcoach.accounts.middleware import PersonTimeZoneMiddleware

    middleware = PersonTimeZoneMiddleware(
        lambda request: HttpResponse(str(timezone.get_current_timezone()))
    )
    request = rf.get("/")
    request.user = make_person(time_zone="Pacific/Auckland")
    assert middleware(request).content == b"Pacific/Auckland"
    request.user = AnonymousUser()
    assert middleware(request).content == b"UTC"
