"""Lists benchmark: a person's practice history and the practices API, for a person with
five years of practices and for one with ten, as multiples of the framework floor.

One `backcoach serve` on a data folder of its own, started with bench/floor_settings.py
so that `/bench/floor/` (an empty view, bench/floor_urls.py) runs in the same workers,
with the same settings, middleware and session cookie as the pages it is compared with.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from dataclasses import dataclass

from context import DEMO_PASSWORD, Context
from figures import BenchError, Figure, median, percentile
from processes import Server
from registry import benchmark
from web import Client, Response, log_in

BIG_DAYS = 1826  # five years, a practice every night (and some days a second one)
SMALL_DAYS = 7  # with seed-demo's default seed: 10 practices
BIG_EMAIL = "demo-000001@demo.backcoach.invalid"
SMALL_EMAIL = "demo-000002@demo.backcoach.invalid"
FLOOR_PATH = "/bench/floor/"
RATIO_BUDGET = 10.0
SAMPLING_DEADLINE_S = 600  # rounds stop early (and say so) if the pages are that slow
HEADERS = {"Accept-Encoding": "gzip"}  # as a browser asks; the server compresses pages
PRACTICES_CREATED = re.compile(r"^([0-9]+) demo practices created", re.M)


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    title: str
    api_limit: int | None = None  # a JSON list of at most this many practices


FLOOR = Page("floor", FLOOR_PATH, "framework floor `/bench/floor/` (empty view, no query)")
PAGES = [
    Page("history_page_1", "/play/history/", "practice history `/play/history/` (page 1)"),
    Page("history_page_30", "/play/history/?page=30", "practice history `?page=30`"),
    Page("api_200", "/api/practices/?limit=200", "API `/api/practices/?limit=200`", 200),
    Page("api_50", "/api/practices/?limit=50", "API `/api/practices/?limit=50`", 50),
]
# The small person has one page of history: a late page means nothing for them.
SMALL_PAGES = [page for page in PAGES if page.key != "history_page_30"]


def body_of(response: Response) -> bytes:
    if response.headers.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.body)
    return response.body


def api_items(body: bytes) -> list:
    data = json.loads(body)
    if isinstance(data, dict) and "items" in data:  # a paginated answer
        data = data["items"]
    if not isinstance(data, list):
        raise BenchError(f"the API answered {type(data).__name__}, not a list of practices")
    return data


def check(page: Page, response: Response, who: str) -> None:
    """Every answer must be a 200; the first of each page is looked at more closely."""
    if response.status != 200:
        where = response.headers.get("Location", "")
        raise BenchError(f"{page.path} answered HTTP {response.status} {where} for {who}")


def check_closely(page: Page, response: Response, who: str, practices: int) -> str:
    check(page, response, who)
    body = body_of(response)
    if page is FLOOR:
        if body:
            raise BenchError(f"the floor answered {len(body)} bytes instead of none")
        return "empty body"
    if page.api_limit is not None:
        items = api_items(body)
        if len(items) != min(page.api_limit, practices):
            raise BenchError(
                f"{page.path} listed {len(items)} practices for {who}, who has {practices}"
            )
        return f"{len(items)} practices, {len(body) / 1000:.0f} kB of JSON"
    if b"Your practices" not in body:
        raise BenchError(f"{page.path} is not the practice history for {who}")
    shown = body.count(b'class="card"')
    return f"{shown} practices shown, {len(body) / 1000:.0f} kB of HTML"


def seed(ctx: Context, data_dir, *args: str) -> tuple[float, int]:
    """Run seed-demo; return its seconds and the practices it says it created."""
    seconds = ctx.backcoach("seed-demo", *args, "--practices", data_dir=data_dir)
    log = ctx.logs_dir / f"{ctx.log_count:02d}-seed-demo.log"
    found = PRACTICES_CREATED.search(log.read_text(errors="replace"))
    if not found:
        raise BenchError(f"seed-demo did not say how many practices it made ({log.name})")
    return seconds, int(found.group(1))


def sample(ctx: Context, targets: list[tuple[str, Page, Client]], rounds: int, label="lists"):
    """Request every target once a round, starting each round one further along, so that
    the machine's noise falls on every page alike. Returns times and server times (ms)."""
    times: dict[tuple[str, str], list[float]] = {(who, p.key): [] for who, p, _ in targets}
    server: dict[tuple[str, str], list[float]] = {key: [] for key in times}
    deadline = time.monotonic() + SAMPLING_DEADLINE_S
    done = 0
    for number in range(rounds):
        if time.monotonic() > deadline:
            break
        shift = number % len(targets)
        for who, page, client in targets[shift:] + targets[:shift]:
            response = client.get(page.path, headers=HEADERS)
            check(page, response, who)
            times[(who, page.key)].append(response.seconds * 1000)
            if response.server_ms is not None:
                server[(who, page.key)].append(response.server_ms)
        done += 1
        if done % 50 == 0:
            ctx.say(f"{label}: {done} of {rounds} rounds")
    return times, server, done


