"""Subscribing a browser to notifications: bad input gets a clear error and changes
nothing; nobody takes over or removes another person's browser."""

import base64
import json
import os
import socket

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from hypothesis import assume, example, given
from hypothesis import strategies as st

from backcoach.reminders import services
from backcoach.reminders.models import PushSubscription, Reminder
from backcoach.reminders.push import addresses, transport
from tests.clients import Browser

SUBSCRIBE = reverse("reminders:push_subscribe")
UNSUBSCRIBE = reverse("reminders:push_unsubscribe")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_subscription(endpoint="https://fcm.googleapis.com/fcm/send/abc:def") -> dict:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": b64url(point), "auth": b64url(os.urandom(16))},
    }


def post(client, url, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json")


def nothing_stored():
    return not PushSubscription.objects.exists() and not Reminder.objects.exists()


@pytest.mark.django_db
def test_a_browsers_subscription_is_kept_and_switches_notifications_on(person_client, person):
    subscription = browser_subscription()
    response = post(person_client, SUBSCRIBE, subscription)
    assert response.status_code == 200
    assert response.json() == {"message": "Notifications are on for this device."}
    stored = person.push_subscriptions.get()
    assert stored.endpoint == subscription["endpoint"]
    assert stored.p256dh == subscription["keys"]["p256dh"]
    assert Reminder.objects.filter(person=person, channel=Reminder.Channel.PUSH).exists()
    # The same browser again: still one.
    assert post(person_client, SUBSCRIBE, subscription).status_code == 200
    assert person.push_subscriptions.count() == 1


def broken(change):
    subscription = browser_subscription()
    change(subscription)
    return subscription


NOT_A_POINT = b64url(b"\x04" + b"\x01" * 64)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        ("[]", "not a push subscription"),
        ({"endpoint": "https://fcm.googleapis.com/x"}, "needs an endpoint and keys"),
        (broken(lambda s: s.update(endpoint=5)), "needs an endpoint and keys"),
        (broken(lambda s: s["keys"].pop("auth")), "auth key is missing"),
        (broken(lambda s: s["keys"].update(p256dh=NOT_A_POINT)), "not a P-256 key"),
        (broken(lambda s: s["keys"].update(p256dh="a+b/c")), "not base64url"),
        (broken(lambda s: s["keys"].update(auth=b64url(b"short"))), "must be 16 bytes"),
        (broken(lambda s: s.update(endpoint="http://push.example.org/x")), "must be an https"),
        (broken(lambda s: s.update(endpoint="https://10.0.0.5/x")), "push service's address"),
        (broken(lambda s: s.update(endpoint="https://127.0.0.1:8000/x")), "push service's address"),
        (broken(lambda s: s.update(endpoint="https://intranet/x")), "push service's address"),
        (broken(lambda s: s.update(endpoint="https://a.localhost/x")), "push service's address"),
        (broken(lambda s: s.update(endpoint="https://push.example.org:x/")), "not an address"),
        (broken(lambda s: s.update(endpoint="https://push.example.org/" + "a" * 1100)), "too long"),
        (broken(lambda s: s.update(endpoint="javascript:alert(1)")), "must be an https"),
    ],
)
def test_a_malformed_subscription_is_refused_with_a_reason(person_client, body, said):
    response = post(person_client, SUBSCRIBE, body)
    assert response.status_code == 400
    assert said in response.json()["error"]
    assert nothing_stored()


@pytest.mark.django_db
def test_a_huge_subscription_is_refused_unread(person_client):
    subscription = browser_subscription()
    subscription["padding"] = "x" * 100_000
    response = post(person_client, SUBSCRIBE, subscription)
    assert response.status_code == 413
    assert "too large" in response.json()["error"]
    assert nothing_stored()


