"""The experiment form shows only what the chosen question uses: the routines and the
measure appear for "two routines" alone, by keyboard as by touch."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import assert_accessible
from tests.browser.test_player_journey import log_in, person  # noqa: F401 (person: the fixture)

TWO = "Which of two bedtime routines is better for me?"


@pytest.mark.django_db(transaction=True)
def test_the_form_shows_the_routines_only_for_the_question_that_compares_two(
    page: Page,
    site,
    person,  # noqa: F811
):
    log_in(page, site, person)
    page.goto(site + "/experiments/")
    routines = page.get_by_role("group", name="The two routines")
    expect(
        page.get_by_label("Does the bedtime massage help me fall asleep faster?")
    ).to_be_checked()
    expect(routines).to_be_hidden()
    expect(page.get_by_text("Compare them by")).to_be_hidden()
    assert_accessible(page)
    # By keyboard: the radio group moves with the arrow keys.
    page.get_by_label("Does the bedtime massage help me fall asleep faster?").focus()
    page.keyboard.press("ArrowDown")
    expect(
        page.get_by_label("Does the bedtime massage help me wake with less pain?")
    ).to_be_checked()
    expect(routines).to_be_hidden()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label(TWO)).to_be_checked()
    expect(routines).to_be_visible()
    expect(page.get_by_label("Routine A")).to_be_visible()
    expect(page.get_by_text("Compare them by")).to_be_visible()
    assert_accessible(page)
