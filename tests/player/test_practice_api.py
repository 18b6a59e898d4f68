"""POST /api/practices/: a practice recorded once, whatever the network does."""

import datetime as dt
import json
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from backcoach.player.models import Practice, PracticeStep
from tests.clients import Browser

URL = "/api/practices/"


def practice_body(**overrides):
    ended = timezone.now() - dt.timedelta(minutes=1)
    body = {
        "id": str(uuid.uuid4()),
        "routine": "wind-down",
        "started_at": (ended - dt.timedelta(seconds=75)).isoformat(),
        "ended_at": ended.isoformat(),
        "status": "completed",
        "steps": [
            {
                "technique": "knee-hug",
                "side": "both",
                "planned_seconds": 60,
                "done_seconds": 60,
            }
        ],
        "pain_before": 6,
        "tension_before": 7,
    }
    body.update(overrides)
    return body


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_it_records_a_practice_with_its_steps(person_client, person, routine):
    body = practice_body()
    response = post(person_client, body)
    assert response.status_code == 201, response.content
    practice = Practice.objects.get(pk=body["id"])
    assert practice.person == person
    assert practice.routine == routine
    assert practice.routine_name == "Wind-down"
    assert (practice.pain_before, practice.tension_before) == (6, 7)
    step = practice.steps.get()
    assert (step.planned_seconds, step.done_seconds) == (60, 60)
    assert response.json()["steps"][0]["technique"] == "knee-hug"


@pytest.mark.django_db
def test_a_replayed_upload_is_a_no_op(person_client, routine):
    body = practice_body(note="stiff")
    assert post(person_client, body).status_code == 201
    again = post(person_client, body)
    assert again.status_code == 200
    assert again.json()["pain_before"] == 6
    assert Practice.objects.count() == 1
    assert PracticeStep.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"pain_before": 2},
        {"tension_before": None},
        {"note": "something else"},
        {"status": "abandoned"},
        {"routine": None, "routine_name": "Wind-down"},
        # Moved 30 s earlier than the body's end, worked out when the test runs: a moment
        # taken when the tests are collected can, minutes later, equal the body's own.
        {"ended_at": "30 s earlier"},
        {
            "steps": [
                {"technique": "knee-hug", "side": "left", "planned_seconds": 60, "done_seconds": 60}
            ]
        },
        {"steps": [{"technique": "knee-hug", "planned_seconds": 60, "done_seconds": 50}]},
        {"pain_after": 3},
        {"skipped_cues": [{"step": 1, "at": 30, "say": "Breathe out."}]},
    ],
    ids=lambda change: next(iter(change)),
)
def test_an_id_sent_again_with_a_different_practice_is_a_conflict(person_client, routine, change):
    body = practice_body(note="stiff")
    if change.get("ended_at") == "30 s earlier":
        ended = dt.datetime.fromisoformat(body["ended_at"]) - dt.timedelta(seconds=30)
        change = {"ended_at": ended.isoformat()}
    assert post(person_client, body).status_code == 201
    again = post(person_client, {**body, **change})
    assert again.status_code == 409, again.content
    assert "already in use" in again.json()["detail"]
    practice = Practice.objects.get()
    assert (practice.pain_before, practice.note, practice.status) == (6, "stiff", "completed")


SKIPPED = [
    {"step": 1, "at": 20, "say": "Hug the knee."},
    {"step": 1, "at": 40, "say": "Take care: Roll slowly, no bouncing."},
]


@pytest.mark.django_db
def test_it_records_the_cues_the_player_skipped(person_client, routine):
    body = practice_body(skipped_cues=[SKIPPED[1], SKIPPED[0]])
    response = post(person_client, body)
    assert response.status_code == 201
    assert response.json()["skipped_cues"] == SKIPPED  # and read back as the API says them
    assert person_client.get(URL).json()[0]["skipped_cues"] == SKIPPED
    assert Practice.objects.get().skipped_cues == SKIPPED
    assert post(person_client, {**body, "skipped_cues": SKIPPED}).status_code == 200
    assert post(person_client, practice_body()).status_code == 201
    assert Practice.objects.order_by("recorded_at").last().skipped_cues == []


