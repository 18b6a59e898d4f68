"""What every browser journey checks on its pages: no console errors or CSP violations,
and no accessibility violation that axe-core can find."""

import json
from pathlib import Path

from playwright.sync_api import Page

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


class PageProblems:
    """Console errors and Content-Security-Policy violations seen while a page ran."""

    def __init__(self, page: Page):
        self.page = page
        self.messages: list[str] = []
        self.allowed: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"page error: {error}"))

    def _console(self, message):
        if message.type != "error":
            return
        # A 404 or 429 page is what some tests ask for; they check its content themselves.
        # A missing script, style or image on a page is still an error.
        own_status = message.text.startswith("Failed to load resource") and (
            message.location.get("url") == self.page.url
        )
        if not own_status and not any(text in message.text for text in self.allowed):
            self.messages.append(f"console error: {message.text} ({message.location})")

    def allow(self, text: str) -> None:
        """A test that cuts the network expects failed requests; it says so here."""
        self.allowed.append(text)


# Violations as plain values: the rule, its impact and help, and where (at most five places).
AXE_RUN = (
    "axe.run(document, {resultTypes: ['violations']})"
    ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
    " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
)


def axe_violations(page: Page, *, paused_clock: bool = False) -> list[dict]:
    """What axe-core finds on the page as it is meant to be now: every CSS transition and
    animation first brought to its end (they run on the real clock, not the page clock a
    test moves, so a 2 s fade could otherwise be measured half-way).

    `paused_clock`: the test paused the page clock (`page.clock.pause_at`), so that the page
    changes only when the test moves it. axe's own `setTimeout(0)` waits for that clock too,
    so it is moved on a millisecond at a time until axe answers; the page's own timers, due
    hundreds of milliseconds apart, stay where the test put them."""
    page.evaluate(
        "() => { for (const a of document.getAnimations()) {"
        " try { a.finish(); } catch (e) { /* an endless animation has no end */ } } }"
    )
    # Evaluated through DevTools, not injected as a <script>: the page's CSP stays in force.
    page.evaluate(AXE)
    if not paused_clock:
        return page.evaluate(f"() => {AXE_RUN}")
    page.evaluate(
        f"() => {{ window.__axeFound = null; {AXE_RUN}.then(v => (window.__axeFound = v)); }}"
    )
    for _ in range(200):
        page.clock.run_for(1)
        found = page.evaluate("window.__axeFound")
        if found is not None:
            return found
    raise AssertionError("axe did not finish within 200 ms of the paused page clock")


def assert_accessible(page: Page, *, paused_clock: bool = False) -> None:
    """Runs axe-core on the page as it is now (see `axe_violations`); any violation fails
    the test."""
    result = axe_violations(page, paused_clock=paused_clock)
    assert result == [], f"axe found violations on {page.url}:\n" + json.dumps(result, indent=2)
