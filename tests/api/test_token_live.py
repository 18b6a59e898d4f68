"""A script's way in, through a real HTTP server and client: the token alone, no cookie and
no CSRF token, writes; a read token and a wrong token are refused as JSON."""

import json
import urllib.error
import urllib.request
import uuid

import pytest
from django.utils import timezone

from backcoach.api.tokens import token_create
from tests.player.test_practice_api import practice_body


def send(url: str, token: str, method: str, body: dict | None = None):
    request = urllib.request.Request(  # noqa: S310 (the test server's own http: address)
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


@pytest.mark.django_db(transaction=True)
def test_a_write_token_writes_through_a_real_server_and_a_read_token_is_refused(
    live_server, person
):
    _, write = token_create(person=person, name="sync", scope="write")
    _, read = token_create(person=person, name="export", scope="read")
    checkin = {
        "id": str(uuid.uuid4()),
        "kind": "anytime",
        "recorded_at": timezone.now().isoformat(),
        "pain": 3,
    }
    url = f"{live_server.url}/api/checkins/"
    assert send(url, write, "POST", checkin)[0] == 201
    status, answer = send(f"{url}{checkin['id']}", write, "PATCH", {"pain": 5})
    assert (status, answer["pain"]) == (200, 5)
    status, answer = send(url, read, "POST", {**checkin, "id": str(uuid.uuid4())})
    assert status == 403 and "may only read" in answer["detail"]
    assert send(url, "bc_not-a-token", "GET")[0] == 401
    assert [c["pain"] for c in send(url, read, "GET")[1]] == [5]


@pytest.mark.django_db(transaction=True)
def test_a_write_token_records_and_rates_a_practice_through_a_real_server(
    live_server, person, routine
):
    _, write = token_create(person=person, name="player", scope="write")
    _, read = token_create(person=person, name="export", scope="read")
    practice = practice_body(pain_before=6)
    url = f"{live_server.url}/api/practices/"
    assert send(url, write, "POST", practice)[0] == 201
    assert send(url, write, "POST", practice)[0] == 200  # sent again: the same practice
    status, answer = send(f"{url}{practice['id']}", write, "PATCH", {"pain_after": 3})
    assert (status, answer["pain_before"], answer["pain_after"]) == (200, 6, 3)
    status, answer = send(f"{url}{practice['id']}", read, "PATCH", {"tension_after": 2})
    assert status == 403 and "may only read" in answer["detail"]
    [listed] = send(url, read, "GET")[1]
    assert (listed["id"], listed["tension_after"]) == (practice["id"], None)