@benchmark("lists", suite="lists")
def lists(ctx: Context) -> list[Figure]:
    """History page and practices API, 5 years vs 10 practices, as multiples of an empty view."""
    data_dir = ctx.new_dir("lists-data")
    ctx.say(f"lists: seeding a person with {BIG_DAYS} days of practices")
    big_seconds, big_count = seed(ctx, data_dir, "--users", "1", "--days", str(BIG_DAYS))
    ctx.say(f"lists: seeding a person with {SMALL_DAYS} days of practices")
    _, small_count = seed(ctx, data_dir, "--users", "1", "--first", "2", "--days", str(SMALL_DAYS))
    counts = {"big": big_count, "small": small_count}

    server = Server(ctx, data_dir, label="serve-lists", settings="bench.floor_settings")
    ctx.say(f"lists: starting the floor server on port {server.port}")
    clients: dict[str, Client] = {}
    with server:
        server.start()
        for who, email in (("big", BIG_EMAIL), ("small", SMALL_EMAIL)):
            clients[who] = Client(server.port, timeout=30)
            clients[who].cookies["sessionid"] = log_in(server.port, email, DEMO_PASSWORD)
        try:
            targets = [("big", FLOOR, clients["big"])]
            targets += [("big", page, clients["big"]) for page in PAGES]
            targets += [("small", page, clients["small"]) for page in SMALL_PAGES]
            looked: dict[tuple[str, str], str] = {}
            bodies: dict[str, bytes] = {}
            for who, page, client in targets:
                response = client.get(page.path, headers=HEADERS)
                looked[(who, page.key)] = check_closely(page, response, who, counts[who])
                if who == "big" and page.key.startswith("history"):
                    bodies[page.key] = body_of(response)
            warm = ctx.n(20, 2)
            ctx.say(f"lists: {warm} warm-up rounds")
            sample(ctx, targets, warm)
            rounds = ctx.n(200, 5)
            ctx.say(f"lists: {rounds} rounds over {len(targets)} pages, taking turns")
            times, server_ms, done = sample(ctx, targets, rounds)
        finally:
            for client in clients.values():
                client.close()

    paging = (
        "page 30 shows other practices than page 1"
        if strip_tokens(bodies["history_page_1"]) != strip_tokens(bodies["history_page_30"])
        else "page 30 is the same as page 1: the history ignores ?page"
    )
    return figures_for(times, server_ms, looked, done, rounds, counts, big_seconds, paging)


def strip_tokens(body: bytes) -> bytes:
    """A page without what differs between two answers of it (CSRF tokens, CSP nonces)."""
    return re.sub(rb'(value|nonce|content)="[^"]*"', b"", body)


def figures_for(times, server_ms, looked, done, rounds, counts, seed_seconds, paging):
    def med(who: str, key: str) -> float:
        return median(times[(who, key)])

    def about(who: str, key: str) -> str:
        parts = [f"p95 {percentile(times[(who, key)], 95):.1f} ms"]
        if server_ms[(who, key)]:
            parts.append(f"server time median {median(server_ms[(who, key)]):.1f} ms")
        parts.append(looked[(who, key)])
        return ", ".join(parts)

    floor = med("big", "floor")
    short = (
        f"; only {done} of {rounds} rounds within {SAMPLING_DEADLINE_S} s" if done < rounds else ""
    )
    figures = [
        Figure(
            "lists.seed",
            f"`seed-demo --users 1 --days {BIG_DAYS} --practices`: the person with five years",
            seed_seconds,
            "s",
            1,
            note=f"{counts['big']} practices for the five-year person, "
            f"{counts['small']} for the other ({SMALL_DAYS} days)",
        ),
        Figure(
            "lists.floor",
            FLOOR.title + ", logged in, client round trip, median",
            floor,
            "ms",
            done,
            note=about("big", "floor") + short,
        ),
    ]
    for page in PAGES:
        page_median = med("big", page.key)
        note = f"{page_median:.1f} ms / floor {floor:.2f} ms; " + about("big", page.key)
        if page.key.startswith("history"):
            note += f"; {paging}"
        figures.append(
            Figure(
                f"lists.{page.key}.ratio",
                f"{page.title}, {counts['big']} practices: median / floor median",
                page_median / floor,
                "x floor",
                done,
                budget=RATIO_BUDGET,
                note=note + short,
            )
        )
        figures.append(
            Figure(
                f"lists.{page.key}.median",
                "the same, client round trip, median",
                page_median,
                "ms",
                done,
            )
        )
    first, late = med("big", "history_page_1"), med("big", "history_page_30")
    figures.append(
        Figure(
            "lists.history.late_over_first",
            "practice history: median of `?page=30` / of page 1, five-year person",
            late / first,
            "x",
            done,
            note=f"{late:.1f} ms / {first:.1f} ms; {paging}",
        )
    )
    for page in SMALL_PAGES:
        small = med("small", page.key)
        figures.append(
            Figure(
                f"lists.{page.key}.big_over_small",
                f"{page.title}: median for {counts['big']} practices / for {counts['small']}",
                med("big", page.key) / small,
                "x",
                done,
                note=f"{counts['small']} practices: {small:.1f} ms ({small / floor:.1f} x floor), "
                + about("small", page.key),
            )
        )
    return figures
