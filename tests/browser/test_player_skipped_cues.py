"""A phone that sleeps during a routine: the cues its page slept through are not read out
late, and the practice (and the history) says which they were."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from backcoach.player.models import Practice
from tests.browser.test_player_audio import FREEZE
from tests.browser.test_player_journey import (
    CAPTURE,
    PENDING_EMPTY,
    log_in,
    routine_script,
    spoken,
    wait_until,
)

SLEEP = "() => { window.__frozen = true; }"
WAKE = "() => { window.__frozen = false; }"


@pytest.fixture
def person(screened_person):
    return screened_person


def open_player(page: Page, site: str, person, path: str) -> None:
    """The player on a fake clock (started 20 minutes ago, so that the routine ends in the
    past) whose timers can be frozen, as a sleeping phone's are."""
    log_in(page, site, person)
    page.add_init_script(CAPTURE)
    page.clock.install(time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20))
    page.add_init_script(FREEZE)  # after the fake clock, so that it wraps the fake timers
    page.goto(site + path)
    expect(page.locator("#player[data-ready=true]")).to_be_attached()


def asleep_for(page: Page, ms: int) -> None:
    """The page's timers do not run (a throttled tab, a phone asleep) while `ms` pass."""
    page.evaluate(SLEEP)
    page.clock.run_for(ms)
    page.evaluate(WAKE)
    page.clock.run_for(300)  # the next tick catches up


@pytest.mark.django_db(transaction=True)
def test_cues_slept_through_are_skipped_and_the_practice_says_which(page: Page, site, person):
    open_player(page, site, person, "/play/tonight/")
    script = routine_script(page)
    cues = script["steps"][0]["cues"]
    assert [cue["at"] for cue in cues][:6] == [0, 25, 45, 75, 110, 150]
    page.get_by_role("button", name="Start").click()

    page.clock.run_for(10_000 + 20_000)  # the lead-in, and 20 s of the massage
    assert spoken(page) == [script["leadInCue"], cues[0]["say"]]
    # Asleep from 20 s to 110 s: the cue due at 110 s is said, the three before it are not.
    asleep_for(page, 90_000)
    assert spoken(page)[-1] == cues[4]["say"]
    # Asleep again until 26 s after the cue at 150 s: too late to say, so it is not.
    asleep_for(page, 66_000)
    assert len(spoken(page)) == 3
    page.clock.run_for(200_000)  # to the end, awake
    expect(page.get_by_role("heading", name="Sleep well")).to_be_visible()

    wait_until(page, PENDING_EMPTY)
    skipped = [cues[i] for i in (1, 2, 3, 5)]
    said = [cue["say"] for cue in cues if cue not in skipped]
    assert spoken(page) == [script["leadInCue"], *said]
    practice = Practice.objects.get()
    assert practice.skipped_cues == [
        {"step": 1, "at": cue["at"], "say": cue["say"]} for cue in skipped
    ]
    page.goto(site + "/play/history/")
    expect(page.get_by_text("4 cues skipped while the phone slept")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_cues_the_person_skips_past_are_not_skipped_cues(page: Page, site, person):
    open_player(page, site, person, "/play/desk-break/")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(15_000)
    page.keyboard.press("ArrowRight")  # on to the second step, its cues unsaid
    page.clock.run_for(1_000)
    page.keyboard.press("ArrowRight")
    page.clock.run_for(200_000)
    expect(page.get_by_role("heading", name="Well done")).to_be_visible()
    wait_until(page, PENDING_EMPTY)
    assert Practice.objects.get().skipped_cues == []


@pytest.mark.django_db(transaction=True)
def test_a_caution_is_said_even_after_the_phone_slept_past_it(page: Page, site, person):
    from backcoach.safety.models import HealthConditions

    HealthConditions.objects.create(person=person, keys=["pregnancy"])
    open_player(page, site, person, "/play/tonight/")
    cues = routine_script(page)["steps"][0]["cues"]
    caution = next(cue for cue in cues if cue.get("caution"))
    assert "roll onto your side" in caution["say"]
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(10_500)  # the lead-in: the step's first cue is said
    asleep_for(page, 60_000)  # past the caution, and the cues after it
    said = spoken(page)[-1]
    assert said.startswith(caution["say"]), said
    page.clock.run_for(400_000)
    wait_until(page, PENDING_EMPTY)
    skipped = Practice.objects.get().skipped_cues
    assert skipped and all(cue["say"] != caution["say"] for cue in skipped)


@pytest.mark.django_db(transaction=True)
def test_woken_in_a_step_whose_first_cue_went_unsaid_the_step_is_named(page: Page, site, person):
    open_player(page, site, person, "/play/desk-break/")
    script = routine_script(page)
    first, second = script["steps"][:2]
    starts = script["leadIn"] + first["duration"]
    # 25 s into the second step: its first cue (the one that names it) is too late to say.
    into = 25
    assert any(0 < cue["at"] <= into for cue in second["cues"])
    page.get_by_role("button", name="Start").click()
    page.clock.run_for((starts - 5) * 1000)  # awake until just before the second step
    asleep_for(page, (5 + into) * 1000)
    said = spoken(page)[-1]
    side = {"left": ", left side", "right": ", right side"}.get(second["side"], "")
    assert said.startswith(f"{second['name']}{side}. "), said
    assert second["cues"][0]["say"] not in said  # the name only, not the stale instruction
