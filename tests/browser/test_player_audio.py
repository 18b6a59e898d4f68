"""The routine as an audio track in Chromium: it plays hands-free with the step on the lock
screen, goes on with the page hidden (the phone locked), seeks for pause, skip and back,
records what it played once, plays offline, and gives way to browser speech if it cannot.

Tracks here are spoken by a fake voice (tone bursts, tests/player/audio_helpers.py), which
renders in a fraction of a second; tests/player/test_track_voices.py renders the real one.
"""

import pytest
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from backcoach.player import selectors, tasks
from backcoach.player.audio import track as tracks
from backcoach.player.models import Practice
from backcoach.safety.services import screen_record
from tests.browser.checks import assert_accessible
from tests.browser.test_player_journey import CAPTURE, PENDING_EMPTY, log_in, wait_until
from tests.factories import make_person, make_routine, make_technique

# A locked phone runs no timers: with __frozen set, the page's setInterval and setTimeout
# callbacks are dropped, and only the audio element's own events reach the page.
FREEZE = """
window.__frozen = false;
for (const name of ["setInterval", "setTimeout"]) {
  const real = window[name];
  window[name] = (callback, ms, ...args) =>
    real((...given) => { if (!window.__frozen) callback(...given); }, ms, ...args);
}
"""
HIDE = """() => {
  window.__frozen = true;
  Object.defineProperty(document, "hidden", { value: true, configurable: true });
  Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
}"""
POSITION = "document.getElementById('track').currentTime"
MEDIA = """() => {
  const m = navigator.mediaSession.metadata;
  return m && { title: m.title, artist: m.artist, album: m.album, art: m.artwork.length };
}"""


@pytest.fixture
def person(transactional_db):
    person = make_person(email="night@example.org", name="Nia")
    screen_record(person=person, answers={}, reason="signup")
    return person


def short_routine(*, purpose="bedtime", steps=1, duration=20, **fields):
    """Lights out: 10 s of lead-in, then `duration` seconds a step, each with two cues."""
    techniques = [
        make_technique(
            name=f"Back massage {n}",
            cues=[{"at": 0, "say": "Hands under your back."}, {"at": 8, "say": "Press gently."}],
        )
        for n in range(1, steps + 1)
    ]
    return make_routine(
        slug="lights-out",
        name="Lights out",
        purpose=purpose,
        techniques=techniques,
        duration=duration,
        **fields,
    )


def render(person, routine, voice) -> str:
    """Renders the routine's track as the worker would; returns its URL."""
    script = selectors.playable_routine(person, routine).script
    name = tasks.render_track.call(spoken=tracks.spoken_script(script), voice=voice.name)
    return f"/play/tracks/{name}.mp3"


def open_player(page: Page, site: str, path: str = "/play/lights-out/") -> None:
    page.add_init_script(CAPTURE)
    page.add_init_script(FREEZE)
    page.goto(site + path)
    expect(page.locator("#player[data-ready=true]")).to_be_attached()


TRACK_STATE = """() => {
  const t = document.getElementById('track');
  const spans = [];
  for (let i = 0; i < t.buffered.length; i++) spans.push([t.buffered.start(i), t.buffered.end(i)]);
  return { at: t.currentTime, paused: t.paused, seeking: t.seeking, ready: t.readyState,
    network: t.networkState, error: t.error && t.error.code, buffered: spans,
    controlled: Boolean(navigator.serviceWorker.controller),
    phase: document.getElementById('player').dataset.phase };
}"""


def at_least(page: Page, seconds: float, within: float = 20) -> None:
    try:
        wait_until(page, f"{POSITION} >= {seconds}", within)
    except AssertionError as stuck:
        raise AssertionError(f"{stuck}; the track: {page.evaluate(TRACK_STATE)}") from None


