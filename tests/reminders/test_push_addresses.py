"""The server posts only to push services on public addresses, whatever a name says."""

import socket

import pytest
from django.utils import timezone

from backcoach.reminders.push import transport
from backcoach.reminders.push.transport import Outcome, PushFailed, check_public


def resolving(monkeypatch, *addresses: str, fails: bool = False) -> list[str]:
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        if fails:
            raise socket.gaierror("no such name")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, 1, 6, "", (a, port))
            for a in addresses
        ]

    monkeypatch.setattr(transport.socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.mark.parametrize(
    "addresses",
    [
        ("10.0.0.5",),
        ("127.0.0.1",),
        ("142.250.1.1", "192.168.1.2"),
        ("fe80::1%eth0",),
        ("::1",),
        (),
    ],
)
def test_a_name_leading_into_a_private_network_is_refused_for_good(monkeypatch, addresses):
    resolving(monkeypatch, *addresses)
    with pytest.raises(PushFailed) as refused:
        check_public("https://push.example.net/send/abc")
    assert refused.value.outcome == Outcome.GONE


def test_a_public_push_service_passes(monkeypatch):
    asked = resolving(monkeypatch, "142.250.1.1", "2a00:1450:4001:82b::200a")
    check_public("https://fcm.googleapis.com/fcm/send/abc")
    assert asked == ["fcm.googleapis.com"]


def test_a_name_that_cannot_be_looked_up_now_is_tried_again_later(monkeypatch):
    resolving(monkeypatch, fails=True)
    with pytest.raises(PushFailed) as failed:
        check_public("https://push.example.net/send/abc")
    assert failed.value.outcome == Outcome.RETRY


def test_digits_were_checked_when_stored_and_are_not_looked_up(monkeypatch):
    asked = resolving(monkeypatch, "10.0.0.5")
    check_public("http://127.0.0.1:8123/push/phone")
    assert asked == []


@pytest.mark.django_db
def test_sending_to_such_a_name_removes_the_subscription(monkeypatch):
    from backcoach.reminders import sending
    from backcoach.reminders.models import PushSubscription
    from backcoach.reminders.push import keys
    from tests.factories import make_person

    resolving(monkeypatch, "169.254.169.254")  # a cloud's metadata service, say
    person = make_person()
    subscription = PushSubscription.objects.create(
        person=person,
        endpoint="https://push.example.net/send/abc",
        p256dh="BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        auth="tBHItJI5svbpez7KI4CCXg",
        server_key=keys.application_server_key(),
    )
    now = timezone.now()
    result = sending.push_deliver(
        subscription_id=subscription.pk, evening=now.date(), due_at=now, now=now
    )
    assert result.startswith("not sent: its address leads into a private network")
    assert not PushSubscription.objects.exists()
