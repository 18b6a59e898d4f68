"""Browser journeys: Playwright (Python) driving Debian's Chromium against a live server."""

import json
import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in this thread; Django's ORM, used by the tests
# to check what the server stored, would refuse to run beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, sync_playwright

CHROMIUM = os.environ.get("BACKCOACH_CHROMIUM", "/usr/bin/chromium")
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
PHONE = {"width": 390, "height": 844}
# Closed networks make Chromium's background services fail loudly; switch them off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run `make test`, which installs "
            f"Debian's chromium package, or set BACKCOACH_CHROMIUM"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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


@pytest.fixture
def context(browser, request):
    options = {"viewport": PHONE, "locale": "en-GB", "timezone_id": "Europe/Berlin"}
    options.update(getattr(request, "param", {}))
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page_and_problems(context):
    page = context.new_page()
    problems = PageProblems(page)
    yield page, problems
    assert problems.messages == [], "the page logged errors:\n" + "\n".join(problems.messages)


@pytest.fixture
def page(page_and_problems):
    return page_and_problems[0]


@pytest.fixture
def page_problems(page_and_problems):
    return page_and_problems[1]


@pytest.fixture
def site(live_server):
    return live_server.url


def assert_accessible(page: Page) -> None:
    """Runs axe-core on the page as it is now; any violation fails the test."""
    # Evaluated through DevTools, not injected as a <script>: the page's CSP stays in force.
    page.evaluate(AXE)
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
    )
    assert result == [], f"axe found violations on {page.url}:\n" + json.dumps(result, indent=2)
