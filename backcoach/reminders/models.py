import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's private iCalendar address with their bedtime reminder.

    Anyone with the address can read the feed (that is how calendar apps subscribe), so it
    holds only the reminder, and the person can replace the address at any time.
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    lead_minutes = models.PositiveSmallIntegerField(
        "remind me this many minutes before bedtime",
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(180)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.person}"
