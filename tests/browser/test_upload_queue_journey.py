"""What a phone keeps when an upload does not go through: nothing is lost, nothing blocks."""

import datetime as dt
import json
import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from backcoach.library.models import Technique
from backcoach.player.models import Practice
from tests.browser import test_player_journey as journey
from tests.browser.checks import assert_accessible
from tests.browser.test_player_journey import (
    CAPTURE,
    PENDING_EMPTY,
    log_in,
    wait_until,
)

# Its data goes through the database as a real one would (see tests/conftest.py).
pytestmark = pytest.mark.postgres

person = journey.person  # the fixture: screened, with the library loaded
API = "/api/practices/"


@pytest.mark.django_db(transaction=True)
def test_a_practice_from_a_phone_whose_clock_is_fast_is_saved_and_can_be_rated(
    page: Page, site, person
):
    log_in(page, site, person)
    page.add_init_script(CAPTURE)
    page.clock.install(time=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30))
    page.goto(site + "/play/desk-break/")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(200_000)
    expect(page.get_by_role("heading", name="Well done")).to_be_visible()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    page.get_by_role("group", name="How much does your back hurt now?").get_by_role(
        "button", name="3", exact=True
    ).click()
    expect(page.get_by_text("Thank you.")).to_be_visible()
    wait_until(page, PENDING_EMPTY)

    practice = Practice.objects.get()
    assert practice.pain_after == 3
    # Moved back to the server's clock: it ended just now, not half an hour from now.
    assert abs((practice.ended_at - timezone.now()).total_seconds()) < 60
    assert -2100 < practice.clock_corrected_seconds < -1800


def practice_upload(*, routine: str | None = None) -> dict:
    ended = timezone.now() - dt.timedelta(minutes=5)
    practice_id = str(uuid.uuid4())
    return {
        "key": practice_id,
        "method": "POST",
        "url": API,
        "label": "Practice of Evening stretch",
        "body": {
            "id": practice_id,
            "routine": routine,
            "routine_name": "Evening stretch",
            "started_at": (ended - dt.timedelta(seconds=60)).isoformat(),
            "ended_at": ended.isoformat(),
            "status": "completed",
            "steps": [
                {
                    "technique": Technique.objects.order_by("slug").first().slug,
                    "side": "both",
                    "planned_seconds": 60,
                    "done_seconds": 60,
                }
            ],
        },
    }


def rating_upload(practice: dict) -> dict:
    return {
        "key": f"{practice['key']}:pain_after",
        "method": "PATCH",
        "url": f"{API}{practice['key']}",
        "body": {"pain_after": 2},
        "after": practice["key"],
    }


def queue_on_the_phone(page: Page, site: str, person, items: list[dict]) -> None:
    page.goto(site + "/play/history/")
    page.evaluate(
        "([key, items]) => localStorage.setItem(key, items)",
        [f"backcoach.pending.{person.pk}", json.dumps(items)],
    )


def refused_keys(page: Page, person) -> list[str]:
    items = page.evaluate(f"localStorage.getItem('backcoach.refused.{person.pk}') || '[]'")
    return [item["key"] for item in json.loads(items)]


@pytest.mark.django_db(transaction=True)
def test_an_upload_refused_for_good_is_kept_and_shown_and_the_rest_still_goes(
    page: Page, site, person, page_problems
):
    page_problems.allow("400")
    log_in(page, site, person)
    refused = practice_upload(routine="no-such-routine")
    fine = practice_upload()
    queue_on_the_phone(page, site, person, [refused, rating_upload(refused), fine])
    page.reload()

    wait_until(page, PENDING_EMPTY)
    assert list(Practice.objects.values_list("id", flat=True)) == [uuid.UUID(fine["key"])]
    # The refused practice, and the rating that belongs to it, stay on the phone.
    assert refused_keys(page, person) == [refused["key"], f"{refused['key']}:pain_after"]
    notice = page.locator("#refused-uploads")
    expect(notice).to_contain_text("One entry was not uploaded")
    expect(notice).to_contain_text("Practice of Evening stretch")
    expect(notice).to_contain_text("There is no routine called 'no-such-routine'.")
    expect(notice.get_by_role("link", name="Save a copy")).to_have_attribute(
        "href", re.compile(r"^data:application/json")
    )
    assert_accessible(page)

    page.goto(site + "/")  # told on every page until dealt with
    expect(page.locator("#refused-uploads")).to_contain_text("no-such-routine")


@pytest.mark.django_db(transaction=True)
def test_an_upload_the_server_keeps_failing_is_set_aside_without_blocking_the_rest(
    page: Page, site, person, page_problems
):
    page_problems.allow("500")
    log_in(page, site, person)
    failing = practice_upload()
    fine = practice_upload()

    def break_one(route):
        body = route.request.post_data_json or {}
        if body.get("id") == failing["key"]:
            route.fulfill(status=500, json={"detail": "Something went wrong on our side."})
        else:
            route.continue_()

    page.route(site + API, break_one)
    queue_on_the_phone(page, site, person, [failing, rating_upload(failing), fine])
    page.reload()
    # What comes after the failing practice (and does not belong to it) is not held up.
    wait_until(
        page, f"!localStorage.getItem('backcoach.pending.{person.pk}').includes('{fine['key']}')"
    )
    assert list(Practice.objects.values_list("id", flat=True)) == [uuid.UUID(fine["key"])]
    expect(page.locator("#refused-uploads")).to_have_count(0)

    for _ in range(9):
        page.reload()
        page.wait_for_timeout(100)
    wait_until(page, PENDING_EMPTY)
    assert refused_keys(page, person) == [failing["key"], f"{failing['key']}:pain_after"]
    expect(page.locator("#refused-uploads")).to_contain_text("The server failed 10 times")

    page.unroute(site + API)
    page.get_by_role("button", name="Try again").click()
    wait_until(page, f"localStorage.getItem('backcoach.refused.{person.pk}') === '[]'")
    wait_until(page, PENDING_EMPTY)
    expect(page.locator("#refused-uploads")).to_have_count(0)
    assert Practice.objects.get(pk=failing["key"]).pain_after == 2
