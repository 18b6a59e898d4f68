"""Sending bedtime reminders, in the background worker: the tick, claiming each due
reminder once however many workers run, and delivering it with retries.

The design, and why, is in docs/reminders.md. In short: a reminder row says when it goes
next; a tick once a minute claims the rows due within the minute by moving that time on
with a conditional UPDATE, and only the worker whose UPDATE changed the row queues the
sending task, in the same transaction. The task queue (django-tasks-db) then runs each
sending task once. A failed send queues its own retry, later each time.
"""

import datetime as dt
import logging
import smtplib

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from backcoach.player import selectors as player_selectors

from . import selectors, tasks
from .email.message import reminder_email
from .models import PushSubscription, Reminder, ReminderTick
from .push import keys, transport
from .tokens import Snooze, snooze_token

logger = logging.getLogger(__name__)

TICK = dt.timedelta(minutes=1)
TICK_NAME = "reminders"
# A chain of ticks whose next is this overdue has died (a worker killed between taking
# a tick and queuing the next); the next worker start, or switch-on, starts a new one.
TICK_STALE = 5 * TICK
# A reminder this late is not sent (a bedtime e-mail at 3 in the morning helps nobody):
# the next one is planned instead. Retries stop at the same limit.
LATE_LIMIT = dt.timedelta(hours=1)
RETRY_FIRST = dt.timedelta(minutes=1)  # then 2, 4 and 8 minutes
MAX_ATTEMPTS = 5
SNOOZE = dt.timedelta(minutes=15)
MAX_SNOOZES = 4  # an hour of "In 15 minutes" is enough
CLAIM_BATCH = 500  # the rest are claimed by the next tick, a minute later
KEEP_TICKS = dt.timedelta(hours=1)
KEEP_SENDS = dt.timedelta(days=7)  # the sending tasks' results: a week's log
PRUNE_EVERY = dt.timedelta(hours=1)


# The tick ----------------------------------------------------------------------------


