import hashlib
import secrets

from django.conf import settings
from django.db import models

PREFIX = "bc_"


def token_digest(token: str) -> str:
    """What is stored of a token. The token is 256 random bits, so a plain SHA-256 is as
    good as a slow password hash here, and it lets the token be looked up by its digest."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


class AccessToken(models.Model):
    """A personal access token for scripts and other tools: the API takes it in the
    Authorization header (Bearer). Shown once when made; only its digest is kept."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField("name", max_length=80, help_text="What it is for, to recognise it.")
    scope = models.CharField("may", max_length=5, choices=Scope.choices, default=Scope.READ)
    digest = models.CharField("SHA-256 of the token", max_length=64, unique=True)
    hint = models.CharField("its first characters", max_length=12)
    created_at = models.DateTimeField("made", auto_now_add=True)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"
