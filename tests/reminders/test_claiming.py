"""Claiming due reminders: at the right local time across daylight saving, once per
evening, and once in all however many workers claim at the same moment."""

import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import connection

from backcoach.reminders import sending, services, tasks
from backcoach.reminders.models import Reminder, ReminderTick
from tests.factories import make_person
from tests.reminders.conftest import queued

EMAIL = Reminder.Channel.EMAIL
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def ticks(start: dt.datetime, end: dt.datetime, step=dt.timedelta(minutes=5)):
    """The worker's ticks from `start` to `end`, on a clock of our own: every 5 minutes
    rather than every minute, to be quick; a tick that claims late still queues the
    sending for the reminder's own moment."""
    moment = start
    while moment < end:
        sending.tick(due_at=moment, now=moment)
        moment += step


def sends(task=tasks.reminder_email_send) -> list[dt.datetime]:
    """When the queued sending tasks will run, in the person's zone."""
    return [t.run_after.astimezone(BERLIN) for t in queued(task).order_by("run_after")]


@pytest.fixture
def berliner(db):
    return make_person(time_zone="Europe/Berlin", bedtime=dt.time(22, 45))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "nights"),
    [
        # Last Sunday of March 2026 (the 29th): summer time from 02:00.
        (utc(2026, 3, 27, 12), [(27, 21), (28, 21), (29, 20), (30, 20)]),
        # Last Sunday of October 2026 (the 25th): winter time from 03:00.
        (utc(2026, 10, 23, 12), [(23, 20), (24, 20), (25, 21), (26, 21)]),
    ],
)
def test_each_evening_sends_at_the_local_bedtime_across_the_change(berliner, start, nights):
    services.reminder_switch_on(person=berliner, channel=EMAIL, site_url="http://x/", now=start)
    ticks(start, start + dt.timedelta(days=4))
    assert sends() == [
        dt.datetime(2026, start.month, day, 22, 45, tzinfo=BERLIN) for day, _ in nights
    ]
    # The same moments in UTC: an hour apart before and after the change.
    assert [t.run_after for t in queued(tasks.reminder_email_send).order_by("run_after")] == [
        utc(2026, start.month, day, hour, 45) for day, hour in nights
    ]


@pytest.mark.django_db
def test_a_bedtime_in_the_skipped_hour_sends_once_as_the_clock_jumps_past_it(db):
    person = make_person(time_zone="Europe/Berlin", bedtime=dt.time(2, 30))
    start = utc(2026, 3, 27, 12)
    services.reminder_switch_on(person=person, channel=EMAIL, site_url="http://x/", now=start)
    ticks(start, start + dt.timedelta(days=3))
    assert [t.run_after for t in queued(tasks.reminder_email_send).order_by("run_after")] == [
        utc(2026, 3, 28, 1, 30),
        utc(2026, 3, 29, 1, 30),  # 03:30 summer time: 02:30 never came
        utc(2026, 3, 30, 0, 30),
    ]


@pytest.mark.django_db
def test_a_bedtime_in_the_repeated_hour_sends_once(db):
    person = make_person(time_zone="Europe/Berlin", bedtime=dt.time(2, 30))
    start = utc(2026, 10, 23, 12)
    services.reminder_switch_on(person=person, channel=EMAIL, site_url="http://x/", now=start)
    ticks(start, start + dt.timedelta(days=3))
    assert [t.run_after for t in queued(tasks.reminder_email_send).order_by("run_after")] == [
        utc(2026, 10, 24, 0, 30),
        utc(2026, 10, 25, 0, 30),  # 02:30 summer time; not again at 02:30 winter time
        utc(2026, 10, 26, 1, 30),
    ]


@pytest.mark.django_db
def test_a_changed_bedtime_is_followed_and_never_sends_twice_in_an_evening(berliner):
    start = utc(2026, 5, 4, 12)
    services.reminder_switch_on(person=berliner, channel=EMAIL, site_url="http://x/", now=start)
    ticks(start, utc(2026, 5, 4, 20, 50))  # 22:50 in Berlin: tonight's reminder is claimed
    berliner.bedtime = dt.time(23, 30)
    berliner.save()
    ticks(utc(2026, 5, 4, 20, 50), utc(2026, 5, 6, 12))
    berliner.bedtime = dt.time(21, 0)  # earlier, changed in the afternoon
    berliner.save()
    ticks(utc(2026, 5, 6, 12), utc(2026, 5, 7, 12))
    assert [t.strftime("%d %H:%M") for t in sends()] == ["04 22:45", "05 23:30", "06 21:00"]


