import datetime as dt

import pytest
from django.urls import reverse

from backcoach.accounts.models import Person
from tests.factories import make_person

URL = reverse("accounts:signup")


def form(**overrides):
    data = {
        "email": "New.Person@Example.org",
        "password1": "a-long-good-password-42",
        "password2": "a-long-good-password-42",
        "time_zone": "Europe/Berlin",
        "bedtime": "23:15",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_it_creates_the_person_and_logs_them_in(client):
    response = client.post(URL, form())
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:screen")
    person = Person.objects.get()
    assert person.email == "new.person@example.org"
    assert person.time_zone == "Europe/Berlin"
    assert person.bedtime == dt.time(23, 15)
    assert person.check_password("a-long-good-password-42")
    assert client.get(reverse("home")).context["user"] == person


@pytest.mark.django_db
def test_it_shows_the_form_with_a_time_zone_list(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert b'data-detect-time-zone="true"' in response.content
    assert b'value="Europe/Berlin"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": "x" * 300 + "@example.org"}, "email", "at most 254 characters"),
        ({"password2": "something-else-entirely"}, "password2", "didn’t match"),
        ({"password1": "short", "password2": "short"}, "password2", "too short"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password2", "entirely numeric"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Select a valid choice"),
        ({"time_zone": ""}, "time_zone", "This field is required."),
        ({"bedtime": "25:99"}, "bedtime", "Enter a valid time."),
        ({"bedtime": ""}, "bedtime", "This field is required."),
    ],
)
def test_it_rejects_bad_input_and_creates_nothing(client, overrides, field, message):
    response = client.post(URL, form(**overrides))
    assert Person.objects.count() == 0
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors


@pytest.mark.django_db
def test_it_rejects_an_address_already_taken_in_any_case(client):
    make_person(email="taken@example.org")
    response = client.post(URL, form(email="TAKEN@example.org"))
    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["form"].errors["email"])
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_it_sends_a_logged_in_person_home(person_client):
    assert person_client.get(URL)["Location"] == reverse("home")


@pytest.mark.django_db
def test_it_hashes_passwords_with_argon2_outside_tests(settings, client):
    import backcoach.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    client.post(URL, form())
    assert Person.objects.get().password.startswith("argon2$argon2id$")
