"""Browser journeys: Playwright (Python) driving Debian's Chromium against a live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in this thread; Django's ORM, used by the tests
# to check what the server stored, would refuse to run beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright

from tests.browser.checks import PageProblems

CHROMIUM = os.environ.get("BACKCOACH_CHROMIUM", "/usr/bin/chromium")
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
    set_offline = context.set_offline

    def offline_too(offline: bool) -> None:
        # Cut off, the browser's own update check of the service worker may fail: that is
        # the browser's doing, not the page's (whose failed requests each test allows).
        if offline:
            problems.allow("An unknown error occurred when fetching the script")
        set_offline(offline)

    context.set_offline = offline_too
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


@pytest.fixture
def screened_person(transactional_db):
    """Nia, with the shipped library loaded and the safety check answered: ready to play."""
    from backcoach.library import content, services
    from backcoach.safety.services import screen_record
    from tests.factories import make_person

    services.library_load(library=content.load_library())
    person = make_person(email="night@example.org", name="Nia")
    screen_record(person=person, answers={}, reason="signup")
    return person