@pytest.mark.django_db
def test_a_local_http_push_service_is_refused_unless_debugging(person_client, settings):
    subscription = browser_subscription(endpoint="http://127.0.0.1:9/push/x")
    assert post(person_client, SUBSCRIBE, subscription).status_code == 400
    settings.DEBUG = True
    assert post(person_client, SUBSCRIBE, subscription).status_code == 200


@pytest.mark.django_db
def test_another_persons_browser_is_not_taken_over(
    person_client, person, stranger_client, stranger
):
    subscription = browser_subscription()
    post(person_client, SUBSCRIBE, subscription)
    before = list(PushSubscription.objects.values())

    taken = dict(subscription, keys=browser_subscription()["keys"])
    response = post(stranger_client, SUBSCRIBE, taken)
    assert response.status_code == 409
    assert "another account" in response.json()["error"]
    assert list(PushSubscription.objects.values()) == before
    assert not Reminder.objects.filter(person=stranger).exists()


@pytest.mark.django_db
def test_nobody_removes_another_persons_browser(person_client, person, stranger_client):
    subscription = browser_subscription()
    post(person_client, SUBSCRIBE, subscription)
    response = post(stranger_client, UNSUBSCRIBE, {"endpoint": subscription["endpoint"]})
    assert response.status_code == 404
    assert person.push_subscriptions.count() == 1
    assert Reminder.objects.filter(person=person, channel=Reminder.Channel.PUSH).exists()


@pytest.mark.django_db
def test_removing_the_last_browser_switches_notifications_off(person_client, person):
    phone, laptop = (
        browser_subscription(),
        browser_subscription("https://updates.push.services.mozilla.com/wpush/v2/x"),
    )
    post(person_client, SUBSCRIBE, phone)
    post(person_client, SUBSCRIBE, laptop)
    assert post(person_client, UNSUBSCRIBE, {"endpoint": phone["endpoint"]}).status_code == 200
    assert Reminder.objects.filter(person=person, channel=Reminder.Channel.PUSH).exists()
    assert post(person_client, UNSUBSCRIBE, {"endpoint": laptop["endpoint"]}).status_code == 200
    assert nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["nope", "[]", {"endpoint": 3}, {"endpoint": ""}, {}])
def test_a_malformed_unsubscribe_is_refused(person_client, body):
    post(person_client, SUBSCRIBE, browser_subscription())
    response = post(person_client, UNSUBSCRIBE, body)
    assert response.status_code == 400
    assert PushSubscription.objects.count() == 1


@pytest.mark.django_db
def test_a_person_has_at_most_ten_browsers(person_client, person):
    for number in range(services.MAX_DEVICES):
        post(
            person_client,
            SUBSCRIBE,
            browser_subscription(f"https://fcm.googleapis.com/fcm/send/{number}"),
        )
    response = post(person_client, SUBSCRIBE, browser_subscription())
    assert response.status_code == 409
    assert person.push_subscriptions.count() == services.MAX_DEVICES


@pytest.mark.django_db
def test_the_addresses_need_a_log_in_and_a_post(person, client):
    subscription = browser_subscription()
    response = post(client, SUBSCRIBE, subscription)
    assert response.status_code == 302
    assert nothing_stored()
    person_client = Browser()
    person_client.force_login(person)
    assert person_client.get(SUBSCRIBE).status_code == 405
    assert person_client.get(UNSUBSCRIBE).status_code == 405


@pytest.mark.django_db
def test_the_page_says_how_many_browsers_and_switches_them_all_off(person_client, person):
    post(person_client, SUBSCRIBE, browser_subscription())
    page = person_client.get(reverse("reminders:index")).content.decode()
    assert "Notifications go to 1 device;" in page
    assert person_client.post(reverse("reminders:index"), {"action": "push-off"}).status_code == 302
    assert nothing_stored()


