"""The check-in endpoints of the JSON API: record (idempotent), change, list."""

import datetime as dt
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backcoach.diary.models import Checkin, CheckinRevision
from tests.factories import make_checkin

URL = "/api/checkins/"


def body(**overrides):
    answers = {
        "id": str(uuid.uuid4()),
        "kind": "morning",
        "recorded_at": timezone.now().isoformat(),
        "pain": 4,
        "pain_areas": ["lower-back-left"],
        "sleep_onset_minutes": 20,
        "sleep_quality": 4,
        "stiffness_minutes": 0,
    }
    answers.update(overrides)
    return answers


def post(client, data):
    return client.post(URL, json.dumps(data), content_type="application/json")


def patch(client, checkin_id, data):
    return client.patch(f"{URL}{checkin_id}", json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_a_checkin_is_recorded_and_a_replay_is_a_no_op(person_client):
    sent = body()
    first = post(person_client, sent)
    assert first.status_code == 201, first.content
    again = post(person_client, sent)
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"] == sent["id"]
    assert first.json()["night"] is not None
    assert Checkin.objects.count() == 1


@pytest.mark.django_db
def test_a_second_morning_for_a_night_is_a_conflict_naming_the_first(person_client):
    first = post(person_client, body()).json()
    response = post(person_client, body(pain=8))
    assert response.status_code == 409
    assert response.json()["existing"] == first["id"]
    replaced = post(person_client, body(pain=8, replace=True))
    assert replaced.status_code == 200
    assert replaced.json()["id"] == first["id"]
    assert replaced.json()["pain"] == 8
    assert replaced.json()["edits"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"pain": 11},
        {"pain": "lots"},
        {"kind": "hourly"},
        {"pain_areas": ["tail"]},
        {"sleep_quality": 0},
        {"note": "x" * 501},
        {"recorded_at": "yesterday"},
        {"id": "not-a-uuid"},
        {"fingertip_floor_cm": -3},
    ],
    ids=lambda o: next(iter(o)),
)
def test_bad_answers_are_refused_and_change_nothing(person_client, overrides):
    response = post(person_client, body(**overrides))
    assert response.status_code == 422
    assert not Checkin.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"recorded_at": (timezone.now() + dt.timedelta(days=1)).isoformat()}, "future"),
        ({"recorded_at": (timezone.now() - dt.timedelta(days=20)).isoformat()}, "14 days"),
        ({"tension": 4}, "does not hold: tension"),
        ({"kind": "weekly"}, "does not hold"),
    ],
)
def test_answers_the_diary_refuses_get_a_clear_message(person_client, overrides, message):
    response = post(person_client, body(**overrides))
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Checkin.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null", b"\xff"])
def test_malformed_json_is_refused_without_an_error_page(person_client, raw):
    response = person_client.post(URL, raw, content_type="application/json")
    assert response.status_code in (400, 422)
    assert not Checkin.objects.exists()


@pytest.mark.django_db
def test_an_edit_keeps_the_earlier_answers(person_client, person):
    checkin = make_checkin(person, kind="anytime", pain=2, tension=3)
    response = patch(person_client, checkin.pk, {"pain": 5})
    assert response.status_code == 200
    assert (response.json()["pain"], response.json()["tension"], response.json()["edits"]) == (
        5,
        3,
        1,
    )
    assert CheckinRevision.objects.get().values["pain"] == 2
    refused = patch(person_client, checkin.pk, {"pain": 12})
    assert refused.status_code == 422
    assert patch(person_client, checkin.pk, {"sleep_quality": 3}).status_code == 400
    checkin.refresh_from_db()
    assert checkin.pain == 5


@pytest.mark.django_db
def test_nobody_changes_or_lists_another_persons_checkins(stranger_client, person):
    checkin = make_checkin(person, note="private")
    assert patch(stranger_client, checkin.pk, {"pain": 0}).status_code == 404
    assert stranger_client.get(URL).json() == []
    sent = body(id=str(checkin.pk))
    # Answered as any new id is: the stranger's own check-in, under the id they sent.
    answer = post(stranger_client, sent)
    assert (answer.status_code, answer.json()["id"], answer.json()["note"]) == (201, sent["id"], "")
    checkin.refresh_from_db()
    assert checkin.note == "private"
    assert [c["id"] for c in stranger_client.get(URL).json()] == [sent["id"]]