def tick_ensure(*, now: dt.datetime | None = None) -> bool:
    """Start the chain of ticks unless a live one exists; True when this call started it.
    Called when a worker starts (reminders' db_worker command) and when a reminder is
    switched on. Two callers at once start one chain: the second's UPDATE changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        row, created = ReminderTick.objects.get_or_create(name=TICK_NAME, defaults={"due_at": now})
        if not created:
            if row.due_at > now - TICK_STALE:
                return False
            if not ReminderTick.objects.filter(pk=TICK_NAME, due_at=row.due_at).update(due_at=now):
                return False
        # Its moment is its place in the queue (one without comes after every one with).
        tasks.reminders_tick.using(run_after=now).enqueue(now.isoformat())
    return True


def tick(*, due_at: dt.datetime, now: dt.datetime | None = None) -> str:
    """One tick. Only the tick the schedule row expects (`due_at`) queues the next one, so
    chains started twice become one; every tick claims due reminders, which any number of
    ticks may do at once."""
    now = now or timezone.now()
    following = due_at + TICK if due_at + TICK > now else now + TICK
    with transaction.atomic():
        leads = ReminderTick.objects.filter(pk=TICK_NAME, due_at=due_at).update(due_at=following)
        if leads:
            # Queued before the work below, so that a failing claim cannot end the chain.
            tasks.reminders_tick.using(run_after=following).enqueue(following.isoformat())
    replanned = reminders_replan(now=now)
    claimed = reminders_claim_due(now=now)
    pruned = task_results_prune(now=now)
    return (
        f"{'' if leads else 'duplicate tick (ends here): '}"
        f"{claimed} claimed, {replanned} re-planned, {pruned} old results removed"
    )


# Claiming ----------------------------------------------------------------------------


def _planned_for_current_settings() -> Q:
    return Q(planned_bedtime=F("person__bedtime"), planned_zone=F("person__time_zone"))


def reminders_replan(*, now: dt.datetime) -> int:
    """Plan again the reminders whose person changed bedtime or time zone since they were
    planned. Never a second reminder in an evening already reminded (`last_evening`)."""
    replanned = 0
    stale = Reminder.objects.exclude(_planned_for_current_settings()).select_related("person")
    for reminder in stale[:CLAIM_BATCH]:
        person = reminder.person
        at, evening = selectors.next_bedtime(person, after=now, last_evening=reminder.last_evening)
        replanned += Reminder.objects.filter(
            pk=reminder.pk, next_send_at=reminder.next_send_at
        ).update(
            next_send_at=at,
            next_evening=evening,
            planned_bedtime=person.bedtime,
            planned_zone=person.time_zone,
        )
    return replanned


def reminders_claim_due(*, now: dt.datetime) -> int:
    """Claim every reminder due by the next tick and queue its sending for its very
    moment; returns how many this call claimed. Safe to run in several workers at once:
    each reminder is claimed by exactly one UPDATE."""
    due = (
        Reminder.objects.filter(_planned_for_current_settings(), next_send_at__lte=now + TICK)
        .select_related("person")
        .order_by("next_send_at")[:CLAIM_BATCH]
    )
    claimed = 0
    for reminder in due:
        person = reminder.person
        following_at, following_evening = selectors.next_bedtime(
            person, after=max(now, reminder.next_send_at), last_evening=reminder.next_evening
        )
        with transaction.atomic():
            won = Reminder.objects.filter(
                pk=reminder.pk, next_send_at=reminder.next_send_at
            ).update(
                next_send_at=following_at,
                next_evening=following_evening,
                last_evening=reminder.next_evening,
            )
            if not won:
                continue  # another worker claimed it first
            claimed += 1
            if person.is_active and now - reminder.next_send_at <= LATE_LIMIT:
                # In the claim's transaction: claimed and queued, or neither.
                _queue_sending(reminder, due_at=reminder.next_send_at)
    return claimed


def _queue_sending(reminder: Reminder, *, due_at: dt.datetime) -> None:
    evening, due = reminder.next_evening.isoformat(), due_at.isoformat()
    if reminder.channel == Reminder.Channel.EMAIL:
        tasks.reminder_email_send.using(run_after=due_at).enqueue(reminder.pk, evening, due)
        return
    for subscription_id in reminder.person.push_subscriptions.values_list("pk", flat=True):
        tasks.reminder_push_send.using(run_after=due_at).enqueue(subscription_id, evening, due)


# Delivering --------------------------------------------------------------------------


def email_deliver(
    *,
    reminder_id: int,
    evening: dt.date,
    due_at: dt.datetime,
    attempt: int = 1,
    now: dt.datetime | None = None,
) -> str:
    """Send the bedtime e-mail of one claimed reminder; on a passing failure, queue the
    next attempt."""
    reminder = (
        Reminder.objects.select_related("person")
        .filter(pk=reminder_id, channel=Reminder.Channel.EMAIL)
        .first()
    )
    if reminder is None:
        return "not sent: switched off since"
    person = reminder.person
    if not person.is_active:
        return "not sent: the account is switched off"
    message = reminder_email(
        reminder=reminder,
        bedtime_text=f"{person.bedtime:%H:%M}",
        tonight=player_selectors.tonight(person, evening).sentence,
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(500 <= code < 600 for code in codes):
            return f"not sent: the mail server refused the address ({codes[0]})"
        return _retry_email(reminder_id, evening, due_at, attempt, now, f"refused {codes}")
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            return f"not sent: the mail server refused it ({exc.smtp_code})"
        return _retry_email(reminder_id, evening, due_at, attempt, now, f"{exc.smtp_code}")
    except (smtplib.SMTPException, OSError) as exc:
        why = str(exc) or type(exc).__name__
        return _retry_email(reminder_id, evening, due_at, attempt, now, why)
    return "sent"


def _retry_email(reminder_id, evening, due_at, attempt, now, why) -> str:
    at = _retry_at(due_at=due_at, attempt=attempt, now=now)
    if at is None:
        logger.warning(
            "bedtime e-mail %s not sent after %s attempts: %s", reminder_id, attempt, why
        )
        return f"not sent after {attempt} attempts: {why}"
    tasks.reminder_email_send.using(run_after=at).enqueue(
        reminder_id, evening.isoformat(), due_at.isoformat(), attempt + 1
    )
    return f"attempt {attempt} failed ({why}); trying again at {at:%H:%M:%S} UTC"


def push_deliver(
    *,
    subscription_id: int,
    evening: dt.date,
    due_at: dt.datetime,
    snooze: int = 0,
    attempt: int = 1,
    now: dt.datetime | None = None,
) -> str:
    """Send the bedtime notification to one browser; a browser its push service says is
    gone is forgotten, a passing failure is tried again later."""
    subscription = (
        PushSubscription.objects.select_related("person").filter(pk=subscription_id).first()
    )
    if subscription is None:
        return "not sent: this browser was unsubscribed since"
    person = subscription.person
    if not person.is_active:
        return "not sent: the account is switched off"
    if subscription.server_key != keys.application_server_key():
        logger.warning(
            "push subscription %s was made with another VAPID key: servers sharing one "
            "database must share BACKCOACH_VAPID_KEY_FILE",
            subscription_id,
        )
        return "not sent: subscribed with another server key"
    try:
        transport.send(
            endpoint=subscription.endpoint,
            p256dh=subscription.p256dh,
            auth=subscription.auth,
            message=push_message(subscription, evening=evening, snooze=snooze),
        )
    except transport.PushFailed as failure:
        if failure.outcome == transport.Outcome.GONE:
            _forget_subscription(subscription)
            return f"not sent: {failure}; the subscription is removed"
        if failure.outcome == transport.Outcome.RETRY:
            at = _retry_at(due_at=due_at, attempt=attempt, now=now, at_least=failure.retry_after)
            if at is not None:
                tasks.reminder_push_send.using(run_after=at).enqueue(
                    subscription_id, evening.isoformat(), due_at.isoformat(), snooze, attempt + 1
                )
                return f"attempt {attempt} failed ({failure}); trying again at {at:%H:%M:%S} UTC"
            return f"not sent after {attempt} attempts: {failure}"
        return f"not sent: {failure}"
    return "sent"


def push_message(subscription: PushSubscription, *, evening: dt.date, snooze: int) -> dict:
    """What the service worker shows (sw.js, the bedtime reminder block)."""
    person = subscription.person
    message = {
        "title": f"Bedtime ({person.bedtime:%H:%M})" if snooze == 0 else "Bedtime, again",
        "body": player_selectors.tonight(person, evening).sentence,
    }
    if snooze < MAX_SNOOZES:
        message["snooze"] = snooze_token(Snooze(subscription.pk, evening, snooze + 1))
    return message


def _forget_subscription(subscription: PushSubscription) -> None:
    """The push service says this browser is gone: forget it, and the push reminder with
    its last browser."""
    with transaction.atomic():
        subscription.delete()
        person = subscription.person
        if not person.push_subscriptions.exists():
            person.reminders.filter(channel=Reminder.Channel.PUSH).delete()


def _retry_at(
    *,
    due_at: dt.datetime,
    attempt: int,
    now: dt.datetime | None,
    at_least: dt.timedelta | None = None,
) -> dt.datetime | None:
    """When to try again after failed `attempt`: 1, 2, 4, 8 minutes later, or later when
    the push service asked to wait longer (`at_least`, its Retry-After); None when that is
    too many attempts or too late for a bedtime reminder."""
    now = now or timezone.now()
    at = now + max(RETRY_FIRST * 2 ** (attempt - 1), at_least or dt.timedelta(0))
    if attempt >= MAX_ATTEMPTS or at > due_at + LATE_LIMIT:
        return None
    return at


# Housekeeping ------------------------------------------------------------------------


def task_results_prune(*, now: dt.datetime) -> int:
    """Remove the finished results of these tasks (a tick a minute would otherwise keep
    1,440 rows a day), at most once an hour, by whichever tick claims the hour."""
    if not ReminderTick.objects.filter(
        Q(pruned_at__isnull=True) | Q(pruned_at__lte=now - PRUNE_EVERY), pk=TICK_NAME
    ).update(pruned_at=now):
        return 0
    finished = DBTaskResult.objects.finished()
    ticks = finished.filter(
        task_path=tasks.reminders_tick.module_path, finished_at__lte=now - KEEP_TICKS
    )
    sends = finished.filter(
        task_path__in=[tasks.reminder_email_send.module_path, tasks.reminder_push_send.module_path],
        finished_at__lte=now - KEEP_SENDS,
    )
    return ticks.delete()[0] + sends.delete()[0]
