import datetime as dt
import functools
import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def validate_time_zone(value: str) -> None:
    if value not in available_time_zones():
        raise ValidationError("%(value)s is not a time zone we know.", params={"value": value})


@functools.cache
def available_time_zones() -> frozenset[str]:
    """IANA zone names, read once: scanning the tz database takes tens of milliseconds."""
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory"})


def normalize_email(value: str) -> str:
    """An e-mail address as backcoach stores and compares it: trimmed, in lower case.
    The one place this is decided: sign-up, log-in throttling and the CLI all use it."""
    return value.strip().lower()


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("A person needs an e-mail address")
        person = self.model(email=normalize_email(email), **fields)
        person.set_password(password)
        person.full_clean(exclude=["password"])
        person.save(using=self._db)
        return person

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone who uses backcoach: logs in with an e-mail address and owns their data."""

    class Theme(models.TextChoices):
        DARK = "dark", "Dark (for bedtime)"
        LIGHT = "light", "Light"
        SYSTEM = "system", "Follow my device"

    email = models.EmailField(
        "e-mail address",
        max_length=254,
        unique=True,
        error_messages={"unique": "An account with this e-mail address already exists."},
        help_text="You log in with it; we write to it only to reset your password.",
    )
    name = models.CharField(
        "name", max_length=80, blank=True, help_text="What backcoach calls you. Optional."
    )
    time_zone = models.CharField(
        "time zone",
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Reminders and 'tonight' follow this time zone.",
    )
    bedtime = models.TimeField(
        "usual bedtime",
        default=dt.time(22, 30),
        help_text="When you usually go to bed; the evening routine and reminders use it.",
    )
    bedtime_routine = models.ForeignKey(
        "library.Routine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tonight's routine",
        help_text="Played by 'Start tonight's routine'; empty for the library's default.",
    )
    theme = models.CharField(
        "colour theme", max_length=8, choices=Theme.choices, default=Theme.DARK
    )
    length_unit = models.CharField(
        "lengths in",
        max_length=2,
        choices=[("cm", "Centimetres"), ("in", "Inches")],
        default="cm",
        help_text="For the weekly fingertip-to-floor test.",
    )
    is_staff = models.BooleanField(
        "staff", default=False, help_text="Can log in to the admin to edit content."
    )
    is_active = models.BooleanField("active", default=True)
    date_joined = models.DateTimeField("joined", default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def get_short_name(self) -> str:
        return self.name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.name or self.email

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class LoginFailures(models.Model):
    """Failed log-ins for one e-mail address, from any network: past a limit, each further
    attempt for that account waits (backcoach.accounts.throttling)."""

    email = models.CharField("e-mail address", max_length=254, unique=True)
    failures = models.PositiveIntegerField("failed attempts", default=0)
    last_failure_at = models.DateTimeField("last failure")

    class Meta:
        verbose_name = "log-in failures"
        verbose_name_plural = "log-in failures"

    def __str__(self) -> str:
        return f"{self.failures} failed log-ins for {self.email}"


class PasswordResetEmail(models.Model):
    """An account e-mail sent (password reset, sign-up), to cap how many one address
    receives in an hour."""

    email = models.CharField("e-mail address", max_length=254, db_index=True)
    sent_at = models.DateTimeField("sent", default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"reset e-mail to {self.email} at {self.sent_at:%Y-%m-%d %H:%M}"
