"""Player benchmarks in headless Chromium: bytes per load, time to interactive, cue timing.

Playwright's sync API drives Debian's Chromium against the run's shared, seeded server
(`backcoach serve`, DEBUG off, library loaded at start) as the first demo person, whose
`sessionid` (from the harness's real log-in) is copied into each browser context.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from harness import (
    CSRF_INPUT,
    HOST,
    BenchError,
    Client,
    Context,
    Figure,
    benchmark,
    median,
    spread,
)

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
PLAYER_PATH = "/play/bedtime-back-self-massage/"
SCREEN_PATH = "/safety/screen/"
PHONE = {"width": 390, "height": 844}

FIRST_LOAD_BUDGET_KB = 150.0
REPEAT_LOAD_BUDGET_KB = 10.0
CUE_LATENESS_BUDGET_MS = 100.0
KB = 1000  # kB as browsers' developer tools show them
TIMEOUT_MS = 20_000

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

# What the page asks the browser to say, and when Start was pressed: a capturing listener
# on window runs before the button's own listener.
CUE_PROBE = """
(() => {
  window.__spoken = [];
  window.__startAt = null;
  if ("speechSynthesis" in window) {
    const speak = speechSynthesis.speak.bind(speechSynthesis);
    speechSynthesis.speak = (utterance) => {
      window.__spoken.push({ text: utterance.text, t: performance.now() });
      try { speak(utterance); } catch (error) { window.__speakError = String(error); }
    };
  }
  // How long the page spends creating its AudioContext (player.js does so on Start).
  for (const name of ["AudioContext", "webkitAudioContext"]) {
    const Real = window[name];
    if (!Real) continue;
    window[name] = class extends Real {
      constructor(...args) {
        const before = performance.now();
        super(...args);
        (window.__audioContexts ||= []).push({ at: before, ms: performance.now() - before });
      }
    };
  }
  window.addEventListener("click", (event) => {
    if (window.__startAt === null && event.target.closest && event.target.closest("#start")) {
      window.__startAt = performance.now();
    }
  }, { capture: true });
})();
"""


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


def player_session(ctx: Context) -> tuple[int, str]:
    """The shared server's port and a session for which the player page answers 200.

    Before a person's first routine the safety screen stands in the way (the player
    redirects to /safety/screen/). The demo person answers it as a person with none of
    the red flags does: the form posted with nothing ticked. Once per data folder.
    """
    port = ctx.server().port
    cookie = ctx.session_cookie()
    client = Client(port)
    client.cookies["sessionid"] = cookie
    try:
        answer = client.get(PLAYER_PATH)
        if answer.status == 302 and answer.headers.get("Location", "").startswith(SCREEN_PATH):
            ctx.say("the demo person answers the safety screen (no red flags ticked)")
            form = client.get(SCREEN_PATH)
            token = CSRF_INPUT.search(form.body)
            if form.status != 200 or not token:
                raise BenchError(f"{SCREEN_PATH} answered {form.status} without a form")
            posted = client.request(
                "POST",
                SCREEN_PATH,
                body=f"csrfmiddlewaretoken={token.group(1).decode()}".encode(),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{HOST}:{port}{SCREEN_PATH}",
                },
            )
            if posted.status != 302:
                raise BenchError(f"posting the safety screen answered {posted.status}")
            answer = client.get(PLAYER_PATH)
        if answer.status != 200 or b'id="player"' not in answer.body:
            where = answer.headers.get("Location", "")
            raise BenchError(
                f"{PLAYER_PATH} answered {answer.status} {where} for the demo person, "
                "not the player"
            )
    finally:
        client.close()
    return port, cookie


def open_player(page, base: str) -> None:
    response = page.goto(base + PLAYER_PATH, wait_until="load")
    if response is None or response.status != 200:
        raise BenchError(f"{PLAYER_PATH} answered {response.status if response else 'nothing'}")
    landed = page.url.removeprefix(base)
    if landed != PLAYER_PATH:
        raise BenchError(
            f"{PLAYER_PATH} sent the demo person to {landed} ({page.title()!r}) instead of "
            "the player"
        )
    if page.locator("#player").count() != 1:
        raise BenchError(f"{PLAYER_PATH} has no #player ({page.title()!r})")
    page.wait_for_selector('#player[data-ready="true"]', state="attached")


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


# Bytes on the wire -----------------------------------------------------------------------
class CountingProxy:
    """A TCP relay from a free port of 127.0.0.1 to the server that counts what it relays.

    The browser talks to the server through it, so `down` is every byte the server sent to
    the browser (status lines, headers and bodies as sent: compressed when compressed),
    whoever asked for it: the page, the service worker, the browser itself.
    """

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind((HOST, 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.down = 0
        self.up = 0
        self.last_activity = time.monotonic()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection((HOST, self.target_port), timeout=10)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            for src, dst, down in ((client, upstream, False), (upstream, client, True)):
                thread = threading.Thread(target=self._pump, args=(src, dst, down), daemon=True)
                self._threads.append(thread)
                thread.start()

    def _pump(self, src: socket.socket, dst: socket.socket, down: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
                with self._lock:
                    if down:
                        self.down += len(data)
                    else:
                        self.up += len(data)
                    self.last_activity = time.monotonic()
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)

    def snapshot(self) -> int:
        with self._lock:
            return self.down

    def wait_quiet(self, quiet: float = 1.5, timeout: float = 20.0) -> bool:
        """Wait until nothing has been relayed for `quiet` seconds; False at the deadline."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                idle = time.monotonic() - self.last_activity
            if idle >= quiet:
                return True
            time.sleep(0.1)
        return False

    def close(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        self._acceptor.join(timeout=2)
        for thread in self._threads:
            thread.join(timeout=2)


@dataclass
class Resource:
    url: str
    source: str  # "page" (CDP Network of the page) or "sw" (the service worker's own fetch)
    status: int = 0
    transferred: int = 0  # encoded bytes received, headers included (0 when from a cache)
    headers: int = 0
    encoding: str = ""
    mime: str = ""
    cached: str = ""  # "disk", "service worker", "memory" or ""

    @property
    def body(self) -> int:
        return max(0, self.transferred - self.headers)


class NetworkLog:
    """Per-resource sizes: the page's requests from its CDP Network domain
    (`loadingFinished.encodedDataLength`), the service worker's from Playwright's context
    events (its `request.sizes()` come from the worker's own CDP Network domain)."""

    def __init__(self, context, page):
        self.resources: dict[str, Resource] = {}
        self.order: list[str] = []
        self.sw_requests: list = []
        self.document_accept_encoding = ""
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.requestWillBeSentExtraInfo", self._extra)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        context.on("requestfinished", self._context_request)

    def clear(self) -> None:
        self.resources.clear()
        self.order.clear()
        self.sw_requests.clear()

    def _get(self, request_id: str) -> Resource:
        if request_id not in self.resources:
            self.resources[request_id] = Resource(url="", source="page")
            self.order.append(request_id)
        return self.resources[request_id]

    def _extra(self, event: dict) -> None:
        headers = {k.lower(): v for k, v in event.get("headers", {}).items()}
        if not self.document_accept_encoding and "accept-encoding" in headers:
            self.document_accept_encoding = headers["accept-encoding"]

    def _response(self, event: dict) -> None:
        response = event["response"]
        resource = self._get(event["requestId"])
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        resource.url = response["url"]
        resource.status = response["status"]
        resource.headers = int(response.get("encodedDataLength") or 0)
        resource.encoding = headers.get("content-encoding", "")
        resource.mime = response.get("mimeType", "")
        if response.get("fromServiceWorker"):
            resource.cached = "service worker"
        elif response.get("fromDiskCache"):
            resource.cached = "disk"
        elif response.get("fromMemoryCache"):
            resource.cached = "memory"

    def _finished(self, event: dict) -> None:
        self._get(event["requestId"]).transferred = int(event.get("encodedDataLength") or 0)

    def _context_request(self, request) -> None:
        if getattr(request, "service_worker", None) is not None:
            self.sw_requests.append(request)

    def collect(self) -> list[Resource]:
        found = [self.resources[key] for key in self.order if self.resources[key].url]
        for request in self.sw_requests:
            sizes = request.sizes()
            response = request.response()
            headers = response.headers if response else {}
            transferred = max(0, sizes["responseBodySize"]) + sizes["responseHeadersSize"]
            cached = ""
            if sizes["responseBodySize"] < 0:  # answered from the HTTP cache
                transferred, cached = 0, "disk"
            found.append(
                Resource(
                    url=request.url,
                    source="sw",
                    status=response.status if response else 0,
                    transferred=transferred,
                    headers=sizes["responseHeadersSize"],
                    encoding=headers.get("content-encoding", ""),
                    mime=headers.get("content-type", ""),
                    cached=cached,
                )
            )
        return found


TEXT_TYPES = ("text/", "javascript", "json", "svg", "xml")
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")  # ManifestStaticFilesStorage names


def describe(resources: list[Resource], base: str, limit: int = 6) -> str:
    biggest = sorted(resources, key=lambda r: r.transferred, reverse=True)[:limit]
    parts = []
    for r in biggest:
        if r.transferred <= 0:
            continue
        path = r.url.removeprefix(base)
        how = r.encoding or "not compressed"
        parts.append(
            f"{path} {r.transferred / KB:.1f} ({how}{', by the SW' if r.source == 'sw' else ''})"
        )
    return ", ".join(parts)


def uncompressed_text(resources: list[Resource]) -> list[Resource]:
    return [
        r
        for r in resources
        if r.body > 1000 and not r.encoding and any(t in r.mime for t in TEXT_TYPES)
    ]


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


# Time to interactive ---------------------------------------------------------------------
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


# Cue timing ------------------------------------------------------------------------------
def due_cues(script: dict) -> list[tuple[float, str, str]]:
    """(seconds after Start, text, label) of every cue, in time order."""
    cues = [(0.0, script["leadInCue"], "lead-in")]
    offset = float(script["leadIn"])
    for number, step in enumerate(script["steps"], start=1):
        for cue in step["cues"]:
            cues.append((offset + float(cue["at"]), cue["say"], f"step {number} at {cue['at']} s"))
        offset += float(step["duration"])
    return sorted(cues, key=lambda cue: cue[0])


def match_cues(
    expected: list[tuple[float, str, str]], spoken: list[dict], start_ms: float
) -> tuple[list[tuple[str, float]], list[str], list[str]]:
    """Pair each utterance with the earliest unmatched cue of the same words.

    Returns (label, lateness ms) of matched cues, utterances that repeat an already spoken
    cue, and utterances that are no cue of the script.
    """
    used = [False] * len(expected)
    matched: list[tuple[str, float]] = []
    repeated: list[str] = []
    unknown: list[str] = []
    for utterance in spoken:
        candidates = [i for i, cue in enumerate(expected) if cue[1] == utterance["text"]]
        free = [i for i in candidates if not used[i]]
        if not candidates:
            unknown.append(utterance["text"][:60])
            continue
        if not free:
            repeated.append(utterance["text"][:60])
            continue
        index = free[0]
        used[index] = True
        due, _, label = expected[index]
        matched.append((label, utterance["t"] - (start_ms + due * 1000)))
    return matched, repeated, unknown


@benchmark("cue_timing", suite="player")
def cue_timing(ctx: Context) -> list[Figure]:
    """Real-speed run of the routine: how late each cue is spoken after its due time."""
    port, cookie = player_session(ctx)
    base = f"http://{HOST}:{port}"
    window_s = ctx.n(60, 15)
    with chromium() as browser:
        context = new_context(browser, base, cookie, CUE_PROBE)
        try:
            page = context.new_page()
            errors = page_errors(page)
            open_player(page, base)
            script = page.evaluate(
                "JSON.parse(document.getElementById('routine-script').textContent)"
            )
            state = page.evaluate(
                "({visible: document.visibilityState, focus: document.hasFocus(),"
                " voices: 'speechSynthesis' in window ? speechSynthesis.getVoices().length : -1})"
            )
            ctx.say(f"cue timing: Start, then {window_s} s at real speed")
            page.click("#start")
            start_ms = page.evaluate("window.__startAt")
            if start_ms is None:
                raise BenchError("the click on Start was not seen by the probe")
            deadline = time.monotonic() + window_s + 30
            while time.monotonic() < deadline:  # let window_s + 1 s pass in the page's clock
                left = start_ms + (window_s + 1) * 1000 - page.evaluate("performance.now()")
                if left <= 0:
                    break
                page.wait_for_timeout(min(left, 5000))
            spoken = page.evaluate("window.__spoken")
            phase = page.evaluate("document.getElementById('player').dataset.phase")
            speak_error = page.evaluate("window.__speakError ?? null")
            audio = page.evaluate("window.__audioContexts ?? []")
        finally:
            context.close()

    for error in dict.fromkeys(errors):
        ctx.problems.append(f"cue_timing: {error}")
    expected = [cue for cue in due_cues(script) if cue[0] <= window_s]
    later = [cue for cue in due_cues(script) if cue[0] > window_s]
    in_window = [u for u in spoken if u["t"] <= start_ms + (window_s + 1) * 1000]
    matched, repeated, unknown = match_cues(due_cues(script), in_window, start_ms)
    if not matched:
        raise BenchError(
            f"no cue was spoken in {window_s} s (phase {phase!r}, {len(spoken)} utterances)"
        )
    lateness = [ms for _, ms in matched]
    worst_label, worst = max(matched, key=lambda pair: pair[1])
    spoken_labels = {label for label, _ in matched}
    missed = [cue[2] for cue in expected if cue[2] not in spoken_labels]
    # The lead-in cue is spoken as the player's clock starts; measured from it, what is left
    # is the ticking's own lateness.
    lead_in = dict(matched).get("lead-in")
    after_lead_in = [ms - lead_in for label, ms in matched if label != "lead-in"] if lead_in else []
    audio_made = [a for a in audio if start_ms <= a["at"] <= start_ms + 5000]
    first_spoken = min((u["t"] for u in in_window), default=None)
    notes = [
        "per cue, ms: " + ", ".join(f"{label} {ms:.0f}" for label, ms in matched),
        f"{len(expected)} cues due in the first {window_s} s, {len(matched)} spoken"
        + (f", not spoken: {', '.join(missed)}" if missed else ""),
        f"page visible={state['visible']}, focused={state['focus']}, "
        f"speech voices={state['voices']}",
    ]
    if audio_made:
        before = first_spoken is not None and audio_made[0]["at"] < first_spoken
        notes.append(
            f"Start's handler spent {sum(a['ms'] for a in audio_made):.0f} ms creating its "
            f"AudioContext, {'before' if before else 'after'} the first cue was spoken"
        )
    if unknown:
        notes.append("utterances not in the script: " + " | ".join(unknown))
    if speak_error:
        notes.append(f"the real speechSynthesis.speak threw: {speak_error}")
    if phase != "running":
        notes.append(f"player phase at the end: {phase}")
    if later:
        notes.append(f"next cue due at {later[0][0]:.0f} s")
    tick_figures = []
    if after_lead_in:
        tick_figures.append(
            Figure(
                "player.cues.max_lateness_after_lead_in",
                "the same, largest, measured from the lead-in cue (the player's clock start) "
                "instead of the click",
                max(after_lead_in),
                "ms",
                len(after_lead_in),
                note=f"lead-in cue spoken {lead_in:.0f} ms after the click; "
                f"median {median(after_lead_in):.0f} ms, min {min(after_lead_in):.0f} ms",
            )
        )
    return [
        Figure(
            "player.cues.max_lateness",
            "cue spoken after its due time (Start click + due), real speed, "
            f"first {window_s} s: largest",
            worst,
            "ms",
            len(lateness),
            budget=CUE_LATENESS_BUDGET_MS,
            note=f"largest: {worst_label}; " + "; ".join(notes),
        ),
        Figure(
            "player.cues.median_lateness",
            "the same, median",
            median(lateness),
            "ms",
            len(lateness),
            note=f"min {min(lateness):.0f} ms",
        ),
        *tick_figures,
        Figure(
            "player.cues.repeated",
            "utterances repeating a cue already spoken",
            len(repeated),
            "cues",
            len(in_window),
            budget=0,
            note=" | ".join(repeated)
            if repeated
            else f"{len(in_window)} utterances, each cue once",
        ),
    ]
