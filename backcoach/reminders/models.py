import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_key() -> str:
    return secrets.token_urlsafe(12)


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


class Reminder(models.Model):
    """A person's bedtime reminder on one channel that backcoach sends itself (e-mail or
    push), and when it goes next.

    The background worker claims a reminder that is due by moving `next_send_at` on with a
    conditional UPDATE (sending.reminders_claim_due); whoever's UPDATE changed the row
    sends it, so that several workers send each reminder once. `planned_bedtime` and
    `planned_zone` are the settings `next_send_at` was worked out from: when the person
    changes theirs, the worker works it out again."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        PUSH = "push", "Notification"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    channel = models.CharField("sent by", max_length=8, choices=Channel.choices)
    next_send_at = models.DateTimeField(
        "next reminder", db_index=True, help_text="The next bedtime, as a moment (UTC)."
    )
    next_evening = models.DateField("evening of the next reminder")
    last_evening = models.DateField(
        "last evening reminded",
        null=True,
        blank=True,
        help_text="So that a changed bedtime never reminds twice in one evening.",
    )
    planned_bedtime = models.TimeField("bedtime it was planned for")
    planned_zone = models.CharField("time zone it was planned for", max_length=64)
    unsubscribe_key = models.CharField(
        max_length=32,
        default=new_key,
        help_text="Part of the signed unsubscribe link; a new one each time it is switched "
        "on, so that an old e-mail's link cannot switch off a newer reminder.",
    )
    site_url = models.CharField(
        "address of the site",
        max_length=200,
        blank=True,
        help_text="Where the e-mail's links lead: the address the person used to switch it "
        "on (the worker that sends it has no request to ask).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "channel"], name="one_reminder_a_channel")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} reminder of {self.person}"


class PushSubscription(models.Model):
    """One browser's push address for a person's notifications (the Push API's
    PushSubscription), and the keys its messages are encrypted to."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField("push service address", max_length=1024, unique=True)
    p256dh = models.CharField("browser's public key", max_length=100)
    auth = models.CharField("browser's authentication secret", max_length=32)
    server_key = models.CharField(
        "server key subscribed with",
        max_length=100,
        help_text="This server's VAPID public key when the browser subscribed: a push "
        "signed with any other key is refused by the push service.",
    )
    snooze_key = models.CharField(
        max_length=64, blank=True, help_text="The last 'In 15 minutes' taken, taken once."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"push subscription of {self.person}"


class ReminderTick(models.Model):
    """The one row that keeps a single chain of reminder ticks going: each tick moves
    `due_at` on with a conditional UPDATE and queues the next; a tick that finds `due_at`
    moved by another is a duplicate and queues none (docs/reminders.md)."""

    name = models.CharField(primary_key=True, max_length=16)
    due_at = models.DateTimeField("next tick due")
    pruned_at = models.DateTimeField("old task results last removed", null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} tick due {self.due_at:%Y-%m-%d %H:%M:%S}"
