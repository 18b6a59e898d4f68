import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.utils import timezone

PREFIX = "bc_"


def token_digest(token: str) -> str:
    """What is stored of a token. The token is 256 random bits, so a plain SHA-256 is as
    good as a slow password hash here, and it lets the token be looked up by its digest."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


# How long a new token works, the choice in Settings → Access tokens; None: until revoked.
LIFETIMES = {
    "30": ("30 days", dt.timedelta(days=30)),
    "90": ("90 days", dt.timedelta(days=90)),
    "365": ("A year", dt.timedelta(days=365)),
    "never": ("Until I revoke it", None),
}
DEFAULT_LIFETIME = "90"


def works(now: dt.datetime | None = None) -> Q:
    """Whether a token works now: neither revoked nor past its end. The one rule that the
    API, the token page and the count of tokens all ask."""
    now = now or timezone.now()
    return Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class AccessTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(works())

    def with_works(self):
        """Each token with `works`: True while it may be used."""
        return self.annotate(works=ExpressionWrapper(works(), output_field=models.BooleanField()))


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
    expires_at = models.DateTimeField(
        "works until", null=True, blank=True, help_text="Empty: until it is revoked."
    )

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"
