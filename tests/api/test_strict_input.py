"""What the JSON API takes: JSON only, of exactly the types its schema names, with no
control characters in text; and whatever goes wrong, it answers in JSON."""

import json

import pytest

from backcoach.diary.models import Checkin
from backcoach.player.models import Practice
from tests.clients import Browser
from tests.diary.test_checkin_api import body as checkin_body
from tests.player.test_practice_api import practice_body

PRACTICES = "/api/practices/"
CHECKINS = "/api/checkins/"


def post(client, url, data, content_type="application/json"):
    return client.post(url, json.dumps(data), content_type=content_type)


def assert_json_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"pain_before": True},
        {"pain_before": "7"},
        {"pain_before": 7.5},
        {"tension_after": False},
        {"routine_name": 5, "routine": None},
        {"note": ["a", "list"]},
        {"steps": [{"technique": "knee-hug", "planned_seconds": "60", "done_seconds": 60}]},
        {"steps": [{"technique": "knee-hug", "planned_seconds": 60, "done_seconds": True}]},
        {"started_at": 1_700_000_000},
    ],
    ids=repr,
)
def test_a_practice_of_the_wrong_types_is_refused_not_coerced(person_client, routine, overrides):
    response = post(person_client, PRACTICES, practice_body(**overrides))
    assert_json_problem(response, 422)
    assert not Practice.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"pain": True},
        {"pain": "4"},
        {"sleep_quality": 4.5},
        {"new_symptom": 1},
        {"new_symptom": "yes"},
        {"leg_below_knee": 0},
        {"replace": "true"},
        {"note": 12},
        {"recorded_at": 1_700_000_000},
    ],
    ids=repr,
)
def test_a_checkin_of_the_wrong_types_is_refused_not_coerced(person_client, overrides):
    response = post(person_client, CHECKINS, checkin_body(**overrides))
    assert_json_problem(response, 422)
    assert not Checkin.objects.exists()


@pytest.mark.django_db
def test_a_whole_number_written_with_a_point_is_a_whole_number(person_client, routine):
    # To JSON Schema, which the API's schema is written in, 7.0 is the integer 7.
    response = post(person_client, PRACTICES, practice_body(pain_before=7.0))
    assert response.status_code == 201, response.content
    assert Practice.objects.get().pain_before == 7


