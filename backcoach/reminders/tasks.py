"""The reminders' background tasks, run by the worker that `backcoach serve` starts.

Each task only turns its JSON arguments back into values and calls `sending`, where the
work and the reasons for it are; docs/reminders.md has the design. What a task returns is
kept as its result (in the admin's task results), so it says in words what happened.
"""

import datetime as dt

from django_tasks import task

# `sending` queues these tasks and these tasks call `sending`: the module objects are
# bound at import and their attributes looked up only when a task runs.
from . import sending

# Before the default (0): a bedtime reminder is due at a minute, an audio track can wait
# a few seconds behind it.
PRIORITY = 10


@task(priority=PRIORITY)
def reminders_tick(due_at: str) -> str:
    """Once a minute: re-plan reminders whose person changed their bedtime, claim those
    due in the next minute, and queue the one tick that follows."""
    return sending.tick(due_at=dt.datetime.fromisoformat(due_at))


@task(priority=PRIORITY)
def reminder_email_send(reminder_id: int, evening: str, due_at: str, attempt: int = 1) -> str:
    return sending.email_deliver(
        reminder_id=reminder_id,
        evening=dt.date.fromisoformat(evening),
        due_at=dt.datetime.fromisoformat(due_at),
        attempt=attempt,
    )


@task(priority=PRIORITY)
def reminder_push_send(
    subscription_id: int, evening: str, due_at: str, snooze: int = 0, attempt: int = 1
) -> str:
    return sending.push_deliver(
        subscription_id=subscription_id,
        evening=dt.date.fromisoformat(evening),
        due_at=dt.datetime.fromisoformat(due_at),
        snooze=snooze,
        attempt=attempt,
    )