def skipped(**cue):
    return {"skipped_cues": [{"step": 1, "at": 20, "say": "Hug the knee.", **cue}]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "status", "fragment"),
    [
        (skipped(step=2), 400, "step must be a step of this practice (1 to 1)"),
        (skipped(step=0), 422, "skipped_cues"),
        (skipped(at=60), 400, "at must be within its step (0 to 59 s)"),
        (skipped(at=-1), 422, "skipped_cues"),
        (skipped(at=2.5), 422, "skipped_cues"),
        (skipped(at="20"), 422, "skipped_cues"),
        (skipped(say=""), 422, "skipped_cues"),
        (skipped(say="   "), 400, "say must be the cue's words"),
        (skipped(say="x" * 501), 422, "skipped_cues"),
        (skipped(say="Hug\u0000"), 422, "control characters"),
        ({"skipped_cues": [SKIPPED[0], SKIPPED[0]]}, 400, "each once"),
        ({"skipped_cues": "Hug the knee."}, 422, "skipped_cues"),
        ({"skipped_cues": [SKIPPED[0]] * 201}, 422, "skipped_cues"),
    ],
    ids=str,
)
def test_bad_skipped_cues_get_a_clear_error_and_change_nothing(
    person_client, routine, overrides, status, fragment
):
    response = post(person_client, practice_body(**overrides))
    assert response.status_code == status, response.content
    assert fragment in response.content.decode()
    assert Practice.objects.count() == 0


@pytest.mark.django_db
def test_a_replay_after_rating_is_still_the_same_practice(person_client, routine):
    body = practice_body()
    assert post(person_client, body).status_code == 201
    person_client.patch(
        f"{URL}{body['id']}",
        json.dumps({"pain_after": 2, "note": "better"}),
        content_type="application/json",
    )
    again = post(person_client, body)
    assert again.status_code == 200, again.content
    assert (again.json()["pain_after"], again.json()["note"]) == (2, "better")
    assert post(person_client, {**body, "pain_after": 2, "note": "better"}).status_code == 200


