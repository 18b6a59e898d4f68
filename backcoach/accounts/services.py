"""What changes a person's account. Views call these; they hold the rules."""

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import throttling
from .models import LoginFailures, PasswordResetEmail, Person, normalize_email


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """The link in a sign-up e-mail. It dies when the account is confirmed, and when a
    later sign-up for the same address replaces the password (a newer link goes out)."""

    key_salt = "backcoach.accounts.signup"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.is_active}{timestamp}{user.email}"


signup_tokens = SignupTokenGenerator()


@transaction.atomic
def person_signup(
    *, email: str, password: str, time_zone: str, bedtime: dt.time, site_url: str
) -> Person | None:
    """Make an account. The first person on an installation is its owner: their account
    is ready at once and returned, to be signed in. After that, the answer never tells
    whether an address has an account: a new address gets an account that waits for the
    link e-mailed to it, an address in use gets an e-mail saying so, and both return None.
    """
    email = normalize_email(email)
    if not Person.objects.exists():
        return Person.objects.create_user(
            email=email, password=password, time_zone=time_zone, bedtime=bedtime
        )
    person = Person.objects.select_for_update().filter(email__iexact=email).first()
    if person is not None and not _awaits_confirmation(person):
        # Hash anyway, so that the answer takes as long as for a new address.
        Person(email=email).set_password(password)
        _account_email(
            person.email,
            "signup_exists",
            {"site_url": site_url, "reset_link": password_reset_link(person, site_url)},
        )
        return None
    if person is None:
        person = Person(email=email, is_active=False)
    # An unconfirmed account takes the newest sign-up's answers; older links stop working.
    person.set_password(password)
    person.time_zone, person.bedtime = time_zone, bedtime
    person.save()
    uidb64 = urlsafe_base64_encode(force_bytes(person.pk))
    token = signup_tokens.make_token(person)
    link = site_url + reverse("accounts:signup_confirm", args=[uidb64, token])
    _account_email(person.email, "signup_confirm", {"link": link})
    return None


def password_reset_link(person: Person, site_url: str) -> str | None:
    """A working password-reset link for the account, as the reset e-mail carries. Every
    e-mail that a stranger can make go to an account's address carries one, so that the
    hourly cap on those e-mails, which a stranger can fill, never leaves the owner without a
    way back in: each e-mail that filled it is one. None for an account that the reset
    page would not reset either (switched off, or without a password): Django's own
    reset form says which it resets."""
    if person not in PasswordResetForm().get_users(person.email):
        return None
    uidb64 = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return site_url + reverse("accounts:password_reset_confirm", args=[uidb64, token])


def _awaits_confirmation(person: Person) -> bool:
    """Signed up but never confirmed. An account switched off by an administrator has
    logged in before, and a sign-up must not switch it back on."""
    return not person.is_active and person.last_login is None


def _account_email(to: str, template: str, context: dict) -> None:
    """Send one of the account e-mails, within the per-address hourly cap."""
    if not throttling.account_email_allowed(to):
        return
    context = {**context, "email": to, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(subject, body, None, [to])


@transaction.atomic
def person_signup_confirm(*, person: Person) -> Person:
    """The e-mailed link was opened and the password given: the account is ready."""
    person.is_active = True
    person.save(update_fields=["is_active"])
    return person


# A new e-mail address is the person's once they open the link sent to it: the settings
# page answers alike whether the address is free or has an account, so that it tells no
# one who uses backcoach.
EMAIL_CHANGE_SALT = "backcoach.accounts.email-change"


class EmailChangeRefused(Exception):
    """The link cannot change the address; the message says why."""


def email_change_token(person: Person, new_email: str) -> str:
    """A signed, expiring link value naming the person, their address now and the new one."""
    data = {"person": person.pk, "from": person.email, "to": normalize_email(new_email)}
    return signing.dumps(data, salt=EMAIL_CHANGE_SALT, compress=True)


def email_change_request(*, person: Person, email: str, site_url: str) -> None:
    """Ask the owner of `email` to confirm it as the person's new address, by a link; an
    address that has an account gets an e-mail saying so, and nothing changes."""
    email = normalize_email(email)
    if email == person.email:
        return
    owner = Person.objects.filter(email__iexact=email).exclude(pk=person.pk).first()
    if owner is not None:
        _account_email(
            email,
            "email_change_taken",
            {"site_url": site_url, "reset_link": password_reset_link(owner, site_url)},
        )
        return
    link = site_url + reverse("accounts:email_confirm", args=[email_change_token(person, email)])
    _account_email(email, "email_change_confirm", {"link": link, "old": person.email})


def email_change_read(*, person: Person, token: str) -> str:
    """The new address a link carries for this person, or EmailChangeRefused."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.SignatureExpired:
        raise EmailChangeRefused("This link has expired: ask for the change again.") from None
    except signing.BadSignature:
        raise EmailChangeRefused("This link is not one backcoach sent, or it was cut.") from None
    if not isinstance(data, dict) or data.get("person") != person.pk:
        raise EmailChangeRefused(
            "This link is for another account: log in as the person who asked for it."
        )
    if data.get("from") != person.email:
        raise EmailChangeRefused(
            "Your e-mail address changed since this link was sent: ask for the change again."
        )
    return data["to"]


@transaction.atomic
def email_change_confirm(*, person: Person, token: str) -> str:
    """Make the link's address the person's own; the old address is told."""
    email = email_change_read(person=person, token=token)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if Person.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
        raise EmailChangeRefused("That address has an account now: choose another.")
    old = person.email
    person.email = email
    person.save(update_fields=["email"])
    _account_email(old, "email_changed", {"new": email})
    return email


@transaction.atomic
def person_delete(*, person: Person) -> None:
    """Delete the person and, through the database's cascades, everything they own."""
    AccessAttempt.objects.filter(username__iexact=person.email).delete()
    LoginFailures.objects.filter(email=person.email).delete()
    PasswordResetEmail.objects.filter(email=person.email).delete()
    # Sessions are rows that name their person only inside their encoded data.
    key = str(person.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == key:
            session.delete()
    person.delete()
