"""A stranger can slow the owner down but never hold them out (README, "Log-in limits"):
the whole chain of issue 19, played by a stranger who shares the owner's network address."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.clients import visitor
from tests.factories import make_person

LOGIN = reverse("accounts:login")
SIGNUP = reverse("accounts:signup")
RESET = reverse("accounts:password_reset")


def reset_links(messages) -> list[str]:
    return [
        path
        for message in messages
        for path in re.findall(
            r"https?://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body
        )
    ]


def signup_with(email: str) -> dict:
    """A stranger's sign-up form with someone else's address."""
    return {
        "email": email,
        "password1": "a-strangers-pass-91",
        "password2": "a-strangers-pass-91",
        "time_zone": "Europe/Berlin",
        "bedtime": "22:30",
    }


@pytest.mark.django_db
def test_a_stranger_who_spends_every_cap_still_leaves_the_owner_a_way_back(person, password):
    make_person(email="first@example.org")  # the installation's owner signed up first
    stranger = visitor(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        stranger.post(SIGNUP, signup_with(person.email))
    for _ in range(6):
        stranger.post(LOGIN, {"username": person.email, "password": "wrong-guess"})
    owner = visitor(REMOTE_ADDR="203.0.113.9")  # the same address, as behind a proxy
    assert owner.post(LOGIN, {"username": person.email, "password": password}).status_code == 429
    sent_before = len(mail.outbox)
    owner.post(RESET, {"email": person.email})
    assert len(mail.outbox) == sent_before  # the hourly cap is spent...
    links = reset_links(mail.outbox)
    assert len(links) == 3  # ...by e-mails that each carry a working way back
    form = owner.get(links[-1], follow=True)
    new = "the-owners-new-pass-42"
    done = owner.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert done.status_code == 200
    assert done.context["user"] == person  # logged in by the link itself, no log-in form
    assert "You are logged in" in done.content.decode()
    # And the stranger's guesses no longer hold the log-in form against the owner either.
    assert (
        visitor(REMOTE_ADDR="203.0.113.9")
        .post(LOGIN, {"username": person.email, "password": new})
        .status_code
        == 302
    )


@pytest.mark.django_db
def test_a_switched_off_account_gets_no_reset_link_in_its_note(person):
    make_person(email="first@example.org")
    person.is_active, person.last_login = False, timezone.now()  # switched off after use
    person.save()
    visitor().post(SIGNUP, signup_with(person.email))
    assert "already has an account" in mail.outbox[-1].body
    assert reset_links(mail.outbox) == []
