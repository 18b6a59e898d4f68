"""A person builds a routine for bed, starts it, keeps it, makes it tonight's, changes it,
and plays it offline: their own routine, spoken hands-free like the library's."""

import re

import pytest
from playwright.sync_api import Page, expect

from backcoach.player.models import Practice
from tests.browser.checks import assert_accessible
from tests.browser.test_player_journey import CAPTURE, PENDING_EMPTY, log_in, wait_until


@pytest.fixture
def person(screened_person):
    return screened_person


def build_for_bed(page: Page, site: str, minutes: int = 5) -> None:
    page.goto(site + "/")
    page.get_by_role("link", name="Build a routine").click()
    page.get_by_label("Minutes you have").fill(str(minutes))
    expect(page.get_by_label("I am in bed")).to_be_checked()
    page.get_by_role("button", name="Build my routine").click()
    expect(page.get_by_role("heading", name=f"Your routine: {minutes} min")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_built_routine_starts_plays_hands_free_and_is_recorded_as_the_persons_own(
    page: Page, site, person
):
    page.add_init_script(CAPTURE)
    page.clock.install()
    log_in(page, site, person)
    build_for_bed(page, site, minutes=8)
    steps = page.locator(".routine-steps .step-title").all_inner_texts()
    assert len(steps) >= 3
    assert_accessible(page)
    page.get_by_role("button", name="Start", exact=True).click()

    expect(page.get_by_role("heading", name="My 8-minute bedtime routine")).to_be_visible()
    expect(page.locator("#player[data-ready=true]")).to_be_attached()
    routine = person.own_routines.get()
    assert page.url.endswith(f"/play/{routine.slug}/")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(30_000)
    expect(page.locator("#step-name")).to_have_text(steps[0])
    page.clock.run_for(480_000)  # to its end: quiet, for bed, and recorded without a tap
    expect(page.get_by_role("heading", name="Sleep well")).to_be_attached()
    wait_until(page, PENDING_EMPTY)
    practice = Practice.objects.get()
    assert (practice.routine, practice.status) == (routine, "completed")
    assert practice.routine_name == "My 8-minute bedtime routine"
    assert [s.technique.name for s in practice.steps.order_by("order")] == steps
    said = page.evaluate("window.__spoken")
    assert said[-1] == page.evaluate(
        "JSON.parse(document.getElementById('routine-script').textContent)"
        ".steps.at(-1).cues.at(-1).say"
    )  # the massage's resting cue, last


@pytest.mark.django_db(transaction=True)
def test_a_built_routine_is_kept_changed_made_tonights_and_plays_offline(
    page: Page, site, person, page_problems
):
    log_in(page, site, person)
    build_for_bed(page, site, minutes=8)
    page.get_by_label("Name").fill("Sunday night")
    page.get_by_role("button", name="Save as my routine").click()
    expect(page.get_by_role("heading", name="Sunday night", level=1)).to_be_visible()
    expect(page.get_by_text("“Sunday night” is saved in My routines.")).to_be_visible()
    assert_accessible(page)
    routine = person.own_routines.get()
    before = [(s.technique.name, s.duration) for s in routine.steps.select_related("technique")]

    # Changed by keyboard: the first step shortened to its least and put second.
    page.get_by_role("link", name="Change it").click()
    expect(page.get_by_role("heading", name="Change your routine")).to_be_visible()
    assert_accessible(page)
    seconds = page.get_by_label(re.compile(f"^Seconds of {re.escape(before[0][0])}")).first
    least = int(seconds.get_attribute("min"))
    seconds.fill(str(least))
    page.get_by_label(f"Place of {before[0][0]}").first.fill("2")
    page.get_by_label(f"Place of {before[1][0]}").first.fill("1")
    page.get_by_label(f"Place of {before[1][0]}").first.press("Enter")
    expect(page.get_by_text("“Sunday night” is saved.")).to_be_visible()
    now = [(s.technique.name, s.duration) for s in routine.steps.select_related("technique")]
    assert now[:2] == [before[1], (before[0][0], least)]

    page.get_by_role("button", name="Make this my bedtime routine").click()
    expect(page.get_by_text("your bedtime routine", exact=False).first).to_be_visible()
    page.goto(site + "/")
    tonight = page.get_by_role("link", name="Start tonight's routine")
    expect(tonight).to_have_attribute("href", f"/play/{routine.slug}/")
    expect(page.get_by_role("link", name="start Bedtime back self-massage")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Library").first.click()
    mine = page.get_by_role("region", name="My routines")
    expect(mine.get_by_role("heading", name="Sunday night")).to_be_visible()
    expect(mine.get_by_text("Tonight's routine")).to_be_visible()

    page_problems.allow("ERR_INTERNET_DISCONNECTED")
    page.goto(site + "/")
    tonight.click()
    expect(page.get_by_role("heading", name="Sunday night")).to_be_visible()
    wait_until(page, "document.documentElement.dataset.offlineReady === 'true'")
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Sunday night")).to_be_visible()
    expect(page.locator("#player[data-ready=true]")).to_be_attached()