@pytest.mark.django_db
def test_a_claim_never_sends_at_a_bedtime_the_person_has_since_changed(berliner):
    start = utc(2026, 5, 4, 12)
    services.reminder_switch_on(person=berliner, channel=EMAIL, site_url="http://x/", now=start)
    berliner.bedtime = dt.time(23, 30)
    berliner.save()
    # A claim that runs before the tick has planned again (another worker's tick, say).
    assert sending.reminders_claim_due(now=utc(2026, 5, 4, 20, 45)) == 0
    assert sends() == []


@pytest.mark.django_db
def test_a_reminder_missed_by_more_than_an_hour_is_not_sent_late(berliner):
    services.reminder_switch_on(
        person=berliner, channel=EMAIL, site_url="http://x/", now=utc(2026, 5, 4, 12)
    )
    # The server was off from the afternoon until after midnight.
    sending.reminders_claim_due(now=utc(2026, 5, 4, 23, 30))
    assert sends() == []
    reminder = Reminder.objects.get(person=berliner)
    assert reminder.next_send_at == utc(2026, 5, 5, 20, 45)


@pytest.mark.django_db
def test_a_switched_off_account_gets_no_reminder(berliner):
    services.reminder_switch_on(
        person=berliner, channel=EMAIL, site_url="http://x/", now=utc(2026, 5, 4, 12)
    )
    berliner.is_active = False
    berliner.save()
    ticks(utc(2026, 5, 4, 20, 40), utc(2026, 5, 4, 20, 50))
    assert sends() == []


# The tick -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_switching_on_starts_one_chain_of_ticks(berliner):
    now = utc(2026, 5, 4, 12)
    services.reminder_switch_on(person=berliner, channel=EMAIL, site_url="http://x/", now=now)
    services.reminder_switch_on(person=berliner, channel=Reminder.Channel.PUSH, now=now)
    assert sending.tick_ensure(now=now) is False
    [tick] = queued(tasks.reminders_tick)
    assert tick.args_kwargs["args"] == [now.isoformat()]


@pytest.mark.django_db
def test_each_tick_queues_the_next_and_a_duplicate_chain_ends(db):
    now = utc(2026, 5, 4, 12)
    sending.tick_ensure(now=now)
    result = sending.tick(due_at=now, now=now)
    assert not result.startswith("duplicate")
    [following] = queued(tasks.reminders_tick).exclude(args_kwargs__args=[now.isoformat()])
    assert following.run_after == now + sending.TICK
    assert following.args_kwargs["args"] == [(now + sending.TICK).isoformat()]
    # A second chain (a tick queued twice) carries a time the schedule has moved past.
    assert sending.tick(due_at=now, now=now).startswith("duplicate tick (ends here)")
    assert queued(tasks.reminders_tick).count() == 2  # the first tick, and its one follower


@pytest.mark.django_db
def test_a_dead_chain_of_ticks_is_started_again_when_a_worker_starts(db):
    then = utc(2026, 5, 4, 12)
    ReminderTick.objects.create(name=sending.TICK_NAME, due_at=then)
    assert sending.tick_ensure(now=then + sending.TICK_STALE / 2) is False
    assert sending.tick_ensure(now=then + sending.TICK_STALE * 2) is True
    assert ReminderTick.objects.get().due_at == then + sending.TICK_STALE * 2


@pytest.mark.django_db
def test_old_results_of_the_reminder_tasks_are_removed_once_an_hour(db):
    from django_tasks_db.models import DBTaskResult

    now = utc(2026, 5, 4, 12)
    sending.tick_ensure(now=now)
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=now - dt.timedelta(hours=2))
    assert sending.task_results_prune(now=now) == 1
    sending.tick_ensure(now=now + sending.TICK_STALE * 2)  # another tick, finished since
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=now - dt.timedelta(hours=2))
    assert sending.task_results_prune(now=now + dt.timedelta(minutes=30)) == 0  # within the hour
    assert sending.task_results_prune(now=now + dt.timedelta(minutes=61)) == 1


# Several workers at once ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_claim_each_reminder_once(db):
    people = [make_person(time_zone="Europe/Berlin", bedtime=dt.time(22, 45)) for _ in range(40)]
    start = utc(2026, 5, 4, 12)
    for person in people:
        services.reminder_switch_on(person=person, channel=EMAIL, site_url="http://x/", now=start)
    bedtime = utc(2026, 5, 4, 20, 45)
    claimed, errors = [], []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            for _ in range(3):  # and each of them ticks again, a moment later
                claimed.append(sending.reminders_claim_due(now=bedtime))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(claimed) == 40
    queued_for = sorted(t.args_kwargs["args"][0] for t in queued(tasks.reminder_email_send))
    assert queued_for == sorted(Reminder.objects.values_list("pk", flat=True))
