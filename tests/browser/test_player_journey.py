"""Tonight's routine, hands-free: every cue spoken once and in order, recorded once."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from backcoach.player.models import Practice
from backcoach.safety.services import conditions_save
from tests.browser.checks import assert_accessible
from tests.clients import Browser

# Records what the page asks the browser to say, the tones it plays (a chime is two
# oscillators), and whether it keeps the screen awake.
CAPTURE = """
window.__spoken = [];
window.__tones = 0;
window.__wakeLocks = 0;
speechSynthesis.speak = (utterance) => window.__spoken.push(utterance.text);
speechSynthesis.cancel = () => {};
const audio = (window.BaseAudioContext || window.AudioContext).prototype;
const createOscillator = audio.createOscillator;
audio.createOscillator = function () {
  window.__tones += 1;
  return createOscillator.call(this);
};
if (navigator.wakeLock) {
  const request = navigator.wakeLock.request.bind(navigator.wakeLock);
  navigator.wakeLock.request = (kind) => { window.__wakeLocks += 1; return request(kind); };
}
"""
TONES_PER_CHIME = 2


@pytest.fixture
def person(screened_person):
    return screened_person


def log_in(page: Page, site: str, person) -> None:
    client = Browser()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}]
    )


PENDING_EMPTY = (
    "Object.keys(localStorage).filter(k => k.startsWith('backcoach.pending'))"
    ".every(k => localStorage.getItem(k) === '[]')"
)


def wait_until(page: Page, expression: str, seconds: float = 10) -> None:
    """Polls from the test side: the page's CSP forbids the eval behind wait_for_function."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def routine_script(page: Page) -> dict:
    return page.evaluate("JSON.parse(document.getElementById('routine-script').textContent)")


def step_speech(page: Page) -> list[str]:
    """The lead-in and every step's cues, in order: all a routine says before its end."""
    script = routine_script(page)
    said = [script["leadInCue"]]
    for step in script["steps"]:
        said += [cue["say"] for cue in step["cues"]]
    return said


def spoken(page: Page) -> list[str]:
    return [text for text in page.evaluate("window.__spoken") if text != "Resuming."]


def pause_page_clock(page: Page) -> None:
    """The page's clock, paused 20 minutes ago (so the routine ends in the past, not the
    future): the routine, its cues and the dimming move only when the test moves the clock,
    however slowly the machine runs the test."""
    page.clock.pause_at(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20))


def open_player(page: Page, site: str, path: str, heading: str) -> None:
    page.add_init_script(CAPTURE)
    pause_page_clock(page)
    page.goto(site + path)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("#player[data-ready=true]")).to_be_attached()
    assert_accessible(page, paused_clock=True)


def rate_before(page: Page, *, pain: int, tension: int) -> None:
    """Pain and tension before are optional and folded away; one tap each, then Start."""
    page.get_by_text("Rate your pain first (optional)").click()
    page.get_by_role("group", name="How much does your back hurt right now?").get_by_role(
        "button", name=str(pain), exact=True
    ).click()
    page.get_by_role("group", name="How tense does it feel?").get_by_role(
        "button", name=str(tension), exact=True
    ).click()
    expect(page.get_by_role("button", name="Start")).to_be_focused()


def start_tonight(page: Page, site: str) -> None:
    open_player(page, site, "/play/tonight/", "Bedtime back self-massage")
    rate_before(page, pain=6, tension=7)
    page.get_by_role("button", name="Start").click()


def start_desk_break(page: Page, site: str) -> None:
    """A routine that is not for bedtime: it still closes with words and asks after it."""
    open_player(page, site, "/play/desk-break/", "Desk break")
    rate_before(page, pain=6, tension=7)
    page.get_by_role("button", name="Start").click()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_tonights_routine_is_spoken_hands_free_and_ends_in_quiet(page: Page, site, person):
    log_in(page, site, person)
    start_tonight(page, site)
    page.clock.run_for(40_000)
    expect(page.locator("#step-name")).to_have_text("Bedtime back self-massage")
    assert page.evaluate("window.__wakeLocks") >= 1  # browser speech: the screen is kept on
    # Lying down in the dark: a dim timer on black, and nothing else until a touch. Audited
    # in that state, the fade to it over (test_player_states.py says why it may be so).
    assert_only_a_dim_timer_shows(page)
    assert_accessible(page, paused_clock=True)
    assert_a_stray_hand_presses_nothing(page)

    page.keyboard.press("Space")  # pause
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    spoken_while_running = page.evaluate("window.__spoken.length")
    page.clock.run_for(120_000)
    assert page.evaluate("window.__spoken.length") == spoken_while_running
    page.get_by_role("button", name="Resume").click()
    # 300 s into the routine: its last cue (at 10 + 275 s) is said, the end (310 s) is near.
    page.clock.run_for(260_000)
    expect(page.locator("#step-name")).to_have_text("Bedtime back self-massage")
    assert spoken(page) == step_speech(page)
    tones_before_the_end = page.evaluate("window.__tones")
    assert tones_before_the_end == TONES_PER_CHIME  # the chime as the step began

    page.clock.run_for(60_000)
    expect(page.get_by_role("heading", name="Sleep well")).to_be_visible()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    # Nothing said, rung or asked at lights-out: the last words are the massage's own.
    assert spoken(page) == step_speech(page)
    assert spoken(page)[-1] == routine_script(page)["steps"][-1]["cues"][-1]["say"]
    assert page.evaluate("window.__spoken").count("Resuming.") == 1
    assert page.evaluate("window.__tones") == tones_before_the_end
    expect(page.get_by_role("group", name="How much does your back hurt now?")).to_have_count(0)
    expect(page.locator("main").get_by_role("button")).to_have_count(0)
    assert_accessible(page, paused_clock=True)

    wait_until(page, PENDING_EMPTY)
    practice = Practice.objects.get()
    assert practice.person == person
    assert practice.status == "completed"
    assert (practice.pain_before, practice.tension_before) == (6, 7)
    assert (practice.pain_after, practice.tension_after) == (None, None)
    assert [(s.planned_seconds, s.done_seconds) for s in practice.steps.all()] == [(300, 300)]
    assert (practice.ended_at - practice.started_at).total_seconds() >= 300 + 120

    page.clock.run_for(600_000)  # the quiet lasts
    assert spoken(page) == step_speech(page)
    assert page.evaluate("window.__tones") == tones_before_the_end
    assert Practice.objects.count() == 1


