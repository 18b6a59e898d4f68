"""Player benchmark: time from navigation start until player.js has run, cold and warm."""

from __future__ import annotations

from browser import chromium, new_context, page_errors, wait_for_service_worker
from context import Context
from figures import BenchError, Figure, median, spread
from player_page import open_player, player_session
from processes import HOST
from registry import benchmark

# When `#player[data-ready="true"]` first appears (player.js sets it as its last statement;
# a MutationObserver callback runs as a microtask right after the module has run).
READY_PROBE = """
(() => {
  const mark = () => {
    const root = document.getElementById("player");
    if (window.__readyAt === undefined && root && root.dataset.ready === "true") {
      window.__readyAt = performance.now();
    }
  };
  new MutationObserver(mark).observe(document, {
    subtree: true, attributes: true, attributeFilter: ["data-ready"],
  });
})();
"""


def ready_timings(page) -> dict:
    return page.evaluate(
        """() => {
          const nav = performance.getEntriesByType("navigation")[0] || {};
          return {
            ready: window.__readyAt ?? null,
            responseStart: nav.responseStart ?? null,
            responseEnd: nav.responseEnd ?? null,
            domContentLoaded: nav.domContentLoadedEventEnd ?? null,
            // workerStart is 0 unless a service worker answered the navigation itself
            bySW: (nav.workerStart ?? 0) > 0,
          };
        }"""
    )


def load_and_time(page, base: str) -> dict:
    open_player(page, base)
    # Polled from here: the page's CSP forbids the eval behind wait_for_function.
    for _ in range(50):
        if page.evaluate("window.__readyAt !== undefined"):
            break
        page.wait_for_timeout(100)
    timings = ready_timings(page)
    if timings["ready"] is None:
        raise BenchError("the player became ready but the probe saw no time")
    return timings


@benchmark("player_ready", suite="player")
def player_ready(ctx: Context) -> list[Figure]:
    """Navigation start until player.js has run (`#player[data-ready]`), cold and warm."""
    port, cookie = player_session(ctx)
    base = f"http://{HOST}:{port}"
    loads = ctx.n(10, 3)
    cold: list[dict] = []
    warm: list[dict] = []
    errors: list[str] = []
    with chromium() as browser:
        ctx.say(f"player ready: {loads} cold loads, each in a fresh context")
        for _ in range(loads):
            context = new_context(browser, base, cookie, READY_PROBE)
            try:
                page = context.new_page()
                errors += page_errors(page)
                cold.append(load_and_time(page, base))
            finally:
                context.close()

        ctx.say(f"player ready: {loads} warm loads in one context")
        context = new_context(browser, base, cookie, READY_PROBE)
        try:
            page = context.new_page()
            errors += page_errors(page)
            load_and_time(page, base)
            sw_state = wait_for_service_worker(page)
            load_and_time(page, base)  # the first load the service worker answers
            for _ in range(loads):
                warm.append(load_and_time(page, base))
        finally:
            context.close()

    for error in dict.fromkeys(errors):
        ctx.problems.append(f"player_ready: {error}")

    def note(samples: list[dict]) -> str:
        ready = [s["ready"] for s in samples]
        parts = [spread(ready, "{:.0f}")]
        for key, label in (
            ("responseEnd", "HTML received"),
            ("domContentLoaded", "DOMContentLoaded"),
        ):
            values = [s[key] for s in samples if s[key] is not None]
            if values:
                parts.append(f"{label} at {median(values):.0f} ms")
        by_sw = sum(1 for s in samples if s["bySW"])
        parts.append(f"{by_sw} of {len(samples)} navigations answered by the service worker")
        return "; ".join(parts)

    return [
        Figure(
            "player.ready.cold",
            "player page: navigation start to `#player[data-ready]`, fresh context "
            "(no cache, no service worker)",
            median(s["ready"] for s in cold),
            "ms",
            len(cold),
            note=note(cold),
        ),
        Figure(
            "player.ready.warm",
            "the same, repeat loads in one context (HTTP cache and service worker warm)",
            median(s["ready"] for s in warm),
            "ms",
            len(warm),
            note=f"{note(warm)}; service worker: {sw_state}",
        ),
    ]