@pytest.mark.django_db(transaction=True)
def test_the_track_plays_on_with_the_page_hidden_and_the_practice_is_recorded_once(
    page: Page, site, person, voice
):
    routine = short_routine(duration=10)
    url = render(person, routine, voice)
    log_in(page, site, person)
    open_player(page, site)
    assert page.locator("#track").get_attribute("src") == url
    assert page.locator("#track").get_attribute("preload") == "none"
    # With the track the screen may sleep: off unless the person asks for it.
    expect(page.get_by_label("Keep the screen on")).not_to_be_checked()
    expect(page.get_by_text("The voice keeps going with the screen off")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Start").click()
    # Twice as fast, and no faster: the server refuses a practice whose steps took longer
    # than the time between its start and end.
    page.evaluate("document.getElementById('track').playbackRate = 2")
    at_least(page, 1)
    assert page.evaluate(MEDIA) == {
        "title": "Get ready",
        "artist": "backcoach",
        "album": "Lights out",
        "art": 1,
    }
    at_least(page, 11)
    expect(page.locator("#step-count")).to_have_text("Step 1 of 1")
    assert page.evaluate(MEDIA)["title"] == "Back massage 1"
    assert page.evaluate(MEDIA)["artist"] == "Step 1 of 1"
    assert page.evaluate("navigator.mediaSession.playbackState") == "playing"
    # The timer shows the time left in the step from the track's position.
    left = int(page.locator("#timer").inner_text().split(":")[1])
    assert abs(left - (20 - page.evaluate(POSITION))) <= 1.5
    # The track speaks and rings: the browser is asked for neither, nor to keep the screen on.
    assert page.evaluate("window.__spoken") == []
    assert page.evaluate("window.__tones") == 0
    assert page.evaluate("window.__wakeLocks") == 0

    page.evaluate(HIDE)  # the phone locks: no timers from here on
    before = page.evaluate(POSITION)
    page.wait_for_timeout(1_000)
    assert page.evaluate(POSITION) >= before + 1.5  # at twice the speed
    # It ends and is recorded with nobody touching it, on the track's own events.
    wait_until(page, "document.getElementById('player').dataset.phase === 'after'", 20)
    wait_until(page, PENDING_EMPTY)
    practice = Practice.objects.get()
    assert practice.status == "completed"
    assert [(s.planned_seconds, s.done_seconds) for s in practice.steps.all()] == [(10, 10)]
    expect(page.get_by_role("heading", name="Sleep well")).to_be_attached()
    expect(page.get_by_role("group", name="How much does your back hurt now?")).to_have_count(0)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    # The ended track is let go: the lock screen cannot start it again.
    wait_until(page, "!document.getElementById('track').hasAttribute('src')")
    assert page.evaluate("navigator.mediaSession.metadata") is None
    page.wait_for_timeout(1_000)
    assert Practice.objects.count() == 1
    assert page.evaluate("window.__spoken") == []


@pytest.mark.django_db(transaction=True)
def test_pause_skip_and_back_seek_in_the_track_and_only_what_played_is_recorded(
    page: Page, site, person, voice
):
    routine = short_routine(purpose="anytime", steps=2)  # 10 + 20 + 20 s, closing words
    render(person, routine, voice)
    log_in(page, site, person)
    open_player(page, site)
    page.get_by_role("button", name="Start").click()
    at_least(page, 1)

    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    assert page.evaluate("document.getElementById('track').paused")
    held = page.evaluate(POSITION)
    page.wait_for_timeout(600)
    assert page.evaluate(POSITION) == held
    assert page.evaluate("navigator.mediaSession.playbackState") == "paused"
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_role("button", name="Pause")).to_be_attached()

    page.keyboard.press("ArrowRight")  # to step 1
    expect(page.locator("#step-count")).to_have_text("Step 1 of 2")
    assert 10 <= page.evaluate(POSITION) < 11
    page.keyboard.press("ArrowRight")  # to step 2
    expect(page.locator("#step-count")).to_have_text("Step 2 of 2")
    assert 30 <= page.evaluate(POSITION) < 31
    page.keyboard.press("ArrowLeft")  # just begun: back to step 1
    expect(page.locator("#step-count")).to_have_text("Step 1 of 2")
    assert 10 <= page.evaluate(POSITION) < 11
    at_least(page, 12)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # past the last step: completed
    expect(page.get_by_role("heading", name="Well done")).to_be_visible()
    # Its closing words are in the track after the routine: it plays on to say them.
    assert page.evaluate("!document.getElementById('track').paused")
    wait_until(page, PENDING_EMPTY)
    practice = Practice.objects.get()
    assert practice.status == "completed"
    done = [s.done_seconds for s in practice.steps.all()]
    assert done[0] in (2, 3) and done[1] == 0, done  # what the track played, no more
    assert page.evaluate("window.__spoken") == []
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_after_one_online_visit_the_track_plays_offline_from_the_service_worker(
    page: Page, site, person, voice, page_problems
):
    page_problems.allow("ERR_INTERNET_DISCONNECTED")
    page_problems.allow("status of 416")  # asked for below, on purpose
    routine = short_routine(is_default=True)
    url = render(person, routine, voice)
    log_in(page, site, person)
    # The home page keeps tonight's routine for offline use, and now its track too.
    page.goto(site + "/")
    kept = f"caches.open('backcoach-tracks').then((c) => c.match('{url}')).then(Boolean)"
    wait_until(page, kept, 20)

    page.context.set_offline(True)
    open_player(page, site)
    # Byte ranges from the cache, as Safari asks for them.
    ranged = page.evaluate(
        """async (url) => {
          const answers = [];
          for (const range of ["bytes=0-99", "bytes=-10", "bytes=99999999-", "bytes=x"]) {
            const r = await fetch(url, { headers: { Range: range } });
            const bytes = (await r.arrayBuffer()).byteLength;
            answers.push([r.status, r.headers.get("Content-Range"), bytes]);
          }
          return answers;
        }""",
        url,
    )
    size = ranged[3][2]
    assert size > 100_000
    assert ranged == [
        [206, f"bytes 0-99/{size}", 100],
        [206, f"bytes {size - 10}-{size - 1}/{size}", 10],
        [416, f"bytes */{size}", 0],
        [200, None, size],
    ]
    page.get_by_role("button", name="Start").click()
    at_least(page, 1.5)
    assert page.evaluate("window.__spoken") == []  # the track, not the browser's voice


