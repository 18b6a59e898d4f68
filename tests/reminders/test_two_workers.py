"""Two servers on one database: two `backcoach db_worker` processes, as two `backcoach
serve` start them, each claiming and sending, and every reminder goes out once. Runs on
the file SQLite database of the tests, and on PostgreSQL in that leg of `make test`.

On PostgreSQL the two workers' claims run side by side, and this test fails when a claim
is not conditional (duplicate e-mails: 3 runs of 3). On SQLite, whose single write lock
lets one run of claims go on for long stretches before the other's, it saw that fault in
5 runs of 6; the threads in test_claiming.py, which read the due reminders before either
writes, catch it every time.
"""

import datetime as dt
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from backcoach.reminders import services, tasks
from backcoach.reminders.models import PushSubscription, Reminder
from backcoach.reminders.push import keys
from tests.commands import BACKCOACH, cli_env
from tests.factories import make_person

REPO = str(Path(__file__).resolve().parents[2])
WORKERS = ("server-a", "server-b")


def database_url() -> str:
    """The test database, as DATABASE_URL, for processes of their own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="") + (
        f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    )
    host = quote(db["HOST"] or "localhost", safe="") + (f":{db['PORT']}" if db["PORT"] else "")
    return f"postgres://{user}@{host}/{db['NAME']}"


def start_worker(worker_id: str, mail_port: int, log: Path) -> subprocess.Popen:
    env = cli_env(
        settings.DATA_DIR,  # the same VAPID key file
        {
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,  # so that the e-mails' links work here
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mail_port),
            "EMAIL_USE_TLS": "false",
            "PYTHONPATH": REPO,
        },
    )
    with log.open("wb") as output:
        return subprocess.Popen(
            [
                BACKCOACH,
                "db_worker",
                "--worker-id",
                worker_id,
                "--interval",
                "0.01",  # both ask for work all the time, so that their claims overlap
                "--no-reload",
                "--no-startup-delay",
                "--verbosity",
                "0",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.1)
    return value


def ticks_run_by(worker_id: str, since: dt.datetime) -> int:
    """How many ticks `worker_id` ran since `since`."""
    runs = DBTaskResult.objects.filter(
        task_path=tasks.reminders_tick.module_path, finished_at__gte=since
    ).values_list("worker_ids", flat=True)
    return sum(worker_id in ids for ids in runs)


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_database_send_each_reminder_once(mail_server, push_service, tmp_path):
    keys.application_server_key()  # made here first, read by both workers
    workers = [start_worker(name, mail_server.port, tmp_path / f"{name}.log") for name in WORKERS]
    try:
        # Both up and taking tasks: ticks are queued, one at a time, until each worker
        # has run one (the first worker up would otherwise take them all).
        started = timezone.now()
        deadline = time.monotonic() + 60
        while not all(ticks_run_by(name, started) for name in WORKERS):
            for name, worker in zip(WORKERS, workers, strict=True):
                log = (tmp_path / f"{name}.log").read_text()
                assert worker.poll() is None, f"{name} stopped: {log}"
            assert time.monotonic() < deadline, "both workers run ticks within 60 s"
            tasks.reminders_tick.enqueue(started.isoformat())
            time.sleep(0.2)

        # 150 people due this moment by e-mail (enough that one tick's claims take long
        # enough for the other worker's to start), ten by notification on two browsers.
        readers = [make_person(email=f"reader{n}@example.org") for n in range(150)]
        for person in readers:
            services.reminder_switch_on(
                person=person, channel=Reminder.Channel.EMAIL, site_url="http://backcoach.test/"
            )
        browsers = []
        for n in range(10):
            person = make_person(email=f"phone{n}@example.org")
            for device in ("phone", "laptop"):
                subscription = push_service.subscribe(f"{n}-{device}")
                PushSubscription.objects.create(
                    person=person,
                    endpoint=subscription["endpoint"],
                    p256dh=subscription["keys"]["p256dh"],
                    auth=subscription["keys"]["auth"],
                    server_key=keys.application_server_key(),
                )
                browsers.append(f"{n}-{device}")
            services.reminder_switch_on(person=person, channel=Reminder.Channel.PUSH)
        race = timezone.now()
        Reminder.objects.update(next_send_at=race - dt.timedelta(seconds=1))
        for _ in range(10):  # ten ticks at once: both workers claim side by side
            tasks.reminders_tick.using(run_after=race - dt.timedelta(seconds=2)).enqueue(
                race.isoformat()
            )

        wait_for(
            lambda: len(mail_server.messages) >= 150 and len(push_service.received) >= 20,
            60,
            "every reminder sent",
        )
        time.sleep(3)  # time for a second copy, if either worker were to send one
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=20)

    assert sorted(m["To"] for m in mail_server.messages) == sorted(p.email for p in readers)
    assert sorted(push.browser for push in push_service.received) == sorted(browsers)
    # Each claim queued one sending task, and the claims add up to one per reminder.
    claimed = [
        int(result.split(" claimed")[0].split(": ")[-1])
        for result in DBTaskResult.objects.filter(
            task_path=tasks.reminders_tick.module_path, status="SUCCESSFUL", finished_at__gte=race
        ).values_list("return_value", flat=True)
    ]
    assert sum(claimed) == len(readers) + 10
    sends = DBTaskResult.objects.filter(
        task_path__in=[tasks.reminder_email_send.module_path, tasks.reminder_push_send.module_path]
    )
    assert sends.count() == len(readers) + len(browsers)
    # Both took part. (On SQLite one worker's run of claims holds the database's single
    # write lock for its length, so the other's ticks mostly find nothing left to claim;
    # on PostgreSQL their claims run side by side.)
    took_part = {worker for ids in sends.values_list("worker_ids", flat=True) for worker in ids}
    assert took_part == set(WORKERS)
