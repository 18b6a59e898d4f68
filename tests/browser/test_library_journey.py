"""A new person finds a foam-roller move for the lower back and reads how to do it."""

import re

import pytest
from playwright.sync_api import Page, expect

from backcoach.library import content, services
from tests.browser.checks import assert_accessible
from tests.factories import make_person


@pytest.fixture
def loaded_library(transactional_db):
    services.library_load(library=content.load_library())


@pytest.mark.django_db(transaction=True)
def test_a_new_person_filters_the_library_and_opens_a_technique(page: Page, site, loaded_library):
    person = make_person(email="new@example.org")
    page.context.add_cookies([])  # a fresh browser
    page.goto(site + "/accounts/login/")
    page.get_by_label("E-mail address").fill(person.email)
    page.get_by_label("Password").fill("correct-horse-battery-9")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", name="Routines and techniques")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Equipment").select_option(label="Foam roller")
    page.get_by_label("Body area").select_option(label="Lower back")
    page.get_by_label("Minutes at most").fill("10")
    page.get_by_label("Minutes at most").press("Enter")
    expect(page).to_have_url(re.compile(r"equipment=foam-roller"))
    cards = page.locator("#results section").nth(1).get_by_role("listitem")
    expect(cards.first).to_be_visible()
    assert "match" in page.locator("#result-count").inner_text()
    for text in cards.all_inner_texts():
        assert "Foam roller" in text
    assert_accessible(page)

    first = cards.first.get_by_role("link").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    expect(page.get_by_role("img", name=f"{name}: the position")).to_be_visible()
    expect(page.get_by_role("heading", name="How to do it")).to_be_visible()
    expect(page.get_by_role("heading", name="Is this backed by evidence?")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_filters_update_the_list_without_a_reload(page: Page, site, loaded_library):
    page.goto(site + "/library/")
    all_count = page.locator("#result-count").inner_text()
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Position", exact=True).select_option(label="Sitting")
    expect(page.locator("#result-count")).not_to_have_text(all_count)
    assert page.evaluate("window.notReloaded === true")
    assert "position=sitting" in page.url


@pytest.mark.django_db(transaction=True)
def test_the_routine_and_builder_pages_pass_the_audit(page: Page, site, loaded_library):
    page.goto(site + "/library/routines/bedtime-back-self-massage/")
    expect(page.get_by_role("heading", name="Bedtime back self-massage", level=1)).to_be_visible()
    assert_accessible(page)
    page.goto(site + "/library/build/")
    page.get_by_label("Minutes you have").fill("10")
    page.get_by_role("button", name="Build my routine").click()
    expect(page.get_by_role("heading", name="Your routine: 10 min")).to_be_visible()
    assert_accessible(page)
