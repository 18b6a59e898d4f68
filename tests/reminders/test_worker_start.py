"""`backcoach serve` starts the worker, and the worker starts the reminders' tick: nothing
else to run for reminders to go out."""

import sqlite3
import time

from tests.test_serve_tasks import served  # noqa: F401 (the fixture: serve in a data folder)


def tick_runs(data_dir) -> int:
    with sqlite3.connect(data_dir / "backcoach.sqlite3") as db:
        [(count,)] = db.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE task_path = 'backcoach.reminders.tasks.reminders_tick'"
            " AND status = 'SUCCESSFUL'"
        ).fetchall()
        return count


def test_the_worker_that_serve_starts_runs_the_reminder_tick(served):  # noqa: F811
    _, data_dir = served
    deadline = time.monotonic() + 30
    while tick_runs(data_dir) == 0:
        assert time.monotonic() < deadline, (data_dir / "serve.log").read_text()
        time.sleep(0.3)
    with sqlite3.connect(data_dir / "backcoach.sqlite3") as db:
        waiting = db.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE task_path = 'backcoach.reminders.tasks.reminders_tick' AND status = 'READY'"
        ).fetchall()
    assert waiting == [(1,)]  # the chain goes on: one next tick, a minute later
