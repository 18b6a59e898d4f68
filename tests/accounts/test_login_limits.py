"""Log-in limits that hold behind a proxy and across many addresses, without letting a
stranger lock the owner out; capped password-reset e-mails; private pages not cached."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import RequestFactory, override_settings
from django.urls import reverse

from backcoach.accounts import throttling
from backcoach.accounts.models import LoginFailures
from tests.clients import visitor
from tests.factories import client_for

LOGIN = reverse("accounts:login")
PROXIED = {"BEHIND_PROXY": True, "PROXY_HOPS": 1, "PROXY_ADDRESSES": ["127.0.0.1"]}


def attempt(person, password, *, address="127.0.0.1", forwarded=None):
    client = visitor(REMOTE_ADDR=address)
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    response = client.post(LOGIN, {"username": person.email, "password": password}, **headers)
    return response


def request_from(address, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=address, **extra)


def test_without_a_proxy_a_forwarded_header_is_ignored():
    assert throttling.client_address(request_from("192.0.2.1", "203.0.113.5")) == "192.0.2.1"


@override_settings(**PROXIED)
def test_behind_a_trusted_proxy_the_client_is_the_proxys_last_entry():
    request = request_from("127.0.0.1", "10.0.0.9, 203.0.113.5")
    assert throttling.client_address(request) == "203.0.113.5"
    with override_settings(PROXY_HOPS=2):
        assert throttling.client_address(request) == "10.0.0.9"
    # A client that reaches the app directly cannot pick its own address.
    assert throttling.client_address(request_from("192.0.2.1", "198.51.100.7")) == "192.0.2.1"
    assert throttling.client_address(request_from("127.0.0.1")) == "127.0.0.1"


@pytest.mark.django_db
@override_settings(**PROXIED)
def test_behind_a_proxy_a_strangers_guesses_do_not_lock_out_the_owner(person, password):
    for _ in range(5):
        attempt(person, "wrong-password", forwarded="203.0.113.5")
    assert attempt(person, password, forwarded="203.0.113.5").status_code == 429
    assert attempt(person, password, forwarded="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_guesses_from_many_addresses_slow_the_account_down(person, password):
    for number in range(10):
        assert attempt(person, "wrong", address=f"127.0.0.{number + 2}").status_code == 200
    response = attempt(person, password, address="127.0.0.100")
    assert response.status_code == 200
    assert "Too many failed log-ins for this account" in response.content.decode()
    assert "reset your password by e-mail" in response.content.decode()
    # The wait passes; the right password then works, and clears the count.
    LoginFailures.objects.update(last_failure_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert attempt(person, password, address="127.0.0.100").status_code == 302
    assert not LoginFailures.objects.exists()


def test_the_wait_doubles_and_stops_at_fifteen_minutes():
    delays = [throttling.account_delay(failures) for failures in range(8, 20)]
    assert delays[:2] == [dt.timedelta(0), dt.timedelta(0)]
    assert delays[2:5] == [dt.timedelta(seconds=s) for s in (30, 60, 120)]
    assert max(delays) == dt.timedelta(minutes=15) == delays[-1]


@pytest.mark.django_db
def test_the_emailed_reset_link_lifts_every_limit(person, password):
    for number in range(12):
        attempt(person, "wrong", address=f"127.0.0.{number + 2}")
    for _ in range(5):
        attempt(person, "wrong", address="127.0.0.50")
    client = visitor()
    client.post(reverse("accounts:password_reset"), {"email": person.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password/reset/" in line)
    path = link[link.index("/accounts/") :].strip()
    form_page = client.get(path, follow=True)
    new_password = "a-brand-new-password-77"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert not LoginFailures.objects.exists()
    assert attempt(person, new_password, address="127.0.0.50").status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_few_emails_an_hour_and_answers_alike(person):
    client = visitor()
    answers = [
        client.post(reverse("accounts:password_reset"), {"email": person.email}) for _ in range(6)
    ]
    assert [a.status_code for a in answers] == [302] * 6
    assert len({a["Location"] for a in answers}) == 1
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_personal_pages_and_api_answers_are_not_cached(person):
    client = client_for(person)
    for url in ("/play/history/", "/reminders/", "/api/practices/", "/diary/", "/progress/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


@pytest.mark.django_db
def test_deleting_an_account_deletes_its_sessions(person, password):
    phone, laptop = client_for(person), client_for(person)
    assert Session.objects.count() == 2
    response = laptop.post(reverse("accounts:delete"), {"password": password})
    assert response.status_code == 302
    assert Session.objects.count() == 0
    assert phone.get(reverse("diary:index")).status_code == 302  # logged out everywhere