# How opaque an element looks: its own opacity times its ancestors'.
OPACITY = """(id) => {
  let opacity = 1;
  for (let e = document.getElementById(id); e; e = e.parentElement) {
    opacity *= Number(getComputedStyle(e).opacity);
  }
  return opacity;
}"""


def assert_only_a_dim_timer_shows(page: Page) -> None:
    expect(page.locator("#player[data-quiet]")).to_be_attached()
    page.evaluate("document.getAnimations().forEach((fade) => fade.finish())")  # to black
    for hidden in ("step-name", "step-count", "cue-text", "progress", "pause", "end"):
        assert page.evaluate(OPACITY, hidden) == 0, hidden
    assert page.evaluate(OPACITY, "timer") == 1
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    timer = page.evaluate("getComputedStyle(document.getElementById('timer')).color")
    assert background == "rgb(0, 0, 0)"
    assert timer == "rgb(102, 110, 120)"  # dim: about 4:1 against the black
    expect(page.locator(".site-header")).to_be_hidden()


def assert_a_stray_hand_presses_nothing(page: Page) -> None:
    """A stray hand on the dark screen presses nothing, not even where End is, and shows
    everything for a while."""
    end = page.locator("#end").bounding_box()
    page.mouse.click(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2)
    expect(page.locator("#player[data-quiet]")).to_have_count(0)
    assert page.locator("#player").get_attribute("data-phase") == "running"
    page.clock.run_for(7_000)
    expect(page.locator("#player[data-quiet]")).to_be_attached()


