"""Headless Chromium driven by Playwright's sync API, as the browser benchmarks use it:
Debian's Chromium with the browser tests' flags, a phone-sized context holding a session
cookie, a page's errors, and waiting for the service worker."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from figures import BenchError

CHROMIUM = os.environ.get("BACKCOACH_CHROMIUM", "/usr/bin/chromium")
# As in tests/browser/conftest.py: closed networks make Chromium's background services
# fail loudly, so they are switched off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 20_000


# Browser ---------------------------------------------------------------------------------
@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless Chromium, closed (with Playwright's driver) however the block ends."""
    if not Path(CHROMIUM).exists():
        raise BenchError(
            f"Chromium is missing at {CHROMIUM}: `make bench` installs Debian's chromium "
            f"package (scripts/ensure-chromium), or set BACKCOACH_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser, base: str, cookie: str, *init_scripts: str):
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/Berlin")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    for script in init_scripts:
        context.add_init_script(script)
    return context


def page_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    return errors


def wait_for_service_worker(page) -> str:
    """Wait until the service worker is active and controls the page; return its state."""
    return page.evaluate(
        """async () => {
          if (!("serviceWorker" in navigator)) return "no serviceWorker in navigator";
          const deadline = performance.now() + 15000;
          const registration = await Promise.race([
            navigator.serviceWorker.ready,
            new Promise((resolve) => setTimeout(() => resolve(null), 15000)),
          ]);
          if (!registration) return "no active service worker after 15 s";
          while (!navigator.serviceWorker.controller && performance.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          return navigator.serviceWorker.controller ? "controlling" : "active, not controlling";
        }"""
    )
