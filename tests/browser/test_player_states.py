"""The player page audited in each of its states, every one put in place on purpose.

Each state is reached under a paused page clock, which moves only when the test moves it,
and is recognised by what the page's script sets (`data-phase`, `data-quiet`,
`aria-pressed`), never by sleeping. axe then runs with every CSS transition brought to its
end (`checks.axe_violations`). So an audit can neither land half-way through the fade into
the dimmed state nor see that fade begin while it runs: the bedtime journey once failed on
`color-contrast` for exactly that.

What the dimmed state may be (`data-quiet`: a routine playing and nobody touching the
phone). It is for a person falling asleep, so it shows one thing, the time left, and dim:
dimmed by a colour chosen for it (#666e78, 4.1:1 on black, above the 3:1 that text of its
size, 4 rem and more, needs), not by an opacity, so it stays readable to the rule whatever
lies beneath. Everything else is not shown at all: faded to nothing and out of reach of a
stray hand, so no half-readable text is left on the screen. It is hidden from the eye only,
not from assistive technology: a blind person, or one who chose Silent, still gets each
cue (a polite live region) and can reach Pause and End without first waking a screen they
cannot see. A touch shows everything again and presses nothing; the first key or focus
shows it too (the routine's own keys, Space, the arrows and Esc, act at once as always). Hiding the
controls from assistive technology too (aria-hidden, inert) would have passed axe as well,
but would leave a screen-reader user in the dark with no Pause to find. What is refused is
text dimmed by opacity to somewhere in between, readable by no rule (the planted fault
below); the 2 s fade from one state to the other is a passage, not a state, and is not
audited half-way."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import assert_accessible, axe_violations
from tests.browser.test_player_journey import CAPTURE, OPACITY, log_in, pause_page_clock

# The parts of the running screen that the dimmed state takes away (it keeps the timer).
FADED = (
    "step-count",
    "step-name",
    "cue-text",
    "next-step",
    "progress",
    "back",
    "pause",
    "skip",
    "end",
)

HIDDEN_FROM_ASSISTIVE_TECH = (
    "(id) => Boolean(document.getElementById(id).closest('[aria-hidden=true], [inert]'))"
)
FINISH_FADES = "() => document.getAnimations().forEach((fade) => fade.finish())"


@pytest.fixture
def person(screened_person):
    return screened_person


def open_player(page: Page, site: str, person, path: str) -> None:
    """The player on a page clock paused 20 minutes ago (so the routine ends in the past):
    nothing on the page moves, not even the fade's timer, until the test moves the clock."""
    log_in(page, site, person)
    page.add_init_script(CAPTURE)
    pause_page_clock(page)
    page.goto(site + path)
    expect(page.locator("#player[data-ready=true]")).to_be_attached()


def opacities(page: Page, ids) -> dict[str, float]:
    page.evaluate(FINISH_FADES)
    return {id_: page.evaluate(OPACITY, id_) for id_ in ids}


def before_start(page: Page) -> None:
    """The first screen, with both folds open, so that what they hold is audited too."""
    page.get_by_text("Rate your pain first (optional)").click()
    page.get_by_text("Voice and sound").click()
    expect(page.get_by_role("group", name="How tense does it feel?")).to_be_visible()
    expect(page.get_by_label("Speed of speech")).to_be_visible()
    assert page.locator("#player").get_attribute("data-phase") == "before"


def dimmed(page: Page) -> None:
    """20 s into tonight's massage, 20 s after the last touch: only the timer shows."""
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(30_000)
    expect(page.locator("#player[data-phase=running][data-quiet]")).to_be_attached()
    expect(page.locator("#step-name")).to_have_text("Bedtime back self-massage")
    assert opacities(page, [*FADED, "timer"]) == {**dict.fromkeys(FADED, 0), "timer": 1}


def running(page: Page) -> None:
    """Dimmed, then a touch on the screen: the step, its cue and the controls show again."""
    dimmed(page)
    timer = page.locator("#timer").bounding_box()
    page.mouse.click(timer["x"] + timer["width"] / 2, timer["y"] + timer["height"] / 2)
    expect(page.locator("#player[data-phase=running]:not([data-quiet])")).to_be_attached()
    assert set(opacities(page, FADED).values()) == {1}
    assert page.locator("#cue-text").inner_text() != ""


