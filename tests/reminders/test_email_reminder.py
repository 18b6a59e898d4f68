"""The bedtime e-mail, through a real SMTP server, and its one-click unsubscribe (RFC 8058)."""

import datetime as dt
import email.utils
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backcoach.reminders import sending, services, tasks
from backcoach.reminders.models import CalendarFeed, Reminder
from tests.clients import Browser
from tests.factories import make_person
from tests.reminders.conftest import queued, run_tasks

EMAIL = Reminder.Channel.EMAIL
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)", re.I)


@pytest.fixture
def sleeper(db):
    return make_person(
        email="sleeper@example.org", time_zone="Europe/Berlin", bedtime=dt.time(22, 45)
    )


def switch_on_by_email(person) -> Reminder:
    client = Browser()
    client.force_login(person)
    response = client.post(reverse("reminders:index"), {"action": "email-on"})
    assert response.status_code == 302
    return Reminder.objects.get(person=person, channel=EMAIL)


def bedtime_comes(reminder: Reminder) -> list:
    """The worker's tick half a minute before the reminder is due, then its sending."""
    sending.reminders_claim_due(now=reminder.next_send_at - dt.timedelta(seconds=30))
    return run_tasks(until=reminder.next_send_at)


def due_now(reminder: Reminder) -> list:
    """The reminder due this moment, claimed and sent: retries, due later, wait."""
    now = timezone.now()
    Reminder.objects.filter(pk=reminder.pk).update(next_send_at=now)
    sending.reminders_claim_due(now=now)
    return run_tasks(until=timezone.now())


def unsubscribe_path(message) -> str:
    # Folded onto a line of its own when long, as RFC 5322 allows: unfolded, it is one URL.
    [url] = re.findall(r"^<(http://testserver(/[^>]+))>$", message["List-Unsubscribe"].strip())
    return url[1]


@pytest.mark.django_db
def test_the_bedtime_email_reaches_the_mail_server_with_its_headers(mail_server, sleeper):
    reminder = switch_on_by_email(sleeper)
    assert bedtime_comes(reminder) == ["sent"]

    [message] = mail_server.to("sleeper@example.org")
    assert message["Subject"] == "Bedtime: tonight's back routine"
    assert message["From"] == "backcoach <backcoach@localhost>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(message).startswith("/reminders/email/unsubscribe/")
    assert message["Auto-Submitted"] == "auto-generated"
    # "-0000": UTC, written by a program that does not say its own zone (RFC 5322 3.3).
    sent = email.utils.parsedate_to_datetime(message["Date"]).replace(tzinfo=dt.UTC)
    assert abs(sent - timezone.now()) < dt.timedelta(minutes=1)
    assert re.fullmatch(r"<[^@<>\s]+@[^@<>\s]+>", message["Message-ID"])
    body = message.get_body(("plain",)).get_content()
    assert "It is 22:45, your bedtime." in body
    assert "http://testserver/play/tonight/" in body
    assert "http://testserver" + unsubscribe_path(message) in body


@pytest.mark.django_db
def test_each_email_has_its_own_message_id(mail_server, sleeper):
    reminder = switch_on_by_email(sleeper)
    bedtime_comes(reminder)
    reminder.refresh_from_db()
    bedtime_comes(reminder)  # the next evening
    first, second = mail_server.to("sleeper@example.org")
    assert first["Message-ID"] != second["Message-ID"]


@pytest.mark.django_db
def test_the_one_click_post_switches_off_that_reminder_and_nothing_else(mail_server, sleeper):
    reminder = switch_on_by_email(sleeper)
    CalendarFeed.objects.create(person=sleeper)
    services.reminder_switch_on(person=sleeper, channel=Reminder.Channel.PUSH)
    other = make_person(email="other@example.org")
    others = services.reminder_switch_on(person=other, channel=EMAIL, site_url="http://x/")
    bedtime_comes(reminder)
    [message] = mail_server.to("sleeper@example.org")

    # As a mail client does it: no cookie, no CSRF token, this body (RFC 8058).
    client = Browser()
    response = client.post(
        unsubscribe_path(message),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "no more bedtime e-mails" in response.content.decode()
    assert not Reminder.objects.filter(pk=reminder.pk).exists()
    assert Reminder.objects.filter(person=sleeper, channel=Reminder.Channel.PUSH).exists()
    assert CalendarFeed.objects.filter(person=sleeper).exists()
    assert Reminder.objects.filter(pk=others.pk).exists()
    # Clicked again: said plainly, nothing to change.
    again = client.post(
        unsubscribe_path(message),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert again.status_code == 200
    assert "already switched off" in again.content.decode()


@pytest.mark.django_db
def test_a_switched_off_reminder_sends_nothing_even_when_already_claimed(mail_server, sleeper):
    reminder = switch_on_by_email(sleeper)
    sending.reminders_claim_due(now=reminder.next_send_at - dt.timedelta(seconds=30))
    services.reminder_switch_off(person=sleeper, channel=EMAIL)
    assert run_tasks(until=reminder.next_send_at) == ["not sent: switched off since"]
    assert mail_server.messages == []


@pytest.mark.django_db
def test_an_old_emails_link_does_not_switch_off_a_reminder_switched_on_again(mail_server, sleeper):
    reminder = switch_on_by_email(sleeper)
    bedtime_comes(reminder)
    [message] = mail_server.to("sleeper@example.org")
    services.reminder_switch_off(person=sleeper, channel=EMAIL)
    switch_on_by_email(sleeper)
    response = Browser().post(unsubscribe_path(message))
    assert response.status_code == 200
    assert "already switched off" in response.content.decode()
    assert Reminder.objects.filter(person=sleeper, channel=EMAIL).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: "not-a-token",
        lambda token: token.split(":")[0] + ":x:y",
        lambda token: "x" * 2000,
    ],
)
def test_a_forged_or_altered_link_changes_nothing(mail_server, sleeper, tamper):
    reminder = switch_on_by_email(sleeper)
    bedtime_comes(reminder)
    [message] = mail_server.to("sleeper@example.org")
    token = unsubscribe_path(message).split("/")[-2]
    path = reverse("reminders:unsubscribe", args=[tamper(token)])
    for response in (Browser().get(path), Browser().post(path, {"List-Unsubscribe": "One-Click"})):
        assert response.status_code == 400
        assert "Nothing was changed" in response.content.decode()
    assert Reminder.objects.filter(pk=reminder.pk).exists()


