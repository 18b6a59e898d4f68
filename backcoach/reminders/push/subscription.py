"""A browser's PushSubscription, as its JSON arrives, checked before anything is stored."""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from . import addresses

MAX_BYTES = 4096  # a real subscription's JSON is about 400 bytes
MAX_ENDPOINT = 1024
BASE64URL = re.compile(r"[A-Za-z0-9_-]{1,100}={0,2}")


class SubscriptionError(ValueError):
    """What is wrong with a subscription, in words for the person."""


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str
    auth: str


def parse_subscription(body: bytes, *, allow_local: bool) -> Subscription:
    """The subscription in `body` (PushSubscription.toJSON()), or SubscriptionError.

    Only https push services on a named host are taken: the server sends to whatever
    address a browser gives, so an address inside the server's own network is refused, in
    any spelling a resolver reads (`addresses.leads_inside`, which the send asks too).
    `allow_local` (with DEBUG on) lets a test push service on this machine take part."""
    if len(body) > MAX_BYTES:
        raise SubscriptionError("That subscription is too large to be a browser's.")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SubscriptionError("That is not a push subscription (not JSON).") from None
    if not isinstance(data, dict):
        raise SubscriptionError("That is not a push subscription.")
    endpoint, keys = data.get("endpoint"), data.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, dict):
        raise SubscriptionError("The subscription needs an endpoint and keys.")
    _check_endpoint(endpoint, allow_local=allow_local)
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    public = _decode(p256dh, "p256dh")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    except ValueError:
        raise SubscriptionError("The subscription's p256dh key is not a P-256 key.") from None
    if len(_decode(auth, "auth")) != 16:
        raise SubscriptionError("The subscription's auth secret must be 16 bytes.")
    return Subscription(endpoint=endpoint, p256dh=p256dh.rstrip("="), auth=auth.rstrip("="))


def _check_endpoint(endpoint: str, *, allow_local: bool) -> None:
    if len(endpoint) > MAX_ENDPOINT:
        raise SubscriptionError("The subscription's endpoint is too long.")
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        raise SubscriptionError("The subscription's endpoint is not an address.") from None
    if allow_local and parts.scheme in ("http", "https") and addresses.is_this_machine(host):
        return
    if parts.scheme != "https":
        raise SubscriptionError("The subscription's endpoint must be an https address.")
    if addresses.leads_inside(host):
        raise SubscriptionError(
            "The subscription's endpoint must be a push service's address, not one inside "
            "a private network or on this server."
        )
    if addresses.host_address(host) is not None or "." not in host.removesuffix("."):
        raise SubscriptionError("The subscription's endpoint must be a push service's address.")
    if any(ord(character) < 33 for character in endpoint):
        raise SubscriptionError("The subscription's endpoint is not an address.")


def _decode(value, name: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise SubscriptionError(f"The subscription's {name} key is missing.")
    if not BASE64URL.fullmatch(value):
        raise SubscriptionError(f"The subscription's {name} key is not base64url.")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise SubscriptionError(f"The subscription's {name} key is not base64url.") from None