@pytest.mark.django_db(transaction=True)
def test_a_routine_not_for_bedtime_closes_with_words_and_asks_how_it_went(page: Page, site, person):
    log_in(page, site, person)
    start_desk_break(page, site)
    page.clock.run_for(185_000)  # into the last step (10 + 180 s in all)
    expect(page.locator("#step-count")).to_contain_text("Step 4 of 4")
    tones_before_the_end = page.evaluate("window.__tones")
    page.clock.run_for(10_000)

    expect(page.get_by_role("heading", name="Well done")).to_be_visible()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    assert spoken(page) == [*step_speech(page), routine_script(page)["endCue"]]
    # Words for going back to work, not to sleep.
    assert spoken(page)[-1].startswith("That is the end of the routine. Well done.")
    assert "Sit back down" in spoken(page)[-1]
    assert "sleep" not in spoken(page)[-1].lower()
    assert page.evaluate("window.__tones") == tones_before_the_end + TONES_PER_CHIME
    assert_accessible(page, paused_clock=True)

    page.get_by_role("group", name="How much does your back hurt now?").get_by_role(
        "button", name="3", exact=True
    ).click()
    expect(page.get_by_text("Thank you.")).to_be_visible()
    practice = Practice.objects.get()
    assert practice.status == "completed"
    assert (practice.pain_before, practice.pain_after) == (6, 3)
    assert_accessible(page, paused_clock=True)

    page.get_by_role("link", name="See your practices").click()
    expect(page.get_by_role("heading", name="Your practices")).to_be_visible()
    expect(page.get_by_text("Pain 6 → 3")).to_be_visible()
    assert_accessible(page, paused_clock=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("path", "conditions"),
    [
        ("/play/tonight/", []),
        ("/play/bedtime-massage-and-stretch/", []),
        ("/play/bedtime-massage-and-stretch/", ["hip-replacement"]),  # with a left-out notice
    ],
)
def test_start_is_on_the_first_screen_of_a_phone(page: Page, site, person, path, conditions):
    conditions_save(person=person, keys=conditions)
    log_in(page, site, person)
    page.goto(site + path)
    expect(page.locator("#player[data-ready=true]")).to_be_attached()
    if conditions:
        expect(page.get_by_text("Left out because of your health conditions")).to_be_visible()
    start = page.get_by_role("button", name="Start").bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert start["y"] >= 0 and start["y"] + start["height"] <= page.viewport_size["height"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_bedtime_routine_finished_offline_is_uploaded_once_when_back_online(
    page: Page, site, person, page_problems
):
    page_problems.allow("ERR_INTERNET_DISCONNECTED")
    log_in(page, site, person)
    start_tonight(page, site)
    page.context.set_offline(True)
    page.clock.run_for(320_000)
    expect(page.get_by_role("heading", name="Sleep well")).to_be_visible()
    expect(page.get_by_text("Saved on this phone")).to_be_visible()
    assert Practice.objects.count() == 0

    page.context.set_offline(False)
    wait_until(page, PENDING_EMPTY)
    practice = Practice.objects.get()
    assert practice.status == "completed"
    assert (practice.pain_before, practice.pain_after) == (6, None)

    # Later visits find nothing left to send, and nothing is recorded twice.
    page.goto(site + "/play/history/")
    page.reload()
    expect(page.get_by_text("Pain 6 → – · Tension 7 → –")).to_be_visible()
    assert Practice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_rating_given_offline_is_uploaded_after_its_practice_once_back_online(
    page: Page, site, person, page_problems
):
    page_problems.allow("ERR_INTERNET_DISCONNECTED")
    log_in(page, site, person)
    start_desk_break(page, site)
    page.context.set_offline(True)
    page.clock.run_for(200_000)
    expect(page.get_by_text("Saved on this phone")).to_be_visible()
    assert Practice.objects.count() == 0
    page.get_by_role("group", name="How much does your back hurt now?").get_by_role(
        "button", name="2", exact=True
    ).click()

    page.context.set_offline(False)
    wait_until(page, PENDING_EMPTY)
    practice = Practice.objects.get()
    assert (practice.pain_before, practice.pain_after) == (6, 2)

    # Later visits find nothing left to send, and nothing is recorded twice.
    page.goto(site + "/play/history/")
    page.reload()
    expect(page.get_by_text("Pain 6 → 2")).to_be_visible()
    assert Practice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_skip_back_and_end_by_keyboard_record_an_abandoned_practice(page: Page, site, person):
    log_in(page, site, person)
    page.add_init_script(CAPTURE)
    pause_page_clock(page)
    page.goto(site + "/play/bedtime-massage-and-stretch/")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(15_000)
    first = page.locator("#step-name").inner_text()
    page.keyboard.press("ArrowRight")
    page.clock.run_for(1_000)
    second = page.locator("#step-name").inner_text()
    assert second != first or page.locator("#step-count").inner_text().startswith("Step 2")
    page.keyboard.press("ArrowLeft")
    page.clock.run_for(1_000)
    expect(page.locator("#step-count")).to_contain_text("Step 1")
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", name="Stopped early")).to_be_visible()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    practice = Practice.objects.get()
    assert practice.status == "abandoned"
    assert sum(step.done_seconds for step in practice.steps.all()) < 30


@pytest.mark.django_db(transaction=True)
def test_the_player_works_offline_after_one_visit(page: Page, site, person, page_problems):
    page_problems.allow("ERR_INTERNET_DISCONNECTED")
    log_in(page, site, person)
    page.goto(site + "/play/tonight/")
    wait_until(page, "document.documentElement.dataset.offlineReady === 'true'")
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Bedtime back self-massage")).to_be_visible()
    expect(page.locator("#player[data-ready=true]")).to_be_attached()


@pytest.mark.django_db(transaction=True)
def test_a_practice_finished_after_the_session_expired_waits_for_the_next_log_in(
    page: Page, site, person, page_problems
):
    page_problems.allow("401")
    page_problems.allow("403")
    log_in(page, site, person)
    start_tonight(page, site)
    page.context.clear_cookies(name="sessionid")  # the session ends while the routine runs
    page.clock.run_for(320_000)
    expect(page.get_by_text("Saved on this phone")).to_be_visible()
    assert Practice.objects.count() == 0
    log_in(page, site, person)
    page.goto(site + "/play/history/")
    wait_until(page, PENDING_EMPTY)
    assert Practice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_screen_is_kept_on_only_while_the_person_wants_it(page: Page, site, person):
    log_in(page, site, person)
    open_player(page, site, "/play/desk-break/", "Desk break")
    keep_on = page.get_by_label("Keep the screen on")
    expect(keep_on).to_be_checked()  # browser speech stops when the phone locks
    keep_on.uncheck()
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(20_000)
    assert page.evaluate("window.__wakeLocks") == 0
    page.keyboard.press("Space")
    page.keyboard.press("Space")  # resumed: still not kept on
    page.clock.run_for(2_000)
    assert page.evaluate("window.__wakeLocks") == 0

    # Remembered on this phone.
    page.goto(site + "/play/desk-break/")
    expect(page.get_by_label("Keep the screen on")).not_to_be_checked()
    page.get_by_label("Keep the screen on").check()
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(2_000)
    assert page.evaluate("window.__wakeLocks") >= 1