@pytest.mark.django_db
def test_opening_the_link_asks_first_and_writes_nothing(mail_server, sleeper):
    reminder = switch_on_by_email(sleeper)
    bedtime_comes(reminder)
    [message] = mail_server.to("sleeper@example.org")
    with CaptureQueriesContext(connection) as queries:
        response = Browser().get(unsubscribe_path(message))
    assert response.status_code == 200
    assert [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])] == []
    assert 'name="List-Unsubscribe" value="One-Click"' in response.content.decode()
    assert Reminder.objects.filter(pk=reminder.pk).exists()


@pytest.mark.django_db
def test_a_mail_server_that_says_try_later_gets_the_email_again_later(mail_server, sleeper):
    mail_server.refusals.append("451 4.3.0 Try again later")
    reminder = switch_on_by_email(sleeper)
    [result] = due_now(reminder)
    assert result.startswith("attempt 1 failed (451)")
    [retry] = queued(tasks.reminder_email_send)
    assert retry.args_kwargs["args"][-1] == 2  # the second attempt
    assert dt.timedelta(seconds=50) < retry.run_after - timezone.now() <= dt.timedelta(minutes=1)
    assert run_tasks() == ["sent"]
    assert len(mail_server.to("sleeper@example.org")) == 1


@pytest.mark.django_db
def test_retries_wait_longer_each_time_and_stop(mail_server, sleeper):
    mail_server.refusals += ["421 4.7.0 Busy"] * 9
    reminder = switch_on_by_email(sleeper)
    now = timezone.now()
    results = []
    for attempt in range(1, 6):
        results.append(
            sending.email_deliver(
                reminder_id=reminder.pk,
                evening=reminder.next_evening,
                due_at=now,
                attempt=attempt,
                now=now,
            )
        )
    waits = [
        task.run_after - now for task in queued(tasks.reminder_email_send).order_by("run_after")
    ]
    assert waits == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert results[-1].startswith("not sent after 5 attempts")


@pytest.mark.django_db
def test_a_mail_server_that_refuses_for_good_is_not_asked_again(mail_server, sleeper):
    mail_server.refusals.append("550 5.1.1 No such mailbox")
    reminder = switch_on_by_email(sleeper)
    [result] = due_now(reminder)
    assert result == "not sent: the mail server refused it (550)"
    assert not queued(tasks.reminder_email_send).exists()


@pytest.mark.django_db
def test_no_mail_server_at_all_is_a_failure_for_now(settings, sleeper, mail_server):
    settings.EMAIL_PORT = mail_server.port + 1 if mail_server.port < 65535 else 1  # nobody
    reminder = switch_on_by_email(sleeper)
    [result] = due_now(reminder)
    assert result.startswith("attempt 1 failed")
    assert queued(tasks.reminder_email_send).count() == 1


@pytest.mark.django_db
def test_on_an_experiment_night_the_email_says_that_nights_assignment(mail_server, sleeper):
    from backcoach.experiments.selectors import today_of
    from tests.experiments.data import make_experiment
    from tests.factories import make_routine

    reminder = switch_on_by_email(sleeper)
    routine = make_routine(slug="bedtime-back-self-massage", purpose="bedtime", is_default=True)
    # Its first night is the evening of the next reminder (tonight, or tomorrow when
    # tonight's bedtime has passed).
    experiment = make_experiment(
        sleeper, routine_a=routine, nights_ago=(today_of(sleeper) - reminder.next_evening).days
    )
    bedtime_comes(reminder)
    [message] = mail_server.to("sleeper@example.org")
    condition = experiment.schedule.condition(experiment.first_night)
    body = message.get_body(("plain",)).get_content()
    assert f"Tonight in your experiment: night 1 of 28: {experiment.label(condition)}." in body


@pytest.mark.django_db
def test_a_link_from_before_a_restore_does_not_switch_off_whoever_has_its_number_now(
    mail_server, sleeper
):
    reminder = switch_on_by_email(sleeper)
    bedtime_comes(reminder)
    [message] = mail_server.to("sleeper@example.org")
    # Restored from a backup older than this reminder: its number may be given again.
    number = reminder.pk
    Reminder.objects.filter(pk=number).delete()
    other = make_person(email="other@example.org")
    services.reminder_switch_on(person=other, channel=EMAIL, site_url="http://x/")
    Reminder.objects.filter(person=other).update(id=number)
    response = Browser().post(unsubscribe_path(message))
    assert "already switched off" in response.content.decode()
    assert Reminder.objects.filter(pk=number, person=other).exists()
