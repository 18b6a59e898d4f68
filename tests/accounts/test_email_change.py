"""A new e-mail address is the person's only once they open the link sent to it, and the
settings page answers alike whether the address is free or has an account."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from backcoach.accounts import services
from backcoach.accounts.models import Person
from tests.factories import make_person

SETTINGS = reverse("accounts:settings")


def settings_form(**overrides):
    data = {
        "name": "Olive",
        "email": "owner@example.org",
        "time_zone": "Europe/Berlin",
        "bedtime": "22:30",
        "theme": "dark",
        "length_unit": "cm",
    }
    return {**data, **overrides}


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/email/\S+/", message.body).group(0)


def ask_for(client, email):
    response = client.post(SETTINGS, settings_form(email=email), follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_new_address_is_used_once_its_link_is_opened_and_the_old_one_is_told(
    person_client, person
):
    page = ask_for(person_client, "olive@new.example.org")
    assert "open the link we sent there" in page
    person.refresh_from_db()
    assert person.email == "owner@example.org"  # not yet
    [message] = mail.outbox
    assert message.to == ["olive@new.example.org"]
    path = link_in(message).split("testserver", 1)[1]

    confirm = person_client.get(path)  # a mail client's preview changes nothing
    assert confirm.status_code == 200
    assert "Use olive@new.example.org" in confirm.content.decode()
    person.refresh_from_db()
    assert person.email == "owner@example.org"

    response = person_client.post(path)
    assert response.url == SETTINGS
    person.refresh_from_db()
    assert person.email == "olive@new.example.org"
    assert mail.outbox[-1].to == ["owner@example.org"]
    assert "now uses olive@new.example.org" in mail.outbox[-1].body
    # Used: the address it was sent from is gone, so the link is dead.
    again = person_client.post(path)
    assert again.status_code == 400
    assert "changed since this link was sent" in again.content.decode()


@pytest.mark.django_db
def test_an_address_with_an_account_gets_the_same_answer_and_an_e_mail_saying_so(
    person_client, person, stranger
):
    free = ask_for(person_client, "somebody-new@example.org")
    taken = ask_for(person_client, "STRANGER@example.org")
    said = re.compile(r"To log in with \S+ from now on, open the link we sent there\.")
    assert said.search(free) and said.search(taken)
    assert "already" not in taken
    person.refresh_from_db()
    assert person.email == "owner@example.org"
    to_stranger = mail.outbox[-1]
    assert to_stranger.to == ["stranger@example.org"]
    assert "already has an account, so nothing was changed" in to_stranger.body
    assert "/accounts/email/" not in to_stranger.body  # no link that could move anything


@pytest.mark.django_db
def test_a_link_works_only_for_its_person_and_only_as_sent(person_client, person, stranger):
    token = services.email_change_token(person, "olive@new.example.org")
    url = reverse("accounts:email_confirm", args=[token])
    stranger_client = person_client.__class__()
    stranger_client.force_login(stranger)
    response = stranger_client.post(url)
    assert response.status_code == 400
    assert "for another account" in response.content.decode()
    for bad in (token[:-3] + "abc", "x", "a" * 500):
        response = person_client.post(reverse("accounts:email_confirm", args=[bad]))
        assert response.status_code == 400
        assert "not one backcoach sent" in response.content.decode()
    stranger.refresh_from_db()
    person.refresh_from_db()
    assert (person.email, stranger.email) == ("owner@example.org", "stranger@example.org")


@pytest.mark.django_db
def test_a_link_expires_and_a_taken_address_is_refused_at_the_end_too(
    person_client, person, settings, monkeypatch
):
    token = services.email_change_token(person, "late@example.org")
    url = reverse("accounts:email_confirm", args=[token])
    make_person(email="late@example.org")  # someone signed up with it meanwhile
    response = person_client.post(url)
    assert response.status_code == 400
    assert "has an account now" in response.content.decode()

    import time

    later = time.time() + settings.PASSWORD_RESET_TIMEOUT + 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = person_client.post(url)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    person.refresh_from_db()
    assert person.email == "owner@example.org"


@pytest.mark.django_db
def test_the_link_asks_anyone_not_logged_in_to_log_in_first(client, person):
    url = reverse("accounts:email_confirm", args=[services.email_change_token(person, "a@b.org")])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_other_settings_are_saved_with_a_change_of_address(person_client, person):
    ask_for(person_client, "olive@new.example.org")
    person.refresh_from_db()
    assert person.bedtime == dt.time(22, 30) and person.time_zone == "Europe/Berlin"
    assert Person.objects.filter(email="olive@new.example.org").count() == 0
