"""Tonight's routine offline: the home page's big button, and every /play/tonight/ link."""

import re

import pytest
from playwright.sync_api import Page, expect

from backcoach.safety.services import screen_record
from tests.browser import test_player_journey as journey
from tests.browser.test_player_journey import (
    log_in,
    wait_until,
)

person = journey.person  # the fixture: screened, with the library loaded
OFFLINE_READY = "document.documentElement.dataset.offlineReady === 'true'"
HEADING = "Bedtime back self-massage"


def visit_once_online(page: Page, site: str) -> None:
    """Home, the routine through the home page's button, and home again, as a person would."""
    page.goto(site + "/")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.get_by_role("link", name="Start tonight's routine").click()
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    wait_until(page, OFFLINE_READY)
    page.goto(site + "/")  # through the worker now, which keeps it


@pytest.mark.django_db(transaction=True)
def test_the_home_pages_start_button_plays_tonights_routine_offline(
    page: Page, site, person, page_problems
):
    page_problems.allow("ERR_INTERNET_DISCONNECTED")
    log_in(page, site, person)
    visit_once_online(page, site)

    page.context.set_offline(True)
    page.goto(site + "/")
    page.get_by_role("link", name="Start tonight's routine").click()
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(page.locator("#player[data-ready=true]")).to_be_attached()
    expect(page.get_by_role("heading", name="You are offline")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_after_one_visit_to_the_home_page_tonight_links_find_the_routine_offline(
    page: Page, site, person, page_problems
):
    # The installed app starts at /play/tonight/, and so do the reminder and progress pages.
    page_problems.allow("ERR_INTERNET_DISCONNECTED")
    log_in(page, site, person)
    page.goto(site + "/")
    wait_until(page, OFFLINE_READY)

    page.context.set_offline(True)
    page.goto(site + "/play/tonight/")
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(page.locator("#player[data-ready=true]")).to_be_attached()
    page.goto(site + "/")
    expect(page.get_by_role("link", name="Start tonight's routine")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_online_the_home_pages_button_still_asks_the_safety_questions_first(
    page: Page, site, person
):
    screen_record(person=person, answers={"bladder-bowel": True}, reason="flare-up")
    log_in(page, site, person)
    page.goto(site + "/")
    page.get_by_role("link", name="Start tonight's routine").click()
    expect(page).to_have_url(re.compile(r"/screen/result/$"))
    expect(page.locator("#player")).to_have_count(0)
