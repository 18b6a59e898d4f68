"""The bedtime e-mail: short, with the link that starts tonight's routine and a one-click
unsubscribe (RFC 8058) that mail clients show as their own "Unsubscribe" button."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from ..tokens import unsubscribe_token


def reminder_email(*, reminder, bedtime_text: str, tonight: str) -> EmailMessage:
    """The e-mail for `reminder` (an e-mail reminder, its person selected); `tonight` is
    what the night holds in a sentence (player.selectors.Tonight.sentence)."""
    person = reminder.person
    site = reminder.site_url.rstrip("/")
    unsubscribe = site + reverse("reminders:unsubscribe", args=[unsubscribe_token(reminder)])
    body = render_to_string(
        "reminders/email/bedtime.txt",
        {
            "person": person,
            "bedtime": bedtime_text,
            "tonight": tonight,
            "start_url": site + reverse("player:tonight"),
            "settings_url": site + reverse("reminders:index"),
            "unsubscribe_url": unsubscribe,
        },
    )
    return EmailMessage(
        subject="Bedtime: tonight's back routine",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={
            # RFC 8058: a POST to this address, with no log-in and nothing to confirm,
            # unsubscribes; the mail client shows its own button for it.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: sent by a program, so that nobody's autoresponder answers it.
            "Auto-Submitted": "auto-generated",
        },
    )
