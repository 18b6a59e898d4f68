"""Sending one push message, and what the push service's answer means for the subscription."""

import datetime as dt
import enum
import ipaddress
import json
import socket
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush

from . import addresses
from .keys import vapid

TIMEOUT = 10  # seconds; a push service answers in well under one
# How long the push service keeps a message for a phone that is off: a bedtime reminder
# that arrives an hour late is no longer one.
TIME_TO_LIVE = 60 * 60


class Outcome(enum.StrEnum):
    SENT = "sent"
    GONE = "gone"  # 404/410: the browser unsubscribed or the subscription expired
    RETRY = "retry"  # the push service or the network failed for now
    REFUSED = "refused"  # the push service will never take this message as it is


class PushFailed(Exception):
    """Raised by `send` when the message did not reach the push service; `retry_after`
    is how long the push service asked to wait, when it said."""

    def __init__(self, outcome: Outcome, detail: str, retry_after: dt.timedelta | None = None):
        super().__init__(detail)
        self.outcome = outcome
        self.retry_after = retry_after


# Longer than a bedtime reminder could wait anyway: a larger number is read as this.
LONGEST_WAIT = dt.timedelta(days=1)


def retry_after(value: str | None, *, now: dt.datetime) -> dt.timedelta | None:
    """How long a Retry-After header asks to wait (RFC 9110, 10.2.3: whole seconds, or an
    HTTP date); None when there is none or it cannot be read."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(dt.timedelta(seconds=int(value[:9])), LONGEST_WAIT)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are in GMT
        when = when.replace(tzinfo=dt.UTC)
    return min(max(when - now, dt.timedelta(0)), LONGEST_WAIT)


def check_public(endpoint: str) -> None:
    """Refuse (PushFailed, GONE) an endpoint whose host leads into a private network.

    The host as written is judged by the rule the subscription was held to when it was
    stored (`addresses.leads_inside`: an address in any spelling a resolver reads, a name
    for this machine), which also catches a row stored before that rule read every
    spelling. A loopback address in its usual spelling is the one exception: the store
    takes it only with DEBUG on, for a test push service on this machine. A name can point
    anywhere, so every address it has now must be a public one, as the server posts to
    whatever address a browser gave. The name could still change between this look-up and
    the connection: this closes the plain case, not a rebinding attack."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if _test_push_service(host):
        return
    if addresses.leads_inside(host):
        raise PushFailed(Outcome.GONE, INSIDE)
    try:
        found = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise PushFailed(Outcome.RETRY, f"cannot look up the push service: {exc}") from None
    looked_up = {ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in found}
    if not looked_up or not all(addresses.is_public(address) for address in looked_up):
        raise PushFailed(Outcome.GONE, INSIDE)


INSIDE = "its address leads into a private network, not to a push service"


def _test_push_service(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def send(*, endpoint: str, p256dh: str, auth: str, message: dict) -> None:
    """Encrypt `message` (JSON) to the browser (aes128gcm) and hand it to its push service
    with a VAPID signature; PushFailed says why not."""
    check_public(endpoint)
    origin = urlsplit(endpoint)
    claims = {
        "sub": settings.PUSH_CONTACT,
        "aud": f"{origin.scheme}://{origin.netloc}",
        # RFC 8292 allows at most 24 hours; an hour is plenty for one send.
        "exp": int(time.time()) + 60 * 60,
    }
    try:
        webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=json.dumps(message, separators=(",", ":")),
            vapid_private_key=vapid(),
            vapid_claims=claims,
            content_encoding="aes128gcm",
            ttl=TIME_TO_LIVE,
            timeout=TIMEOUT,
            # Topic: a phone that was off gets one bedtime message, not each one missed.
            headers={"Urgency": "high", "Topic": "bedtime"},
        )
    except WebPushException as exc:
        status = exc.status_code
        if exc.response is None:  # refused here, before sending: the keys do not work
            raise PushFailed(Outcome.REFUSED, exc.message) from None
        if status in (404, 410):
            raise PushFailed(Outcome.GONE, f"the push service answered {status}") from None
        if status is None or status == 429 or status >= 500:
            wait = retry_after(exc.response.headers.get("Retry-After"), now=dt.datetime.now(dt.UTC))
            raise PushFailed(
                Outcome.RETRY, f"the push service answered {status}", retry_after=wait
            ) from None
        raise PushFailed(Outcome.REFUSED, f"the push service answered {status}") from None
    except requests.RequestException as exc:
        raise PushFailed(Outcome.RETRY, f"no answer from the push service: {exc}") from None
