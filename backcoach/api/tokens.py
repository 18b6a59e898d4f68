"""Personal access tokens: made, revoked, and accepted by the API beside the session."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from .models import AccessToken, new_token, token_digest

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_TOKENS = 20


class TokenRefused(Exception):
    """The token cannot be made; the message says why."""


@transaction.atomic
def token_create(*, person, name: str, scope: str) -> tuple[AccessToken, str]:
    """A new token: the row, and the token itself, which is shown once and not kept."""
    live = person.access_tokens.select_for_update().filter(revoked_at__isnull=True)
    if live.count() >= MAX_TOKENS:
        raise TokenRefused(f"At most {MAX_TOKENS} tokens at a time: revoke one first.")
    if live.filter(name=name).exists():
        raise TokenRefused("You already have a token with that name.")
    token = new_token()
    row = AccessToken.objects.create(
        person=person, name=name, scope=scope, digest=token_digest(token), hint=token[:7]
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
            AccessToken.objects.select_related("person")
            .filter(digest=token_digest(token), revoked_at__isnull=True, person__is_active=True)
            .first()
        )
        if found is None:
            return None
        if found.scope == AccessToken.Scope.READ and request.method not in SAFE_METHODS:
            raise HttpError(403, "This token may only read; make a read-and-write token to write.")
        request.user = found.person
        return found.person