@pytest.mark.django_db(transaction=True)
def test_a_track_that_cannot_play_gives_way_to_the_browsers_speech(
    page: Page, site, person, voice, page_problems, tmp_path
):
    page_problems.allow("404")
    routine = short_routine()
    render(person, routine, voice)
    log_in(page, site, person)
    open_player(page, site)
    for path in (tmp_path / "tracks").glob("*.mp3"):
        path.unlink()  # gone since the page loaded, and never kept
    page.get_by_role("button", name="Start").click()
    wait_until(page, "window.__spoken.length > 0")
    assert page.evaluate("window.__spoken")[0].startswith("Get ready. First: Back massage 1.")
    expect(page.locator("#step-count")).to_have_text("Get ready")
    assert page.evaluate("document.getElementById('track').hasAttribute('src')") is False
    # Speech stops when the phone locks: the screen is kept on for it again.
    assert page.evaluate("window.__wakeLocks") >= 1


@pytest.mark.parametrize("context", [{"service_workers": "block"}], indirect=True)
@pytest.mark.django_db(transaction=True)
def test_a_track_that_stands_still_is_nudged_then_gives_way_to_the_browsers_speech(
    page: Page, site, person, voice
):
    url = render(person, short_routine(), voice)
    asked = []
    # The track's data never comes: the request hangs, as on a network that dropped.
    page.route(f"**{url}", lambda route: asked.append(route.request.headers.get("range")))
    log_in(page, site, person)
    page.clock.install()
    open_player(page, site)
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(4_000)
    assert page.evaluate("window.__spoken") == []  # not yet: a moment's wait is no stall
    assert not page.evaluate("document.getElementById('track').paused")
    page.clock.run_for(12_000)  # nudged twice, 5 s apart, in vain
    wait_until(page, "window.__spoken.length > 0")
    assert page.evaluate("window.__spoken")[0].startswith("Get ready. First: Back massage 1.")
    assert page.evaluate("document.getElementById('track').hasAttribute('src')") is False
    assert len(asked) >= 1
    page.clock.run_for(12_000)  # the browser's voice goes on from where the track stood
    expect(page.locator("#step-count")).to_have_text("Step 1 of 1")


@pytest.mark.django_db(transaction=True)
def test_the_first_visit_asks_for_the_track_once_and_speaks_meanwhile(
    page: Page, site, person, voice
):
    short_routine()
    log_in(page, site, person)
    open_player(page, site)
    assert page.locator("#track").count() == 0
    for _ in range(50):  # the page's POST goes out once it is ready
        if DBTaskResult.objects.exists():
            break
        page.wait_for_timeout(100)
    page.reload()
    expect(page.locator("#player[data-ready=true]")).to_be_attached()
    page.wait_for_timeout(500)
    assert DBTaskResult.objects.count() == 1
    expect(page.get_by_label("Keep the screen on")).to_be_checked()


@pytest.mark.django_db(transaction=True)
def test_a_person_who_prefers_their_devices_voice_gets_it_and_it_is_remembered(
    page: Page, site, person, voice
):
    render(person, short_routine(), voice)
    log_in(page, site, person)
    open_player(page, site)
    page.get_by_text("Voice and sound").click()
    menu = page.get_by_label("Voice", exact=True)
    expect(menu).to_have_value("recorded")
    menu.select_option("")  # "Your device's default voice"
    # The device's voice stops when the phone locks: the screen is kept on for it.
    expect(page.get_by_label("Keep the screen on")).to_be_checked()
    page.get_by_role("button", name="Start").click()
    wait_until(page, "window.__spoken.length > 0")
    assert page.evaluate("window.__spoken")[0].startswith("Get ready. First: Back massage 1.")
    assert page.evaluate("document.getElementById('track').paused")
    assert page.evaluate(POSITION) == 0

    page.reload()
    expect(page.locator("#player[data-ready=true]")).to_be_attached()
    expect(page.get_by_label("Voice", exact=True)).to_have_value("")


@pytest.mark.django_db(transaction=True)
def test_a_track_that_ended_while_no_script_ran_is_recorded_as_ending_on_time(
    page: Page, site, person, voice
):
    """A locked iPhone may run no script at all: the track plays on, and the page hears of
    its end only when it wakes. Here the page is kept busy instead, past the track's end."""
    render(person, short_routine(duration=10), voice)
    log_in(page, site, person)
    open_player(page, site)
    page.get_by_role("button", name="Start").click()
    page.evaluate("document.getElementById('track').playbackRate = 2")
    at_least(page, 14)  # 3 s before the end at twice the speed
    page.evaluate("() => { const until = Date.now() + 8000; while (Date.now() < until); }")
    wait_until(page, "document.getElementById('player').dataset.phase === 'after'")
    wait_until(page, PENDING_EMPTY)
    practice = Practice.objects.get()
    lasted = (practice.ended_at - practice.started_at).total_seconds()
    assert 9 <= lasted <= 12, lasted  # 20 s of track at twice the speed, not 10 + 5 s more
    assert [s.done_seconds for s in practice.steps.all()] == [10]
