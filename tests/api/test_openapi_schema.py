"""The OpenAPI schema at /api/schema tells the whole truth: every status an operation
answers, and the limits the server holds requests to."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from backcoach.diary.measures import MAX_BACKDATE_DAYS
from backcoach.text import control_character_in
from tests.diary.test_checkin_api import body as checkin_body
from tests.factories import make_routine, make_technique
from tests.player.test_practice_api import practice_body

WRITE_REFUSALS = {"400", "401", "403", "413", "415", "422"}
OPERATIONS = {
    ("post", "/api/practices/"): {"200", "201", "409"} | WRITE_REFUSALS,
    ("patch", "/api/practices/{practice_id}"): {"200", "404", "409"} | WRITE_REFUSALS,
    ("get", "/api/practices/"): {"200", "401", "422"},
    ("post", "/api/checkins/"): {"200", "201", "409"} | WRITE_REFUSALS,
    ("patch", "/api/checkins/{checkin_id}"): {"200", "404"} | WRITE_REFUSALS,
    ("get", "/api/checkins/"): {"200", "401", "422"},
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema")
    assert response.status_code == 200
    return response.json()


def component(schema, name):
    return schema["components"]["schemas"][name]


def branches(prop):
    """The alternatives of a property (`anyOf` for one that may be null)."""
    return [branch for branch in prop.get("anyOf", [prop]) if branch.get("type") != "null"]


@pytest.mark.django_db
def test_it_lists_exactly_the_operations_it_has(schema):
    listed = {(method, path) for path, item in schema["paths"].items() for method in item if method}
    assert listed == set(OPERATIONS)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), list(OPERATIONS), ids=lambda x: str(x))
def test_every_status_an_operation_answers_is_listed(schema, method, path):
    responses = schema["paths"][path][method]["responses"]
    assert set(responses) == OPERATIONS[(method, path)]
    for status, answer in responses.items():
        assert "application/json" in answer["content"], status
    refusal = responses["422"]["content"]["application/json"]["schema"]["$ref"]
    assert refusal.endswith("/Invalid")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["StepIn", "PracticeIn"])
def test_slugs_have_the_servers_limits(schema, name):
    field = "technique" if name == "StepIn" else "routine"
    [slug] = branches(component(schema, name)["properties"][field])
    assert slug["minLength"] == 1
    assert slug["maxLength"] == 80
    assert not re.search(slug["pattern"], "")
    assert re.search(slug["pattern"], "knee-hug")
    assert not re.search(slug["pattern"], "Knee Hug")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("PracticeIn", "note"),
        ("PracticeIn", "routine_name"),
        ("RatingsIn", "note"),
        ("CheckinIn", "note"),
        ("Answers", "note"),
    ],
)
def test_text_fields_say_they_refuse_control_characters(schema, name, field):
    [text] = branches(component(schema, name)["properties"][field])
    pattern = re.compile(text["pattern"])
    for value in ("", "plain words", "tab\tand\r\nbreaks", "ünï ✓"):
        assert pattern.search(value)
    for code in [*range(0x20), *range(0x7F, 0xA0)]:
        value = f"a{chr(code)}b"
        assert bool(pattern.search(value)) == (control_character_in(value) is None), code


@pytest.mark.django_db
def test_numbers_and_yes_no_answers_are_typed(schema):
    practice = component(schema, "PracticeIn")["properties"]
    [pain] = branches(practice["pain_before"])
    assert (pain["type"], pain["minimum"], pain["maximum"]) == ("integer", 0, 10)
    for moment in ("started_at", "ended_at"):
        assert practice[moment]["format"] == "date-time"
    checkin = component(schema, "CheckinIn")["properties"]
    assert checkin["new_symptom"]["type"] == "boolean"


def refusal_described(schema, method, path):
    return schema["paths"][path][method]["responses"]["400"]["description"]


def days_ago(days: float) -> str:
    return (timezone.now() - dt.timedelta(days=days)).isoformat()


# A body that fits the schema, the service's refusal of it (400), and the words of the
# operation's 400 description that say that rule.
SCHEMA_VALID_REFUSALS = [
    (
        "/api/checkins/",
        {"recorded_at": "back"},
        "go back 14 days at most",
        f"at most {MAX_BACKDATE_DAYS} days before",
    ),
    (
        "/api/checkins/",
        {"recorded_at": "ahead"},
        "in the future",
        "not after it (by more than 5 minutes)",
    ),
    (
        "/api/checkins/",
        {"tension": 3},
        "does not hold: tension",
        "Each kind holds only its own answers (morning: pain,",
    ),
    (
        "/api/checkins/",
        {"night": "2001-01-01"},
        "is not the night",
        "`night`, if sent, is the night",
    ),
    (
        "/api/practices/",
        {"routine": "no-such-routine"},
        "no routine called",
        "`routine` is the slug of a library",
    ),
    (
        "/api/practices/",
        {"routine": None, "routine_name": " "},
        "Name the routine",
        "`routine_name` is not blank",
    ),
    ("/api/practices/", {"started_at": "long"}, "longer than 4 hours", "at most 4 hours after"),
    (
        "/api/practices/",
        {"started_at": "old", "ended_at": "old"},
        "more than a year old",
        "at most 366 days old",
    ),
    (
        "/api/practices/",
        {"skipped_cues": [{"step": 2, "at": 0, "say": "Breathe."}]},
        "step must be a step of this practice",
        "Each skipped cue's `step` is a step of this practice",
    ),
]


def fill(overrides: dict) -> dict:
    moments = {
        "back": days_ago(MAX_BACKDATE_DAYS + 1),
        "ahead": days_ago(-1),
        "long": days_ago(0.25),  # six hours before an end a minute ago
        "old": days_ago(400),
    }
    return {
        name: moments.get(value, value) if isinstance(value, str) else value
        for name, value in overrides.items()
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "overrides", "refused_with", "described"), SCHEMA_VALID_REFUSALS, ids=repr
)
def test_a_400_for_a_body_the_schema_takes_is_described_in_the_schema(
    schema, person_client, routine, path, overrides, refused_with, described
):
    make = practice_body if path == "/api/practices/" else checkin_body
    sent = make(**fill(overrides))
    response = person_client.post(path, json.dumps(sent), content_type="application/json")
    assert response.status_code == 400, response.content
    assert refused_with in response.json()["detail"]
    assert described in refusal_described(schema, "post", path)


@pytest.mark.django_db
def test_every_400_is_described_and_none_is_left_as_bad_request(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if "400" in operation["responses"]:
                assert operation["responses"]["400"]["description"].startswith(
                    "The body is not valid JSON"
                ), (method, path)


@pytest.mark.django_db
def test_the_schema_names_the_techniques_and_routines_the_library_holds_now(client, routine):
    def properties(name):
        return component(client.get("/api/schema").json(), name)["properties"]

    assert properties("StepIn")["technique"]["enum"] == ["knee-hug"]
    make_routine(slug="bedtime-back", techniques=[make_technique(slug="side-lying-stretch")])
    assert properties("StepIn")["technique"]["enum"] == ["knee-hug", "side-lying-stretch"]
    [slug] = branches(properties("PracticeIn")["routine"])
    assert slug["examples"] == ["bedtime-back", "wind-down"]
    assert "your own routines" in properties("PracticeIn")["routine"]["description"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query"),
    [
        (path, query)
        for path in ("/api/checkins/", "/api/practices/")
        for query in ("offset=1&offset=2", "limit=5&limit=5")
    ]
    + [("/api/checkins/", "kind=morning&kind=weekly")],
)
def test_a_query_parameter_given_twice_is_refused_as_the_schema_says(
    schema, person_client, path, query
):
    response = person_client.get(f"{path}?{query}")
    assert response.status_code == 422, response.content
    name = query.split("=")[0]
    assert response.json()["detail"] == [
        {"type": "repeated", "loc": ["query", name], "msg": f"Give {name} only once."}
    ]
    assert "`?offset=1&offset=2` is refused with 422" in schema["info"]["description"]
