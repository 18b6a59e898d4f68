"""Who is trying to log in, and how often: the client's address (behind a trusted proxy
too), the account's identifier, the per-account delay, and the password-reset e-mail cap.

The policy (README, "Log-in limits"):
- one address and one account: 5 failures, then 15 minutes' wait (django-axes);
- one account from anywhere: after ACCOUNT_FAILURE_LIMIT failures, each further attempt
  waits 30 seconds, doubling up to 15 minutes; a successful log-in or a password reset
  through the e-mailed link lifts it. A stranger can slow the owner down, not lock them
  out: the reset link always works;
- password-reset e-mails: PASSWORD_RESET_EMAILS_PER_HOUR to one address in an hour.
"""

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginFailures, PasswordResetEmail, normalize_email

FIRST_DELAY = dt.timedelta(seconds=30)
LONGEST_DELAY = dt.timedelta(minutes=15)


def login_identifier(request, credentials: dict | None) -> str | None:
    """The e-mail address a login attempt was for, as stored: trimmed and in lower case."""
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get("username") if source else None
    return normalize_email(value) if isinstance(value, str) else None


def client_address(request) -> str:
    """The client's address: the connection's, or, behind a trusted proxy, the one the
    proxies recorded PROXY_HOPS entries from the right of X-Forwarded-For. A header sent by
    anyone but a trusted proxy is ignored: clients could write anything into it."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY or remote not in settings.PROXY_ADDRESSES:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < settings.PROXY_HOPS:
        return remote
    return forwarded[-settings.PROXY_HOPS]


def account_delay(failures: int) -> dt.timedelta:
    """How long after a failure the next attempt must wait, for an account with `failures`."""
    over = failures - settings.ACCOUNT_FAILURE_LIMIT
    if over < 0:
        return dt.timedelta(0)
    return min(FIRST_DELAY * 2 ** min(over, 20), LONGEST_DELAY)


def account_wait(email: str, *, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How much longer a log-in for this account must wait, or None when it may try now."""
    row = LoginFailures.objects.filter(email=normalize_email(email)).first()
    if row is None:
        return None
    remaining = row.last_failure_at + account_delay(row.failures) - (now or timezone.now())
    return remaining if remaining > dt.timedelta(0) else None


def account_failed(email: str) -> None:
    email, now = normalize_email(email), timezone.now()
    updated = LoginFailures.objects.filter(email=email).update(
        failures=F("failures") + 1, last_failure_at=now
    )
    if not updated:
        try:
            with transaction.atomic():
                LoginFailures.objects.create(email=email, failures=1, last_failure_at=now)
        except IntegrityError:  # another process counted the first failure
            LoginFailures.objects.filter(email=email).update(
                failures=F("failures") + 1, last_failure_at=now
            )


def account_cleared(email: str) -> None:
    """A successful log-in or a password reset: the account's count starts again."""
    LoginFailures.objects.filter(email=normalize_email(email)).delete()


def account_email_allowed(email: str, *, now: dt.datetime | None = None) -> bool:
    """Whether another account e-mail (password reset, sign-up) may go to this address
    now; records it if so."""
    email, now = normalize_email(email), now or timezone.now()
    recent = PasswordResetEmail.objects.filter(email=email, sent_at__gt=now - dt.timedelta(hours=1))
    if recent.count() >= settings.PASSWORD_RESET_EMAILS_PER_HOUR:
        return False
    PasswordResetEmail.objects.create(email=email, sent_at=now)
    return True


def logins_unlocked(email: str) -> None:
    """Lift every log-in limit on the account: the per-account delay and, from every
    address, django-axes's lock."""
    account_cleared(email)
    AccessAttempt.objects.filter(username=normalize_email(email)).delete()