def paused(page: Page) -> None:
    """Dimmed, then Space: paused, everything shows, and stays shown however long."""
    dimmed(page)
    page.keyboard.press("Space")
    expect(page.locator("#pause[aria-pressed=true]")).to_have_text("Resume")
    page.clock.run_for(60_000)
    expect(page.locator("#player[data-phase=running]:not([data-quiet])")).to_be_attached()
    assert set(opacities(page, FADED).values()) == {1}
    expect(page.locator("#cue-text")).to_have_text("Paused.")


def ended_at_bedtime(page: Page) -> None:
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(320_000)
    expect(page.locator("#player[data-phase=after]")).to_be_attached()
    expect(page.get_by_role("heading", name="Sleep well")).to_be_visible()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()


def stopped_early(page: Page) -> None:
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(30_000)
    page.keyboard.press("Escape")
    expect(page.locator("#player[data-phase=after]")).to_be_attached()
    expect(page.get_by_role("heading", name="Stopped early")).to_be_visible()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()


def ended_after_a_desk_break(page: Page) -> None:
    """Not a bedtime routine: it ends asking how it went."""
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(200_000)
    expect(page.locator("#player[data-phase=after]")).to_be_attached()
    expect(page.get_by_role("heading", name="Well done")).to_be_visible()
    expect(page.get_by_role("group", name="How much does your back hurt now?")).to_be_visible()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()


STATES = {
    "before Start": ("/play/tonight/", before_start),
    "running": ("/play/tonight/", running),
    "dimmed": ("/play/tonight/", dimmed),
    "paused": ("/play/tonight/", paused),
    "ended at bedtime": ("/play/tonight/", ended_at_bedtime),
    "stopped early": ("/play/tonight/", stopped_early),
    "ended after a desk break": ("/play/desk-break/", ended_after_a_desk_break),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("state", STATES)
def test_the_player_passes_the_audit_in_each_of_its_states(page: Page, site, person, state, theme):
    person.theme = theme
    person.save(update_fields=["theme"])
    path, put_in_place = STATES[state]
    open_player(page, site, person, path)
    put_in_place(page)
    assert_accessible(page, paused_clock=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("context", [{"reduced_motion": "reduce"}], indirect=True)
def test_the_dimmed_screen_passes_the_audit_with_no_fade_at_all(page: Page, site, person):
    """Reduced motion: the screen goes from all to the timer alone at once."""
    open_player(page, site, person, "/play/tonight/")
    dimmed(page)
    assert page.evaluate("document.getAnimations().length") == 0
    assert_accessible(page, paused_clock=True)


@pytest.mark.django_db(transaction=True)
def test_the_dimmed_screen_hides_from_the_eye_only(page: Page, site, person):
    """The cue and the controls are still there for a screen reader, and the first key
    shows them before it moves the focus."""
    open_player(page, site, person, "/play/tonight/")
    dimmed(page)
    for control in ("Back", "Pause", "Skip", "End"):
        expect(page.get_by_role("button", name=control, exact=True)).to_have_count(1)
    expect(page.locator("#cue-text[aria-live=polite]")).not_to_have_text("")
    for id_ in FADED:
        assert page.evaluate(HIDDEN_FROM_ASSISTIVE_TECH, id_) is False, id_
    page.keyboard.press("Tab")
    expect(page.locator("#player:not([data-quiet])")).to_be_attached()
    focused = page.evaluate("document.activeElement.id")
    assert focused in FADED
    assert opacities(page, [focused]) == {focused: 1}


@pytest.mark.django_db(transaction=True)
def test_a_screen_dimmed_to_half_is_refused(page: Page, site, person):
    """The planted fault: dimmed by opacity rather than hidden, the step's text stays on
    the screen too faint to read, and the audit in the dimmed state says so."""
    open_player(page, site, person, "/play/tonight/")
    page.evaluate("""() => {
        const half = new CSSStyleSheet();
        half.replaceSync('.player[data-quiet] .phase-running > :not(.timer) { opacity: 0.3; }');
        document.adoptedStyleSheets = [half];
    }""")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(30_000)
    expect(page.locator("#player[data-quiet]")).to_be_attached()
    found = axe_violations(page, paused_clock=True)
    contrast = [v for v in found if v["id"] == "color-contrast"]
    assert contrast, found
    assert {"#step-name", "#cue-text"} <= set(contrast[0]["nodes"])