@pytest.mark.django_db
def test_an_id_used_by_another_person_is_answered_as_a_new_one_and_reveals_nothing(
    person_client, stranger_client, stranger, routine
):
    """Nobody learns from the answer that an id is someone else's: the stranger's upload
    with the owner's id is recorded for the stranger under that id, as any new id is."""
    body = practice_body(note="private words")
    assert post(person_client, body).status_code == 201
    theirs = practice_body(id=body["id"], pain_before=2)
    response = post(stranger_client, theirs)
    assert (response.status_code, response.json()["id"]) == (201, body["id"])
    assert "private words" not in response.content.decode()
    assert post(stranger_client, theirs).status_code == 200
    rated = stranger_client.patch(
        f"{URL}{body['id']}", json.dumps({"pain_after": 1}), content_type="application/json"
    )
    assert (rated.status_code, rated.json()["pain_before"], rated.json()["pain_after"]) == (
        200,
        2,
        1,
    )
    owners = person_client.get(URL).json()
    assert [(p["id"], p["pain_before"], p["pain_after"]) for p in owners] == [(body["id"], 6, None)]
    assert Practice.objects.count() == 2
    assert stranger.practices.get().client_id == uuid.UUID(body["id"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "status", "fragment"),
    [
        ({"routine": "no-such-routine"}, 400, "no routine called 'no-such-routine'"),
        ({"routine": None, "routine_name": ""}, 400, "Name the routine"),
        (
            {"ended_at": (timezone.now() - dt.timedelta(hours=3)).isoformat()},
            400,
            "cannot end before it started",
        ),
        (
            {"started_at": "2026-01-01T22:00:00", "ended_at": "2026-01-01T22:05:00"},
            400,
            "need a time zone",
        ),
        (
            {
                "started_at": (timezone.now() + dt.timedelta(hours=1)).isoformat(),
                "ended_at": (timezone.now() + dt.timedelta(hours=1, minutes=5)).isoformat(),
            },
            400,
            "in the future",
        ),
        (
            {
                "started_at": (timezone.now() - dt.timedelta(days=400)).isoformat(),
                "ended_at": (
                    timezone.now() - dt.timedelta(days=400) + dt.timedelta(minutes=5)
                ).isoformat(),
            },
            400,
            "more than a year old",
        ),
        (
            {"steps": [{"technique": "moonwalk", "planned_seconds": 60, "done_seconds": 60}]},
            400,
            "no technique called 'moonwalk'",
        ),
        (
            {"steps": [{"technique": "knee-hug", "planned_seconds": 60, "done_seconds": 90}]},
            400,
            "done time",
        ),
        (
            {"steps": [{"technique": "knee-hug", "planned_seconds": 60, "done_seconds": 60}] * 3},
            400,
            "more time than the practice lasted",
        ),
        ({"steps": []}, 422, "steps"),
        (
            {"steps": [{"technique": "knee-hug", "planned_seconds": 60, "done_seconds": 1}] * 101},
            422,
            "steps",
        ),
        ({"pain_before": 11}, 422, "pain_before"),
        ({"pain_before": -1}, 422, "pain_before"),
        ({"pain_before": "a lot"}, 422, "pain_before"),
        ({"status": "exploded"}, 422, "status"),
        ({"id": "not-a-uuid"}, 422, "id"),
        ({"note": "x" * 501}, 422, "note"),
    ],
)
def test_bad_practices_get_a_clear_error_and_change_nothing(
    person_client, routine, overrides, status, fragment
):
    response = post(person_client, practice_body(**overrides))
    assert response.status_code == status, response.content
    assert fragment in response.content.decode()
    assert Practice.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null", b"\xff\xfe", b"{" * 10_000])
def test_malformed_json_is_refused_without_an_error_page(person_client, routine, raw):
    response = person_client.post(URL, raw, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert Practice.objects.count() == 0


@pytest.mark.django_db
def test_it_needs_a_login_and_a_csrf_token(person, routine):
    assert post(Browser(), practice_body()).status_code == 401
    strict = Browser(cross_site=True)
    strict.force_login(person)
    assert post(strict, practice_body()).status_code == 403
    page = strict.get("/play/history/")
    token = page.cookies["csrftoken"].value
    response = strict.post(
        URL,
        json.dumps(practice_body()),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201
    assert Practice.objects.count() == 1


@pytest.mark.django_db
def test_ratings_after_can_be_added_once(person_client, routine):
    body = practice_body()
    post(person_client, body)
    url = f"{URL}{body['id']}"
    response = person_client.patch(
        url, json.dumps({"pain_after": 3}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["pain_after"] == 3
    same = person_client.patch(url, json.dumps({"pain_after": 3}), content_type="application/json")
    assert same.status_code == 200
    changed = person_client.patch(
        url, json.dumps({"pain_after": 1}), content_type="application/json"
    )
    assert changed.status_code == 409
    assert Practice.objects.get().pain_after == 3


@pytest.mark.django_db
def test_nobody_rates_or_lists_another_persons_practice(person_client, stranger_client, routine):
    body = practice_body()
    post(person_client, body)
    response = stranger_client.patch(
        f"{URL}{body['id']}", json.dumps({"pain_after": 0}), content_type="application/json"
    )
    assert response.status_code == 404
    assert Practice.objects.get().pain_after is None
    assert stranger_client.get(URL).json() == []
    assert len(person_client.get(URL).json()) == 1


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_endpoints(client):
    schema = client.get("/api/schema").json()
    assert schema["openapi"].startswith("3.")
    assert "post" in schema["paths"]["/api/practices/"]
    assert "patch" in schema["paths"]["/api/practices/{practice_id}"]


@pytest.mark.django_db
def test_an_upload_that_loses_the_race_returns_the_winners_row(person_client, monkeypatch, routine):
    """Both twins checked before either stored: the second insert fails and is a replay."""
    from backcoach.player import services

    body = practice_body()
    assert post(person_client, body).status_code == 201
    monkeypatch.setattr(services, "find_practice", lambda person, practice_id: None)
    again = post(person_client, body)
    assert again.status_code == 200
    assert Practice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_the_same_practice_at_once_make_one_row(person, routine):
    body = practice_body()
    statuses = []
    barrier = threading.Barrier(2, timeout=20)

    def upload():
        client = Browser()
        client.force_login(person)
        barrier.wait()
        try:
            statuses.append(post(client, body).status_code)
        except Exception as exc:
            statuses.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 201]
    assert Practice.objects.count() == 1
    assert PracticeStep.objects.count() == 1


def practices_listed(client, person, count: int, routine, **params):
    """Give the person `count` practices of three steps, then list them: (queries, body)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_practice

    for day in range(count - person.practices.count()):
        make_practice(person, routine=routine, steps=3, days_ago=day + 1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


@pytest.mark.django_db
def test_listing_takes_the_same_queries_for_one_practice_and_fifty(person_client, person, routine):
    few, body = practices_listed(person_client, person, 1, routine)
    assert len(body) == 1
    assert [step["technique"] for step in body[0]["steps"]] == ["knee-hug"] * 3
    many, body = practices_listed(person_client, person, 50, routine)
    assert len(body) == 50
    assert many == few


@pytest.mark.django_db
def test_listing_pages_with_limit_and_offset_newest_first(person_client, person, routine):
    _, first = practices_listed(person_client, person, 12, routine, limit=5)
    _, second = practices_listed(person_client, person, 12, routine, limit=5, offset=5)
    _, last = practices_listed(person_client, person, 12, routine, limit=5, offset=10)
    ids = [p["id"] for p in first + second + last]
    assert len(ids) == len(set(ids)) == 12
    starts = [p["started_at"] for p in first + second + last]
    assert starts == sorted(starts, reverse=True)


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "x"}])
def test_a_bad_page_is_refused_clearly(person_client, params):
    response = person_client.get(URL, params)
    assert response.status_code == 422
    assert "detail" in response.json()
