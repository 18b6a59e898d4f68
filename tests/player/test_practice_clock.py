"""A device whose clock is wrong: its practice is moved to the server's time, not lost."""

import datetime as dt

import pytest
from django.utils import timezone

from backcoach.player.models import Practice
from tests.player.test_practice_api import post, practice_body


def from_a_device(offset: dt.timedelta, *, ended_ago=dt.timedelta(minutes=1), **overrides):
    """A practice as a device whose clock is `offset` ahead of the server's sends it."""
    device_now = timezone.now() + offset
    ended = device_now - ended_ago
    return practice_body(
        started_at=(ended - dt.timedelta(seconds=75)).isoformat(),
        ended_at=ended.isoformat(),
        sent_at=device_now.isoformat(),
        **overrides,
    )


def assert_close(actual: dt.datetime, expected: dt.datetime) -> None:
    assert abs((actual - expected).total_seconds()) < 5, (actual, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "offset",
    [
        dt.timedelta(minutes=20),
        dt.timedelta(hours=3),
        -dt.timedelta(hours=2),
        dt.timedelta(days=400),
    ],
    ids=["20-minutes-fast", "3-hours-fast", "2-hours-slow", "a-year-fast"],
)
def test_a_practice_from_a_device_with_a_wrong_clock_is_kept_at_the_servers_time(
    person_client, routine, offset
):
    body = from_a_device(offset)
    response = post(person_client, body)
    assert response.status_code == 201, response.content
    practice = Practice.objects.get(pk=body["id"])
    assert_close(practice.ended_at, timezone.now() - dt.timedelta(minutes=1))
    assert (practice.ended_at - practice.started_at).total_seconds() == 75
    assert abs(practice.clock_corrected_seconds + offset.total_seconds()) < 5
    assert_close(dt.datetime.fromisoformat(response.json()["ended_at"]), practice.ended_at)


@pytest.mark.django_db
def test_a_device_clock_a_few_seconds_off_changes_nothing(person_client, routine):
    body = from_a_device(dt.timedelta(seconds=20))
    assert post(person_client, body).status_code == 201
    practice = Practice.objects.get(pk=body["id"])
    assert practice.ended_at == dt.datetime.fromisoformat(body["ended_at"])
    assert practice.clock_corrected_seconds == 0


@pytest.mark.django_db
def test_a_practice_ending_after_the_device_sent_it_is_refused(person_client, routine):
    # No correction explains it: by the device's own clock, it had not ended when sent.
    body = from_a_device(dt.timedelta(minutes=20), ended_ago=-dt.timedelta(minutes=10))
    response = post(person_client, body)
    assert response.status_code == 400
    assert "future" in response.json()["detail"]
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_without_the_devices_clock_a_practice_in_the_future_is_still_refused(
    person_client, routine
):
    body = from_a_device(dt.timedelta(minutes=20))
    del body["sent_at"]
    response = post(person_client, body)
    assert response.status_code == 400
    assert "future" in response.json()["detail"]


@pytest.mark.django_db
def test_a_replayed_upload_with_a_later_device_clock_is_still_a_no_op(person_client, routine):
    body = from_a_device(dt.timedelta(minutes=20))
    assert post(person_client, body).status_code == 201
    later = (dt.datetime.fromisoformat(body["sent_at"]) + dt.timedelta(minutes=3)).isoformat()
    again = post(person_client, {**body, "sent_at": later})
    assert again.status_code == 200, again.content
    assert Practice.objects.count() == 1