# Every spelling of this machine or a private network that a resolver reads as an address
# (inet_aton's shorthands, a final dot, IPv6, IPv4 inside IPv6) or a name that always means
# this machine.
INSIDE = [
    "https://127.1/x",
    "https://0177.0.0.1/x",
    "https://0x7f.1/x",
    "https://0x7f000001/x",
    "https://2130706433/x",
    "https://127.0.0.1./x",
    "https://localhost./x",
    "https://push.localhost./x",
    "https://[::1]/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://[::ffff:7f00:1]/x",
    "https://10.0.0.1/x",
    "https://012.0.0.1/x",
    "https://10.1/x",
    "https://192.168.1/x",
    "https://0/x",
    "https://169.254.169.254/x",
]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", INSIDE)
def test_an_endpoint_inside_a_private_network_is_refused_when_subscribing(person_client, endpoint):
    response = post(person_client, SUBSCRIBE, browser_subscription(endpoint))
    assert response.status_code == 400
    assert "push service's address" in response.json()["error"]
    assert nothing_stored()


# Less the one the send lets by: a loopback address in its usual spelling, which the store
# takes only with DEBUG on, for a test push service (tests/reminders/test_push_addresses.py).
SENT_INSIDE = [endpoint for endpoint in INSIDE if endpoint != "https://[::1]/x"]


@pytest.mark.parametrize("endpoint", SENT_INSIDE)
def test_the_send_refuses_the_same_endpoints_without_a_look_up(monkeypatch, endpoint):
    def getaddrinfo(*args, **kwargs):
        raise AssertionError(f"looked up {args[0]!r}")

    monkeypatch.setattr(transport.socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(transport.PushFailed) as refused:
        transport.check_public(endpoint)
    assert refused.value.outcome == transport.Outcome.GONE


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0X7F.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("10.65536", "10.1.0.0"),
        ("::ffff:127.0.0.1", "127.0.0.1"),
        ("8.8.8.8", "8.8.8.8"),
        ("fcm.googleapis.com", None),
        ("1.2.3.example", None),
        ("256.0.0.1", None),
        ("1.2.3.256", None),
        ("1.16777216", None),
        ("1.2.3.4.5", None),
        ("08.0.0.1", None),
        ("0x7g.1", None),
        ("127..1", None),
        ("", None),
    ],
)
def test_a_host_is_read_as_an_address_as_a_resolver_reads_it(host, address):
    read = addresses.host_address(host)
    assert (str(read) if read is not None else None) == address


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["http://127.1:9/push/x", "http://localhost.:9/push/x"])
def test_a_local_push_service_in_any_spelling_may_take_part_when_debugging(
    person_client, settings, endpoint
):
    settings.DEBUG = True
    assert post(person_client, SUBSCRIBE, browser_subscription(endpoint)).status_code == 200


def spelled(number: int) -> st.SearchStrategy[str]:
    return st.sampled_from([str(number), f"0{number:o}", f"0x{number:x}", f"0X{number:X}"])


@st.composite
def ipv4_spellings(draw) -> str:
    count = draw(st.integers(1, 4))
    numbers = [draw(st.integers(0, 0x1FF)) for _ in range(count - 1)]
    numbers.append(draw(st.integers(0, 1 << (8 * (5 - count)))))
    return ".".join(draw(spelled(number)) for number in numbers)


def resolver_reads(host: str) -> str | None:
    """The system resolver's own reading of `host` as an IPv4 address, with no look-up."""
    try:
        found = socket.getaddrinfo(
            host.encode(), None, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST
        )
    except socket.gaierror:
        return None
    return found[0][4][0]


@example("0x")  # a 0x with no digits after it is no number
@example("1.0X")
@example("08.1")  # nor an 8 in an octal one
@given(ipv4_spellings() | st.text(alphabet="0123456789abcdefxX.", min_size=1, max_size=16))
def test_a_host_is_read_as_an_address_exactly_when_the_resolver_reads_it_so(host):
    assume(not host.endswith("."))  # read past on purpose; the resolver would look it up
    read = addresses.host_address(host)
    assert (str(read) if read is not None else None) == resolver_reads(host)
