"""Tonight's routine, hands-free: every cue spoken once and in order, recorded once."""

import datetime as dt

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from backcoach.library import content, services
from backcoach.player.models import Practice
from backcoach.safety.services import screen_record
from tests.browser.checks import assert_accessible
from tests.factories import make_person

# Records what the page asks the browser to say, and whether it keeps the screen awake.
CAPTURE = """
window.__spoken = [];
window.__wakeLocks = 0;
speechSynthesis.speak = (utterance) => window.__spoken.push(utterance.text);
speechSynthesis.cancel = () => {};
if (navigator.wakeLock) {
  const request = navigator.wakeLock.request.bind(navigator.wakeLock);
  navigator.wakeLock.request = (kind) => { window.__wakeLocks += 1; return request(kind); };
}
"""


@pytest.fixture
def person(transactional_db):
    services.library_load(library=content.load_library())
    person = make_person(email="night@example.org", name="Nia")
    screen_record(person=person, answers={}, reason="signup")
    return person


def log_in(page: Page, site: str, person) -> None:
    client = Client()
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


def expected_speech(page: Page) -> list[str]:
    script = page.evaluate("JSON.parse(document.getElementById('routine-script').textContent)")
    said = [script["leadInCue"]]
    for step in script["steps"]:
        said += [cue["say"] for cue in step["cues"]]
    return [*said, script["endCue"]]


def start_tonight(page: Page, site: str) -> None:
    page.add_init_script(CAPTURE)
    # The page's clock starts 20 minutes ago, so the routine ends in the past, not the future.
    page.clock.install(time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20))
    page.goto(site + "/play/tonight/")
    expect(page.get_by_role("heading", name="Bedtime back self-massage")).to_be_visible()
    expect(page.locator("#player[data-ready=true]")).to_be_attached()
    assert_accessible(page)
    page.get_by_role("group", name="How much does your back hurt right now?").get_by_role(
        "button", name="6", exact=True
    ).click()
    page.get_by_role("group", name="How tense does it feel?").get_by_role(
        "button", name="7", exact=True
    ).click()
    expect(page.get_by_role("button", name="Start")).to_be_focused()
    page.get_by_role("button", name="Start").click()


@pytest.mark.django_db(transaction=True)
def test_tonights_routine_is_spoken_hands_free_and_recorded(page: Page, site, person):
    log_in(page, site, person)
    start_tonight(page, site)
    page.clock.run_for(40_000)
    expect(page.locator("#step-name")).to_have_text("Bedtime back self-massage")
    assert page.evaluate("window.__wakeLocks") >= 1
    assert_accessible(page)

    page.keyboard.press("Space")  # pause
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    spoken_while_running = page.evaluate("window.__spoken.length")
    page.clock.run_for(120_000)
    assert page.evaluate("window.__spoken.length") == spoken_while_running
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(300_000)

    expect(page.get_by_role("heading", name="Well done")).to_be_visible()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    spoken = [text for text in page.evaluate("window.__spoken") if text != "Resuming."]
    assert spoken == expected_speech(page)
    assert page.evaluate("window.__spoken").count("Resuming.") == 1

    practice = Practice.objects.get()
    assert practice.person == person
    assert practice.status == "completed"
    assert (practice.pain_before, practice.tension_before) == (6, 7)
    assert [(s.planned_seconds, s.done_seconds) for s in practice.steps.all()] == [(300, 300)]
    assert (practice.ended_at - practice.started_at).total_seconds() >= 300 + 120

    page.get_by_role("group", name="How much does your back hurt now?").get_by_role(
        "button", name="3", exact=True
    ).click()
    expect(page.get_by_text("Thank you.")).to_be_visible()
    practice.refresh_from_db()
    assert practice.pain_after == 3
    assert_accessible(page)

    page.get_by_role("link", name="See your practices").click()
    expect(page.get_by_role("heading", name="Your practices")).to_be_visible()
    expect(page.get_by_text("Pain 6 → 3")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_routine_finished_offline_is_uploaded_once_when_back_online(
    page: Page, site, person, page_problems
):
    page_problems.allow("ERR_INTERNET_DISCONNECTED")
    log_in(page, site, person)
    start_tonight(page, site)
    page.context.set_offline(True)
    page.clock.run_for(320_000)
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
    page.clock.install(time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20))
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