@pytest.mark.django_db
def test_numbers_with_a_fraction_are_taken_where_a_length_is_asked(person_client):
    sent = {
        "kind": "weekly",
        "recorded_at": checkin_body()["recorded_at"],
        "peg_pain": 3,
        "peg_enjoyment": 2,
        "peg_activity": 2,
        "fingertip_floor_cm": 12,
    }
    response = post(person_client, CHECKINS, sent)
    assert response.status_code == 201, response.content
    assert response.json()["fingertip_floor_cm"] == 12


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["note", "routine_name"])
@pytest.mark.parametrize("character", ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085"])
def test_control_characters_in_a_practice_are_refused_on_every_database(
    person_client, routine, field, character
):
    sent = practice_body(routine=None, routine_name="Evening", note="")
    sent[field] = f"before{character}after"
    response = post(person_client, PRACTICES, sent)
    assert_json_problem(response, 422)
    assert "control character" in response.content.decode()
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_control_characters_in_a_rating_note_are_refused(person_client, routine):
    sent = practice_body()
    assert post(person_client, PRACTICES, sent).status_code == 201
    response = person_client.patch(
        f"{PRACTICES}{sent['id']}", json.dumps({"note": "\u0000"}), content_type="application/json"
    )
    assert_json_problem(response, 422)
    assert Practice.objects.get().note == ""


@pytest.mark.django_db
@pytest.mark.parametrize("character", ["\u0000", "\u0008", "\u009b"])
def test_control_characters_in_a_checkin_note_are_refused(person_client, character):
    response = post(person_client, CHECKINS, checkin_body(note=f"slept{character}badly"))
    assert_json_problem(response, 422)
    assert not Checkin.objects.exists()


@pytest.mark.django_db
def test_tabs_and_line_breaks_are_kept(person_client, routine):
    note = "first line\r\nsecond\tline\nthird"
    response = post(person_client, PRACTICES, practice_body(note=note))
    assert response.status_code == 201, response.content
    assert Practice.objects.get().note == note


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_a_body_that_is_not_declared_json_is_refused(person_client, routine, content_type):
    response = post(person_client, PRACTICES, practice_body(), content_type=content_type)
    assert_json_problem(response, 415)
    assert "application/json" in response.json()["detail"]
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_json_with_a_charset_is_json(person_client, routine):
    response = post(
        person_client, PRACTICES, practice_body(), content_type="application/json; charset=utf-8"
    )
    assert response.status_code == 201, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PRACTICES, CHECKINS])
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_ten_megabyte_body_gets_a_json_413(person_client, routine, url, content_type):
    huge = json.dumps({"note": "x" * 10_000_000})
    response = person_client.post(url, huge, content_type=content_type)
    assert_json_problem(response, 413)
    assert not Practice.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/nothing-here"),
        ("patch", "/api/practices/00000000-0000-0000-0000-000000000000"),
    ],
)
def test_a_missing_resource_gets_a_json_404(person_client, method, url):
    if method == "get":
        response = person_client.get(url)
    else:
        response = person_client.patch(url, "{}", content_type="application/json")
    assert_json_problem(response, 404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("delete", PRACTICES, {"GET", "POST"}),
        ("put", CHECKINS, {"GET", "POST"}),
        ("get", "/api/practices/00000000-0000-0000-0000-000000000000", {"PATCH"}),
        ("delete", "/api/checkins/00000000-0000-0000-0000-000000000000", {"PATCH"}),
    ],
)
def test_a_method_an_address_does_not_take_gets_a_json_405(person_client, method, url, allowed):
    response = person_client.generic(method.upper(), url, "{}", content_type="application/json")
    assert_json_problem(response, 405)
    assert {m.strip() for m in response["Allow"].split(",")} == allowed
    assert "takes only" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/practices/not-a-uuid", "/api/checkins/not-a-uuid"])
def test_an_id_that_is_no_uuid_gets_a_json_422(person_client, url):
    response = person_client.patch(url, "{}", content_type="application/json")
    assert_json_problem(response, 422)


@pytest.mark.django_db
def test_errors_before_the_handler_are_json_too(person, routine):
    assert_json_problem(post(Browser(), PRACTICES, practice_body()), 401)
    strict = Browser(cross_site=True)
    strict.force_login(person)
    assert_json_problem(post(strict, PRACTICES, practice_body()), 403)
    client = Browser()
    client.force_login(person)
    assert_json_problem(client.post(PRACTICES, b"{", content_type="application/json"), 400)


@pytest.mark.django_db
@pytest.mark.parametrize("sent", [[None, None], "pain_after", 5, True])
def test_a_body_that_is_no_json_object_is_refused(person_client, routine, sent):
    practice = practice_body()
    assert post(person_client, PRACTICES, practice).status_code == 201
    for url in (f"{PRACTICES}{practice['id']}", CHECKINS):
        send = person_client.patch if url != CHECKINS else person_client.post
        response = send(url, json.dumps(sent), content_type="application/json")
        assert_json_problem(response, 422)
    steps = post(person_client, PRACTICES, practice_body(steps=["knee-hug"]))
    assert_json_problem(steps, 422)
    assert Practice.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/nothing%0Ahere", "/api/%0A"])
def test_a_path_no_route_can_match_is_a_json_404_too(person_client, path):
    assert_json_problem(person_client.get(path), 404)


@pytest.mark.django_db
def test_a_body_longer_than_any_upload_is_refused_unread_as_json_under_the_api(person_client):
    response = person_client.generic(
        "POST",
        "/api/checkins/",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert_json_problem(response, 413)
    assert "50 MB" in response.json()["detail"]
