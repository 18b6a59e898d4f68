"""A person with three weeks of diary opens their progress on a phone and reads it."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import assert_accessible
from tests.clients import Browser
from tests.factories import make_person
from tests.insights.data import weeks_of_diary

CHARTS = (
    "Pain by day, 0 to 10",
    "Minutes to fall asleep, by night",
    "Sleep quality, 1 (very poor) to 5 (very good), by night",
    # 4 or 5 weeks: three weeks of days cover one more calendar week on some weekdays.
    re.compile(r"Nights with a practice, the last [45] weeks"),
    "Fingertip-to-floor distance in cm",
    "PEG-3 score, 0 to 10",
)


def log_in(page: Page, site: str, person) -> None:
    client = Browser()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}]
    )


@pytest.mark.django_db(transaction=True)
def test_a_person_reads_three_weeks_of_progress_on_a_phone(page: Page, site):
    person = make_person(email="progress@example.org", time_zone="Europe/Berlin")
    weeks_of_diary(person, days=21, pain=lambda day: 6 - day // 7)
    log_in(page, site, person)
    page.goto(site + "/")
    page.get_by_role("link", name="Your progress").click()

    expect(page.get_by_role("heading", level=1, name="Your progress")).to_be_visible()
    for name in CHARTS:
        expect(page.get_by_role("img", name=name)).to_be_visible()
    expect(
        page.get_by_role("img", name="Pain before and after your last 14 practices")
    ).to_be_visible()
    summary = page.locator("[data-summary=pain]")
    expect(summary).to_contain_text("rated your pain on 21 days")
    expect(summary).to_contain_text("7 more days")
    expect(page.locator("[data-summary=nights]")).to_contain_text("not a fair test")
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_text("The numbers: pain by day").click()
    expect(page.get_by_role("table").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_new_person_sees_what_to_do_rather_than_empty_charts(page: Page, site):
    person = make_person(email="new-progress@example.org")
    log_in(page, site, person)
    page.goto(site + "/progress/")
    expect(
        page.get_by_text("Check in for a few mornings and your sleep shows here.")
    ).to_be_visible()
    assert page.get_by_role("img").count() == 0
    assert_accessible(page)
