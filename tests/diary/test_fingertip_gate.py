"""The weekly fingertip-to-floor test is a full standing forward bend: not offered, and
not accepted from the form or the API, with osteoporosis, in a flare-up, or after a screen
that said to see a clinician; the rest of the weekly check-in is asked and kept."""

import json
import re
import uuid

import pytest
from django.utils import timezone

from backcoach.diary.models import Checkin
from backcoach.safety.services import conditions_save, flare_up_record, screen_record
from tests.clients import Browser
from tests.factories import make_person

WEEKLY = {"peg_pain": 3, "peg_enjoyment": 2, "peg_activity": 2, "posture": 6}


def osteoporosis(person):
    screen_record(person=person, answers={})
    conditions_save(person=person, keys=["osteoporosis"])


def flare_up(person):
    screen_record(person=person, answers={})
    flare_up_record(person=person, pain=8)


def see_soon(person):
    screen_record(person=person, answers={"fever": True})


def no_reason(person):
    screen_record(person=person, answers={})


def browser_of(person) -> Browser:
    client = Browser()
    client.force_login(person)
    return client


def form_post(client, **fields):
    page = client.get("/diary/weekly/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = {**WEEKLY, "note": "", "day": timezone.localdate().isoformat(), **fields}
    return page, client.post("/diary/weekly/", {**data, "csrfmiddlewaretoken": token})


def api_post(client, **fields):
    client.get("/diary/")
    payload = {
        "id": str(uuid.uuid4()),
        "kind": "weekly",
        "recorded_at": timezone.now().isoformat(),
        **WEEKLY,
        **fields,
    }
    return client.post(
        "/api/checkins/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("state", [osteoporosis, flare_up, see_soon])
def test_the_forward_bend_is_neither_offered_nor_accepted_where_it_is_not_safe(state):
    person = make_person()
    state(person)
    client = browser_of(person)
    page, response = form_post(client, fingertip_floor="12")
    assert 'name="fingertip_floor"' not in page
    assert "full forward bend" in page
    assert response.status_code == 302  # the rest of the check-in is kept
    weekly = person.checkins.get(kind=Checkin.Kind.WEEKLY)
    assert weekly.fingertip_floor_cm is None and weekly.peg_pain == 3

    response = api_post(client, fingertip_floor_cm=12.0)
    assert response.status_code in (400, 422), response.content
    assert "forward bend" in response.json()["detail"]
    assert person.checkins.filter(kind=Checkin.Kind.WEEKLY).count() == 1
    # Without the distance, the API keeps the rest.
    assert api_post(client).status_code == 201


@pytest.mark.django_db
def test_otherwise_the_forward_bend_is_offered_and_kept():
    person = make_person()
    no_reason(person)
    client = browser_of(person)
    page, response = form_post(client, fingertip_floor="12")
    assert 'name="fingertip_floor"' in page
    assert response.status_code == 302
    assert person.checkins.get(kind=Checkin.Kind.WEEKLY).fingertip_floor_cm == 12
    assert api_post(client, fingertip_floor_cm=10.5).status_code == 201
