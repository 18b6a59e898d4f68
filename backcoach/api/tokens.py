"""Personal access tokens: made, revoked, and accepted by the API beside the session.

Two ways to sign a request in, tried in this order:
- a token in `Authorization: Bearer`: a script's way. No CSRF check: a browser never adds
  that header by itself, so a page on another site cannot make one send it. A token that
  does not work (mistyped, revoked, expired) is refused there and then, even when a session
  cookie came with it: the caller said who it is, and it is not;
- the session cookie: the web app's way, with the CSRF token checked on every write, and
  only then, so that a request without a session is not refused for its missing CSRF token
  but tried as a token's."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .models import DEFAULT_LIFETIME, LIFETIMES, AccessToken, new_token, token_digest

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_TOKENS = 20


class TokenRefused(Exception):
    """The token cannot be made; the message says why."""


@transaction.atomic
def token_create(
    *,
    person,
    name: str,
    scope: str,
    lifetime: str = DEFAULT_LIFETIME,
    now: dt.datetime | None = None,
) -> tuple[AccessToken, str]:
    """A new token: the row, and the token itself, which is shown once and not kept."""
    live = person.access_tokens.select_for_update().live()
    if live.count() >= MAX_TOKENS:
        raise TokenRefused(f"At most {MAX_TOKENS} tokens at a time: revoke one first.")
    if live.filter(name=name).exists():
        raise TokenRefused("You already have a token with that name.")
    if lifetime not in LIFETIMES:
        raise TokenRefused("Choose how long the token works.")
    _, length = LIFETIMES[lifetime]
    token = new_token()
    row = AccessToken.objects.create(
        person=person,
        name=name,
        scope=scope,
        digest=token_digest(token),
        hint=token[:7],
        expires_at=None if length is None else (now or timezone.now()) + length,
    )
    return row, token


def token_revoke(*, token: AccessToken) -> None:
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer bc_…`. A read-only token may not write. Reading with a token
    writes nothing (no "last used" moment): a read request changes nothing."""

    def authenticate(self, request: HttpRequest, token: str):
        found = (
            AccessToken.objects.live()
            .select_related("person")
            .filter(digest=token_digest(token), person__is_active=True)
            .first()
        )
        if found is None:
            raise AuthenticationError(
                401, "This token does not work: it is mistyped, revoked or expired."
            )
        if found.scope == AccessToken.Scope.READ and request.method not in SAFE_METHODS:
            raise HttpError(403, "This token may only read; make a read-and-write token to write.")
        request.user = found.person
        return found.person


class SessionAuth(APIKeyCookie):
    """The web app's session cookie; the CSRF token is checked on writes of a signed-in
    session (ninja's own `django_auth` checks it before it looks for a session, which
    refused every token's write as a CSRF failure)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest):
        return None  # the session middleware has read the cookie already

    def authenticate(self, request: HttpRequest, key):
        if not request.user.is_authenticated:
            return None
        if request.method in SAFE_METHODS:
            return request.user
        # The body is read first, so that the check's look for a token in a form body
        # leaves it for the API's parser to refuse.
        request.body  # noqa: B018
        if check_csrf(request) is not None:
            raise HttpError(
                403, "The CSRF token is missing or out of date: reload the page and try again."
            )
        return request.user