@pytest.mark.django_db
def test_it_needs_a_login(client):
    assert client.get(URL).status_code == 401
    assert post(client, body()).status_code == 401


@pytest.mark.django_db
def test_listing_takes_the_same_queries_for_ten_and_two_thousand_checkins(
    person_client, person, stranger
):
    from tests.factories import client_for
    from tests.insights.data import weeks_of_diary

    weeks_of_diary(person, days=10)
    weeks_of_diary(stranger, days=2000)
    counts = []
    for client in (person_client, client_for(stranger)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"limit": 200})
        assert response.status_code == 200
        assert len(response.json()) == (11 if client is person_client else 200)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_listing_pages_newest_first_with_the_same_queries_for_one_and_fifty(person_client, person):
    def listed(**params):
        with CaptureQueriesContext(connection) as queries:
            response = person_client.get(URL, params)
        assert response.status_code == 200
        return len(queries), response.json()

    make_checkin(person, kind="anytime")
    few, _ = listed()
    for hours in range(1, 50):
        make_checkin(person, kind="anytime", days_ago=hours / 24)
    many, page = listed()
    assert (many, len(page)) == (few, 50)
    _, second = listed(limit=20, offset=20)
    assert [c["id"] for c in second] == [c["id"] for c in page[20:40]]
    _, weekly = listed(kind="weekly")
    assert weekly == []
    assert person_client.get(URL, {"kind": "hourly"}).status_code == 422


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_checkin_endpoints(client):
    schema = client.get("/api/schema").json()
    assert {"post", "get"} <= set(schema["paths"]["/api/checkins/"])
    assert "patch" in schema["paths"]["/api/checkins/{checkin_id}"]
    kinds = schema["components"]["schemas"]["CheckinIn"]["properties"]["kind"]["enum"]
    assert kinds == ["morning", "anytime", "weekly"]


@pytest.mark.django_db
def test_a_checkin_from_a_phone_whose_clock_is_fast_is_moved_to_the_servers_clock(
    person_client,
):
    fast = timezone.now() + dt.timedelta(minutes=20)
    sent = body(recorded_at=fast.isoformat(), sent_at=fast.isoformat())
    response = post(person_client, sent)
    assert response.status_code == 201, response.content
    checkin = Checkin.objects.get()
    assert -1205 <= checkin.clock_corrected_seconds <= -1195
    assert abs(checkin.recorded_at - timezone.now()) < dt.timedelta(seconds=10)
    # Sent again a little later, the same check-in is recognised: nothing new, no conflict.
    again = post(person_client, {**sent, "sent_at": (fast + dt.timedelta(seconds=30)).isoformat()})
    assert again.status_code == 200, again.content
    assert Checkin.objects.count() == 1


@pytest.mark.django_db
def test_a_checkin_ahead_of_its_own_sending_is_still_refused(person_client):
    now = timezone.now()
    sent = body(recorded_at=(now + dt.timedelta(hours=1)).isoformat(), sent_at=now.isoformat())
    response = post(person_client, sent)
    assert response.status_code == 400
    assert "future" in response.json()["detail"]
    assert not Checkin.objects.exists()


@pytest.mark.django_db
def test_a_clock_within_a_minute_is_left_alone(person_client):
    now = timezone.now()
    sent = body(recorded_at=now.isoformat(), sent_at=(now + dt.timedelta(seconds=50)).isoformat())
    assert post(person_client, sent).status_code == 201
    checkin = Checkin.objects.get()
    assert (checkin.clock_corrected_seconds, checkin.recorded_at) == (0, now)


@pytest.mark.django_db
def test_a_sending_time_without_a_zone_is_refused(person_client):
    response = post(person_client, body(sent_at="2026-11-29T07:00:00"))
    assert response.status_code in (400, 422)
    assert not Checkin.objects.exists()
