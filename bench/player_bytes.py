"""Player benchmark: the bytes the player page costs on a first and a repeat load.

Headless Chromium (bench/browser.py) loads the player page through a counting relay
(bench/network.py) as the first demo person, on the run's shared, seeded server.
"""

from __future__ import annotations

from browser import chromium, new_context, page_errors, wait_for_service_worker
from context import Context
from figures import Figure
from network import HASHED, KB, CountingProxy, NetworkLog, describe, uncompressed_text
from player_page import PLAYER_PATH, open_player, player_session
from processes import HOST
from registry import benchmark

FIRST_LOAD_BUDGET_KB = 150.0
REPEAT_LOAD_BUDGET_KB = 10.0


@benchmark("player_bytes", suite="player")
def player_bytes(ctx: Context) -> list[Figure]:
    """Bytes the player page transfers on a first and a repeat load (all assets, compressed)."""
    port, cookie = player_session(ctx)
    proxy = CountingProxy(port)
    base = f"http://{HOST}:{proxy.port}"
    try:
        with chromium() as browser:
            version = browser.version
            context = new_context(browser, base, cookie)
            page = context.new_page()
            errors = page_errors(page)
            log = NetworkLog(context, page)

            ctx.say("player bytes: first load in a fresh context")
            before = proxy.snapshot()
            open_player(page, base)
            sw_state = wait_for_service_worker(page)
            settled_first = proxy.wait_quiet()
            first_wire = proxy.snapshot() - before
            first = log.collect()

            ctx.say("player bytes: repeat load in the same context")
            log.clear()
            before = proxy.snapshot()
            open_player(page, base)
            settled_repeat = proxy.wait_quiet()
            repeat_wire = proxy.snapshot() - before
            repeat = log.collect()
            accept_encoding = log.document_accept_encoding
            context.close()
    finally:
        proxy.close()

    for error in errors:
        ctx.problems.append(f"player_bytes: {error}")
    figures = []
    for key, label, wire, resources, budget, settled in (
        (
            "first_load",
            "first load, fresh browser context",
            first_wire,
            first,
            FIRST_LOAD_BUDGET_KB,
            settled_first,
        ),
        (
            "repeat_load",
            "repeat load, same context (HTTP cache and service worker warm)",
            repeat_wire,
            repeat,
            REPEAT_LOAD_BUDGET_KB,
            settled_repeat,
        ),
    ):
        listed = sum(r.transferred for r in resources)
        bodies = sum(r.body for r in resources)
        sw_part = sum(r.transferred for r in resources if r.source == "sw")
        fetched = [r for r in resources if r.transferred > 0]
        notes = [
            f"{len(fetched)} responses over the network of {len(resources)} requests",
            f"per resource (CDP + service worker): {listed / KB:.1f} kB, of which bodies "
            f"{bodies / KB:.1f} kB and the service worker's own fetches {sw_part / KB:.1f} kB",
        ]
        if abs(listed - wire) > 500:
            # e.g. the body of /sw.js itself: the browser fetches it for the registration,
            # and neither the page's nor the worker's Network domain sizes it
            notes.append(f"the wire count exceeds that sum by {(wire - listed) / KB:+.1f} kB")
        biggest = describe(resources, base)
        if biggest:
            notes.append("biggest, kB on the wire: " + biggest)
        plain = uncompressed_text(resources)
        if plain:
            notes.append(
                "sent without compression: "
                + ", ".join(f"{r.url.removeprefix(base)} ({r.body / KB:.1f} kB)" for r in plain)
            )
        unhashed = sorted(
            {
                r.url.removeprefix(base)
                for r in resources
                if "/static/" in r.url and not HASHED.search(r.url)
            }
        )
        if unhashed:
            notes.append(
                "static files asked for by their unhashed name (not cached for long): "
                + ", ".join(unhashed)
            )
        if key == "first_load":
            notes.append(f"Chromium {version}")
            notes.append(f"the browser sent Accept-Encoding: {accept_encoding or '?'}")
            notes.append(f"service worker: {sw_state}")
        if not settled:
            notes.append("the network never went quiet for 1.5 s within 20 s")
        figures.append(
            Figure(
                f"player.bytes.{key}",
                f"player page `{PLAYER_PATH}` bytes from the server, {label}: every "
                "request (page, assets, service worker), headers included, as sent",
                wire / KB,
                "kB",
                1,
                budget=budget,
                note="; ".join(notes),
            )
        )
    return figures
