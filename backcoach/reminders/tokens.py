"""The signed tokens in a reminder's links: the e-mail's unsubscribe link and a
notification's "In 15 minutes". Each opens one door for one reminder, with no log-in (the
mail client and the service worker have none), and a forged or altered one opens nothing."""

import datetime as dt
from dataclasses import dataclass

from django.core import signing

UNSUBSCRIBE = "backcoach.reminders.unsubscribe"
SNOOZE = "backcoach.reminders.snooze"
# A snooze comes from a notification just shown; a day covers a phone left until morning.
SNOOZE_MAX_AGE = dt.timedelta(hours=24)


class BadToken(ValueError):
    pass


def unsubscribe_token(reminder) -> str:
    """Names the reminder and the key it was switched on with: once switched off and on
    again, it has a new key and an old e-mail's link no longer reaches it. No expiry:
    RFC 8058 links must work for as long as the e-mail may be read."""
    return signing.dumps([reminder.pk, reminder.unsubscribe_key], salt=UNSUBSCRIBE)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    try:
        reminder_id, key = signing.loads(token, salt=UNSUBSCRIBE)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken from None
    if not isinstance(reminder_id, int) or not isinstance(key, str):
        raise BadToken
    return reminder_id, key


@dataclass(frozen=True)
class Snooze:
    subscription_id: int
    evening: dt.date
    number: int  # 1 for the first "In 15 minutes" of the evening

    @property
    def key(self) -> str:
        """The same for every copy of one notification's token: it is taken once."""
        return f"{self.evening.isoformat()}#{self.number}"


def snooze_token(snooze: Snooze) -> str:
    return signing.dumps(
        [snooze.subscription_id, snooze.evening.isoformat(), snooze.number], salt=SNOOZE
    )


def read_snooze_token(token: str) -> Snooze:
    try:
        subscription_id, evening, number = signing.loads(token, salt=SNOOZE, max_age=SNOOZE_MAX_AGE)
        return Snooze(int(subscription_id), dt.date.fromisoformat(evening), int(number))
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken from None
