"""Personal access tokens: made and revoked in Settings, shown once, kept hashed, read-only
or read-write, and taken by the API beside the session cookie."""

import json

import pytest
from django.urls import reverse

from backcoach.api.models import AccessToken, token_digest
from tests.clients import Browser
from tests.diary.test_checkin_api import body as checkin_body
from tests.factories import make_checkin

TOKENS = reverse("tokens:list")


def make_token(client, name="export script", scope="read", lifetime="90") -> str:
    response = client.post(TOKENS, {"name": name, "scope": scope, "lifetime": lifetime})
    assert response.status_code == 200, response.content
    return response.context["made"]


def api(token: str, method: str = "GET", path: str = "/api/checkins/", data=None):
    client = Browser()  # no session: the token alone
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if method == "GET":
        return client.get(path, **headers)
    return client.generic(
        method, path, json.dumps(data), content_type="application/json", **headers
    )


@pytest.mark.django_db
def test_a_token_is_shown_once_and_kept_only_as_a_digest(person_client, person):
    token = make_token(person_client)
    assert token.startswith("bc_") and len(token) > 40
    row = AccessToken.objects.get()
    assert row.digest == token_digest(token) and token not in row.digest
    assert token not in person_client.get(TOKENS).content.decode()
    assert token not in json.dumps(list(AccessToken.objects.values()), default=str)


@pytest.mark.django_db
def test_a_read_token_reads_the_persons_own_data_and_cannot_write(person_client, person, stranger):
    make_checkin(person, kind="anytime", pain=4)
    make_checkin(stranger, kind="anytime", pain=9)
    token = make_token(person_client)
    listed = api(token)
    assert listed.status_code == 200
    assert [c["pain"] for c in listed.json()] == [4]
    refused = api(token, "POST", data=checkin_body(kind="anytime", pain=3, pain_areas=[]))
    assert refused.status_code == 403
    assert "may only read" in refused.json()["detail"]
    assert person.checkins.count() == 1


@pytest.mark.django_db
def test_a_write_token_writes_without_a_csrf_token(person_client, person):
    token = make_token(person_client, scope="write")
    sent = api(token, "POST", data=checkin_body())
    assert sent.status_code == 201, sent.content
    assert person.checkins.count() == 1


@pytest.mark.django_db
def test_a_revoked_token_is_refused_at_once(person_client, person):
    token = make_token(person_client)
    assert api(token).status_code == 200
    row = AccessToken.objects.get()
    person_client.post(reverse("tokens:revoke", args=[row.pk]))
    assert api(token).status_code == 401
    row.refresh_from_db()
    assert row.revoked_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "bc_not-a-token", "Basic abc", "bc_" + "x" * 5000])
def test_a_wrong_token_gets_a_json_401(token):
    response = api(token)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_a_token_of_a_switched_off_person_is_refused(person_client, person):
    token = make_token(person_client)
    person.is_active = False
    person.save()
    assert api(token).status_code == 401


@pytest.mark.django_db
def test_reading_with_a_token_writes_nothing(person_client, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = make_token(person_client)
    with CaptureQueriesContext(connection) as queries:
        api(token)
    assert not [
        q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "scope": "read"}, "This field is required."),
        ({"name": "x" * 81, "scope": "read"}, "at most 80 characters"),
        ({"name": "bad\u0000", "scope": "read"}, "control characters"),
        ({"name": "ok", "scope": "admin"}, "Select a valid choice"),
    ],
)
def test_bad_token_requests_make_nothing(person_client, form, message):
    response = person_client.post(TOKENS, form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AccessToken.objects.exists()


@pytest.mark.django_db
def test_two_tokens_of_one_name_are_refused(person_client):
    make_token(person_client)
    response = person_client.post(
        TOKENS, {"name": "export script", "scope": "read", "lifetime": "90"}
    )
    assert response.status_code == 400
    assert "already have a token with that name" in response.content.decode()


@pytest.mark.django_db
def test_the_schema_says_both_ways_in(client):
    schema = client.get("/api/schema").json()
    schemes = schema["components"]["securitySchemes"]
    assert {"SessionAuth", "TokenAuth"} <= set(schemes)
    assert schemes["TokenAuth"]["scheme"] == "bearer"


def anytime(**answers) -> dict:
    from django.utils import timezone

    return {"kind": "anytime", "recorded_at": timezone.now().isoformat(), **answers}


def write_token(person) -> str:
    from backcoach.api.tokens import token_create

    return token_create(person=person, name="script", scope="write")[1]


@pytest.mark.django_db
def test_an_expired_token_is_refused_at_once(person):
    import datetime as dt

    from django.utils import timezone

    token = write_token(person)
    assert api(token).status_code == 200
    AccessToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refused = api(token, "POST", data=checkin_body())
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]
    assert api(token).status_code == 401
    assert not person.checkins.exists()


@pytest.mark.django_db
def test_a_strangers_write_token_cannot_touch_or_learn_of_the_owners_checkins(person, stranger):
    theirs = make_checkin(person, kind="anytime", pain=4)
    mine = write_token(stranger)
    changed = api(mine, "PATCH", f"/api/checkins/{theirs.pk}", {"pain": 9})
    unknown = api(mine, "PATCH", "/api/checkins/0f0c2a51-5d3e-4c53-9d0e-4f1f8c9a9999", {"pain": 9})
    assert changed.status_code == unknown.status_code == 404
    assert changed.json() == unknown.json()
    # The owner's id sent as a new check-in is answered as any new id is: recorded, for
    # the stranger alone, under the id they sent, which they can send again and change.
    fresh = api(mine, "POST", data=anytime(pain=3))
    sent = anytime(pain=3, id=str(theirs.pk))
    taken = api(mine, "POST", data=sent)
    assert (fresh.status_code, taken.status_code) == (201, 201)
    assert fresh.json().keys() == taken.json().keys()
    assert taken.json()["id"] == str(theirs.pk)
    assert api(mine, "POST", data=sent).status_code == 200
    changed = api(mine, "PATCH", f"/api/checkins/{theirs.pk}", {"pain": 6})
    assert (changed.status_code, changed.json()["pain"]) == (200, 6)
    assert {c["id"] for c in api(mine).json()} == {fresh.json()["id"], str(theirs.pk)}
    theirs.refresh_from_db()
    assert theirs.pain == 4 and theirs.person == person
    assert [c["pain"] for c in api(write_token(person)).json()] == [4]
    # An id of the stranger's own sent again with other answers is still a conflict.
    again = api(mine, "POST", data=anytime(pain=8, id=fresh.json()["id"]))
    assert again.status_code == 409


@pytest.mark.django_db
@pytest.mark.parametrize(
    "times",
    [
        {"recorded_at": "9999-12-30T00:00:00Z", "sent_at": "0001-01-01T00:00:00Z"},
        {"recorded_at": "0001-01-01T00:00:00Z", "sent_at": "9999-12-30T00:00:00Z"},
    ],
)
def test_times_at_the_ends_of_the_calendar_are_a_clear_400(person, times):
    sent = api(write_token(person), "POST", data={"kind": "anytime", "pain": 3, **times})
    assert sent.status_code == 400, sent.content
    assert "out of range" in sent.json()["detail"]
    assert not person.checkins.exists()
