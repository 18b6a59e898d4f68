"""The bedtime notification, sent to a push service on this machine that verifies the
VAPID signature (RFC 8292) and decrypts the message (RFC 8291) as the browser would."""

import datetime as dt
import json
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from backcoach.reminders import sending, services, tasks
from backcoach.reminders.models import PushSubscription, Reminder
from backcoach.reminders.push import keys
from tests.clients import Browser
from tests.factories import make_person
from tests.reminders.conftest import queued, run_tasks

PUSH = Reminder.Channel.PUSH
SNOOZE = reverse("reminders:push_snooze")


@pytest.fixture
def sleeper(db):
    return make_person(
        email="sleeper@example.org", time_zone="Europe/Berlin", bedtime=dt.time(22, 45)
    )


def subscribe(person, subscription: dict, settings) -> PushSubscription:
    """Through the page's address, as its script sends it (DEBUG: the push service here is
    on 127.0.0.1 over http, which production refuses)."""
    settings.DEBUG = True
    client = Browser()
    client.force_login(person)
    response = client.post(
        reverse("reminders:push_subscribe"),
        json.dumps(subscription),
        content_type="application/json",
    )
    settings.DEBUG = False
    assert response.status_code == 200, response.content
    return PushSubscription.objects.get(endpoint=subscription["endpoint"])


def bedtime_comes(person) -> list:
    reminder = Reminder.objects.get(person=person, channel=PUSH)
    sending.reminders_claim_due(now=reminder.next_send_at - dt.timedelta(seconds=30))
    return run_tasks(until=reminder.next_send_at)


def due_now(person) -> list:
    now = timezone.now()
    Reminder.objects.filter(person=person, channel=PUSH).update(next_send_at=now)
    sending.reminders_claim_due(now=now)
    return run_tasks(until=timezone.now())


def snooze(token: str):
    # As the service worker sends it: no cookie, no CSRF token.
    return Browser().post(SNOOZE, json.dumps({"token": token}), content_type="application/json")


@pytest.mark.django_db
def test_the_push_service_receives_a_signed_message_the_browser_can_read(
    settings, push_service, sleeper
):
    subscribe(sleeper, push_service.subscribe("phone"), settings)
    assert bedtime_comes(sleeper) == ["sent"]
    [push] = push_service.received  # signature and decryption checked by the service
    assert push.message["title"] == "Bedtime (22:45)"
    assert push.message["body"].startswith("Time for tonight's routine: ")
    assert isinstance(push.message["snooze"], str)
    assert push.claims["sub"] == settings.PUSH_CONTACT
    assert int(push.headers["ttl"]) == 3600
    assert push.headers["urgency"] == "high"


@pytest.mark.django_db
def test_every_browser_of_the_person_gets_it_once(settings, push_service, sleeper):
    for name in ("phone", "laptop"):
        subscribe(sleeper, push_service.subscribe(name), settings)
    assert bedtime_comes(sleeper) == ["sent", "sent"]
    assert sorted(push.browser for push in push_service.received) == ["laptop", "phone"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [404, 410])
def test_a_browser_the_push_service_calls_gone_is_forgotten(
    settings, push_service, sleeper, status
):
    subscribe(sleeper, push_service.subscribe("old-phone"), settings)
    subscribe(sleeper, push_service.subscribe("phone"), settings)
    push_service.answer("old-phone", status)
    results = bedtime_comes(sleeper)
    assert sorted(results) == sorted(
        ["sent", f"not sent: the push service answered {status}; the subscription is removed"]
    )
    assert [s.endpoint.rsplit("/", 1)[1] for s in sleeper.push_subscriptions.all()] == ["phone"]
    assert Reminder.objects.filter(person=sleeper, channel=PUSH).exists()
    # With its last browser gone, the notification reminder is off.
    push_service.answer("phone", status)
    bedtime_comes(sleeper)
    assert not sleeper.push_subscriptions.exists()
    assert not Reminder.objects.filter(person=sleeper, channel=PUSH).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_push_service_failing_for_now_gets_it_again_later(
    settings, push_service, sleeper, status
):
    subscribe(sleeper, push_service.subscribe("phone"), settings)
    push_service.answer("phone", status)
    [result] = due_now(sleeper)
    assert result.startswith(f"attempt 1 failed (the push service answered {status})")
    [retry] = queued(tasks.reminder_push_send)
    assert retry.args_kwargs["args"][-1] == 2
    assert dt.timedelta(seconds=50) < retry.run_after - timezone.now() <= dt.timedelta(minutes=1)
    assert run_tasks() == ["sent"]
    assert len(push_service.received) == 1
    assert sleeper.push_subscriptions.exists()


@pytest.mark.django_db
def test_a_push_service_refusing_the_message_is_not_asked_again(settings, push_service, sleeper):
    subscribe(sleeper, push_service.subscribe("phone"), settings)
    push_service.answer("phone", 413)
    assert due_now(sleeper) == ["not sent: the push service answered 413"]
    assert not queued(tasks.reminder_push_send).exists()
    assert sleeper.push_subscriptions.exists()


