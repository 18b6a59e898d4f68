"""Writes a person (or their mail client, or their browser's service worker) asks for."""

import datetime as dt

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from . import selectors, sending, tasks
from .models import CalendarFeed, PushSubscription, Reminder, new_token
from .push.subscription import Subscription
from .tokens import BadToken, read_snooze_token, read_unsubscribe_token

MAX_DEVICES = 10  # browsers one person's notifications go to


@transaction.atomic
def calendar_feed_save(*, person, lead_minutes: int) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.update_or_create(
        person=person, defaults={"lead_minutes": lead_minutes}
    )
    return feed


@transaction.atomic
def calendar_feed_renew(*, person) -> CalendarFeed | None:
    """A new secret address; calendars subscribed to the old one stop receiving it.
    None when the person has no feed."""
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is not None:
        feed.token = new_token()
        feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def calendar_feed_stop(*, person) -> bool:
    """Switch the reminder off: the feed and its address are gone. False when there was none."""
    deleted, _ = CalendarFeed.objects.filter(person=person).delete()
    return bool(deleted)


@transaction.atomic
def reminder_switch_on(
    *, person, channel: Reminder.Channel, site_url: str = "", now: dt.datetime | None = None
) -> Reminder:
    """Switch a reminder on (again: nothing changes but the site's address), planned for the
    person's next bedtime, and make sure the worker's tick runs."""
    now = now or timezone.now()
    at, evening = selectors.next_bedtime(person, after=now)
    # get_or_create: two clicks at once make one reminder, not an error.
    reminder, created = Reminder.objects.get_or_create(
        person=person,
        channel=channel,
        defaults={
            "next_send_at": at,
            "next_evening": evening,
            "planned_bedtime": person.bedtime,
            "planned_zone": person.time_zone,
            "site_url": site_url,
        },
    )
    if not created and site_url and reminder.site_url != site_url:
        reminder.site_url = site_url
        reminder.save(update_fields=["site_url"])
    sending.tick_ensure(now=now)
    return reminder


@transaction.atomic
def reminder_switch_off(*, person, channel: Reminder.Channel) -> bool:
    """Switch a reminder off; for notifications, on every browser. False when it was off."""
    deleted, _ = Reminder.objects.filter(person=person, channel=channel).delete()
    if channel == Reminder.Channel.PUSH:
        devices, _ = PushSubscription.objects.filter(person=person).delete()
        deleted += devices
    return bool(deleted)


class Unsubscribed(models.TextChoices):
    DONE = "done"
    ALREADY = "already"  # a real link whose reminder is already off (or on again, anew)
    FORGED = "forged"


@transaction.atomic
def email_unsubscribe(*, token: str) -> Unsubscribed:
    """The e-mail's one-click unsubscribe: switches off the one reminder the token names,
    and only while it is the one the e-mail came from."""
    try:
        reminder_id, key = read_unsubscribe_token(token)
    except BadToken:
        return Unsubscribed.FORGED
    deleted, _ = Reminder.objects.filter(
        pk=reminder_id, channel=Reminder.Channel.EMAIL, unsubscribe_key=key
    ).delete()
    return Unsubscribed.DONE if deleted else Unsubscribed.ALREADY


class Subscribed(models.TextChoices):
    SAVED = "saved"
    TAKEN = "taken"  # the browser's subscription belongs to another person
    TOO_MANY = "too-many"


def push_subscription_save(
    *, person, subscription: Subscription, server_key: str, now: dt.datetime | None = None
) -> Subscribed:
    """Keep a browser's subscription for the person and switch notifications on. A
    subscription another person holds is left to them."""
    try:
        with transaction.atomic():
            existing = (
                PushSubscription.objects.select_for_update()
                .filter(endpoint=subscription.endpoint)
                .first()
            )
            if existing is not None and existing.person_id != person.pk:
                return Subscribed.TAKEN
            if existing is None and person.push_subscriptions.count() >= MAX_DEVICES:
                return Subscribed.TOO_MANY
            PushSubscription.objects.update_or_create(
                endpoint=subscription.endpoint,
                defaults={
                    "person": person,
                    "p256dh": subscription.p256dh,
                    "auth": subscription.auth,
                    "server_key": server_key,
                },
            )
            reminder_switch_on(person=person, channel=Reminder.Channel.PUSH, now=now)
    except IntegrityError:  # another person's browser saved the same endpoint just now
        return Subscribed.TAKEN
    return Subscribed.SAVED


@transaction.atomic
def push_subscription_remove(*, person, endpoint: str) -> bool:
    """Forget one of the person's browsers; with its last, notifications are off. False
    when the person has no such subscription (another person's is not theirs to remove)."""
    deleted, _ = PushSubscription.objects.filter(person=person, endpoint=endpoint).delete()
    if deleted and not PushSubscription.objects.filter(person=person).exists():
        Reminder.objects.filter(person=person, channel=Reminder.Channel.PUSH).delete()
    return bool(deleted)


class Snoozed(models.TextChoices):
    SNOOZED = "snoozed"
    ALREADY = "already"  # this notification's "In 15 minutes" was taken before
    GONE = "gone"  # the browser was unsubscribed since
    FORGED = "forged"


@transaction.atomic
def push_snooze(*, token: str, now: dt.datetime | None = None) -> Snoozed:
    """A notification's "In 15 minutes": the same notification again in 15 minutes, to
    the browser it came from. Each notification's token is taken once."""
    try:
        snooze = read_snooze_token(token)
    except BadToken:
        return Snoozed.FORGED
    if not 1 <= snooze.number <= sending.MAX_SNOOZES:
        return Snoozed.FORGED
    now = now or timezone.now()
    taken = (
        PushSubscription.objects.filter(pk=snooze.subscription_id)
        .exclude(snooze_key=snooze.key)
        .update(snooze_key=snooze.key)
    )
    if not taken:
        exists = PushSubscription.objects.filter(pk=snooze.subscription_id).exists()
        return Snoozed.ALREADY if exists else Snoozed.GONE
    at = now + sending.SNOOZE
    tasks.reminder_push_send.using(run_after=at).enqueue(
        snooze.subscription_id, snooze.evening.isoformat(), at.isoformat(), snooze.number
    )
    return Snoozed.SNOOZED
