"""A real SMTP server and a push service on this machine, and running queued tasks as the
worker would."""

import datetime as dt
import email
import email.policy
import threading

import pytest
from aiosmtpd.controller import Controller
from django.db.models import Q
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from backcoach.reminders import tasks
from backcoach.reminders.push import keys
from tests.commands import free_port
from tests.reminders.pushservice import PushService


class Inbox:
    """What the SMTP server received; `refuse` answers the next messages with a code."""

    def __init__(self):
        self.messages = []
        self.refusals: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refusals:
                return self.refusals.pop(0)
            self.messages.append(
                email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [message for message in self.messages if message["To"] == address]


@pytest.fixture
def mail_server(settings):
    """An SMTP server on 127.0.0.1, and the settings that send to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def push_service():
    service = PushService(server_key=keys.application_server_key()).start()
    yield service
    service.stop()
    assert service.problems == [], "the push service saw:\n" + "\n".join(service.problems)


def queued(task=None):
    """The tasks waiting in the queue (of one task function, if named)."""
    waiting = DBTaskResult.objects.filter(status="READY")
    return waiting.filter(task_path=task.module_path) if task else waiting


def run_tasks(*, until: dt.datetime | None = None) -> list:
    """Run the queued sending tasks due by `until` (all, by default), earliest first, as
    db_worker runs them (retries they queue run too, if due); their results. The tick is
    left out: tests that move the clock claim reminders themselves, at the time they say."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    waiting = queued().exclude(task_path=tasks.reminders_tick.module_path)
    if until is not None:
        waiting = waiting.filter(Q(run_after=get_date_max()) | Q(run_after__lte=until))
    results = []
    while True:
        task = waiting.order_by("run_after", "enqueued_at").first()
        if task is None:
            return results
        task.claim(worker.worker_id)
        worker.run_task(task)
        task.refresh_from_db()
        results.append(task.return_value if task.status == "SUCCESSFUL" else task.status)