@pytest.mark.django_db
def test_in_15_minutes_sends_it_again_to_that_browser_once(settings, push_service, sleeper):
    subscribe(sleeper, push_service.subscribe("phone"), settings)
    subscribe(sleeper, push_service.subscribe("laptop"), settings)
    due_now(sleeper)
    [first] = push_service.messages("phone")

    response = snooze(first["snooze"])
    assert response.status_code == 202
    [again] = queued(tasks.reminder_push_send)
    in_15 = again.run_after - timezone.now()
    assert dt.timedelta(minutes=14) < in_15 <= dt.timedelta(minutes=15)
    # The same notification's button pressed twice (or the request sent again): once.
    assert snooze(first["snooze"]).json() == {"message": "Already asked."}
    assert queued(tasks.reminder_push_send).count() == 1

    assert run_tasks() == ["sent"]
    [_, second] = push_service.messages("phone")
    assert second["title"] == "Bedtime, again"
    assert second["snooze"] != first["snooze"]
    assert len(push_service.messages("laptop")) == 1
    assert snooze(second["snooze"]).status_code == 202


@pytest.mark.django_db
def test_snoozing_stops_offering_itself_after_an_hour(settings, push_service, sleeper):
    subscription = subscribe(sleeper, push_service.subscribe("phone"), settings)
    message = sending.push_message(
        subscription, evening=dt.date(2026, 5, 4), snooze=sending.MAX_SNOOZES
    )
    assert "snooze" not in message


@pytest.mark.django_db
@pytest.mark.parametrize("body", ['{"token": "forged"}', "not json", "[]", '{"token": 5}', "{}"])
def test_a_bad_snooze_is_refused_and_queues_nothing(settings, push_service, sleeper, body):
    subscribe(sleeper, push_service.subscribe("phone"), settings)
    response = Browser().post(SNOOZE, body, content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()
    assert not queued(tasks.reminder_push_send).exists()


@pytest.mark.django_db
def test_a_snooze_for_a_browser_unsubscribed_since_says_so(settings, push_service, sleeper):
    subscribe(sleeper, push_service.subscribe("phone"), settings)
    due_now(sleeper)
    [message] = push_service.messages("phone")
    services.reminder_switch_off(person=sleeper, channel=PUSH)
    assert snooze(message["snooze"]).status_code == 410
    assert not queued(tasks.reminder_push_send).exists()


@pytest.mark.django_db
def test_a_subscription_made_with_another_server_key_is_not_pushed(settings, push_service, sleeper):
    subscription = subscribe(sleeper, push_service.subscribe("phone"), settings)
    PushSubscription.objects.filter(pk=subscription.pk).update(server_key="another-key")
    assert due_now(sleeper) == ["not sent: subscribed with another server key"]
    assert push_service.received == []


def test_the_vapid_key_is_made_once_into_its_file_readable_by_this_user_only(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY_FILE = tmp_path / "vapid.pem"
    made = keys.application_server_key()
    assert stat.S_IMODE(settings.VAPID_PRIVATE_KEY_FILE.stat().st_mode) == 0o600
    keys._vapid.cache_clear()  # another process, later
    assert keys.application_server_key() == made
    assert list(tmp_path.iterdir()) == [settings.VAPID_PRIVATE_KEY_FILE]


def test_a_damaged_vapid_key_file_stops_with_a_clear_message(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY_FILE = tmp_path / "vapid.pem"
    settings.VAPID_PRIVATE_KEY_FILE.write_text(
        "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n"
    )
    with pytest.raises(ImproperlyConfigured, match="holds no VAPID private key"):
        keys.application_server_key()


@pytest.mark.django_db
def test_a_push_service_asking_to_wait_is_asked_again_no_sooner(settings, push_service, sleeper):
    subscribe(sleeper, push_service.subscribe("phone"), settings)
    push_service.answer("phone", (503, {"Retry-After": "180"}))
    [result] = due_now(sleeper)
    assert result.startswith("attempt 1 failed (the push service answered 503)")
    [retry] = queued(tasks.reminder_push_send)
    wait = retry.run_after - timezone.now()
    assert dt.timedelta(minutes=2, seconds=50) < wait <= dt.timedelta(minutes=3)


@pytest.mark.django_db
def test_a_push_service_asking_to_wait_past_bedtime_is_not_asked_again(
    settings, push_service, sleeper
):
    subscribe(sleeper, push_service.subscribe("phone"), settings)
    push_service.answer("phone", (429, {"Retry-After": "7200"}))
    [result] = due_now(sleeper)
    assert result == "not sent after 1 attempts: the push service answered 429"
    assert not queued(tasks.reminder_push_send).exists()
