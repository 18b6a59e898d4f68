import datetime as dt

import pytest
from django.urls import reverse

from backcoach.accounts.models import Person
from tests.factories import PASSWORD, make_person

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


def link_in(message) -> str:
    return next(line for line in message.body.splitlines() if "/signup/confirm/" in line)


@pytest.mark.django_db
def test_after_the_first_person_a_new_address_waits_for_the_emailed_link(client, mailoutbox):
    make_person(email="owner@example.org")
    response = client.post(URL, form())
    assert response["Location"] == reverse("accounts:signup_sent")
    person = Person.objects.get(email="new.person@example.org")
    assert not person.is_active
    assert client.get(reverse("home")).context["user"].is_anonymous
    (message,) = mailoutbox
    assert message.to == ["new.person@example.org"]
    assert message.subject == "Confirm your backcoach account"
    link = link_in(message)
    assert link.startswith("http://testserver/accounts/signup/confirm/")

    path = link.removeprefix("http://testserver")
    assert client.post(path, {"password": "not-what-was-chosen"}).status_code == 200
    person.refresh_from_db()
    assert not person.is_active
    response = client.post(path, {"password": "a-long-good-password-42"})
    assert response["Location"] == reverse("safety:screen")
    person.refresh_from_db()
    assert person.is_active
    assert client.get(reverse("home")).context["user"] == person
    # Used once: the link stops working.
    client.logout()
    assert not client.get(path).context["validlink"]


@pytest.mark.django_db
def test_a_taken_address_gets_the_same_answer_and_an_email_saying_so(client, mailoutbox):
    owner = make_person(email="taken@example.org")
    make_person(email="someone-else@example.org")
    taken = client.post(URL, form(email="TAKEN@example.org"))
    new = client.post(URL, form(email="fresh@example.org"))
    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"] == reverse("accounts:signup_sent")
    sent = client.get(taken["Location"])
    assert b"Check your e-mail" in sent.content
    assert Person.objects.filter(email="taken@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    exists, confirm = mailoutbox
    assert exists.to == ["taken@example.org"]
    assert exists.subject == "You already have a backcoach account"
    assert "http://testserver/accounts/password/reset/" in exists.body
    assert "/signup/confirm/" not in exists.body
    assert confirm.to == ["fresh@example.org"]


@pytest.mark.django_db
def test_a_stranger_cannot_make_the_owner_confirm_the_strangers_password(client, mailoutbox):
    make_person(email="owner@example.org")
    client.post(URL, form(email="victim@example.org"))
    strangers = {"password1": "strangers-pw-123", "password2": "strangers-pw-123"}
    client.post(URL, form(email="victim@example.org", **strangers))
    first, newest = (link_in(m).removeprefix("http://testserver") for m in mailoutbox)
    # The newer sign-up replaced the password: the first link is dead.
    assert not client.get(first).context["validlink"]
    # Opening the newest link is not enough: it needs the password chosen with it.
    assert client.get(newest).context["validlink"]
    client.post(newest, {"password": "a-long-good-password-42"})
    assert not Person.objects.get(email="victim@example.org").is_active


@pytest.mark.django_db
def test_a_switched_off_account_is_not_switched_back_on_by_a_sign_up(client, mailoutbox):
    make_person(email="owner@example.org")
    banned = make_person(email="banned@example.org")
    banned.last_login, banned.is_active = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), False
    banned.save()
    client.post(URL, form(email="banned@example.org"))
    banned.refresh_from_db()
    assert not banned.is_active
    assert not banned.check_password("a-long-good-password-42")
    assert mailoutbox[0].subject == "You already have a backcoach account"


@pytest.mark.django_db
def test_sign_up_emails_share_the_hourly_cap_with_password_resets(client, mailoutbox, settings):
    make_person(email="owner@example.org")
    for _ in range(settings.PASSWORD_RESET_EMAILS_PER_HOUR + 3):
        client.post(URL, form(email="owner@example.org"))
    assert len(mailoutbox) == settings.PASSWORD_RESET_EMAILS_PER_HOUR


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("uidb64", "token"),
    [("MQ", "bad-token"), ("%%%", "x"), ("", "x"), ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "x")],
)
def test_a_broken_or_forged_link_says_so_and_changes_nothing(client, uidb64, token):
    make_person(email="owner@example.org")
    client.post(URL, form())
    path = f"/accounts/signup/confirm/{uidb64}/{token}/"
    response = client.post(path, {"password": "a-long-good-password-42"})
    assert response.status_code in (200, 404)
    assert not Person.objects.get(email="new.person@example.org").is_active


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


# E-mail leaves the server only through the SMTP server EMAIL_HOST names; without one,
# `serve` prints each e-mail in its terminal, and the link is passed on by hand.
NO_MAIL_SERVER = ""
MAIL_SERVER = "smtp.example.org"


SENT = ["We sent a message to the address you gave", "spam folder"]
NOT_SENT = [
    "no mail server set up",
    "shown in the terminal where backcoach runs",
    "ask the person who runs it",
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("server", "said", "not_said"),
    [(MAIL_SERVER, SENT, NOT_SENT), (NO_MAIL_SERVER, NOT_SENT, SENT)],
    ids=["mail-server", "no-mail-server"],
)
def test_check_your_email_says_where_the_link_is(client, settings, server, said, not_said):
    settings.EMAIL_HOST = server
    make_person(email="owner@example.org")
    response = client.post(URL, form())
    page = client.get(response["Location"]).content.decode()
    assert all(words in page for words in said)
    assert not any(words in page for words in not_said)


@pytest.mark.django_db
@pytest.mark.parametrize(("server", "warned"), [(MAIL_SERVER, False), (NO_MAIL_SERVER, True)])
def test_the_sign_up_page_says_beforehand_where_the_link_goes(client, settings, server, warned):
    settings.EMAIL_HOST = server
    page = client.get(URL).content.decode()
    assert ("no mail server set up" in page) == warned
    assert ("shown in the terminal where backcoach runs" in page) == warned
