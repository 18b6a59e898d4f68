"""The OpenAPI schema at /api/schema tells the whole truth: every status an operation
answers, and the limits the server holds requests to."""

import re

import pytest

from backcoach.text import control_character_in

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
