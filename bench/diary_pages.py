"""Diary benchmark, pages: the diary and the check-ins API for a person with five years of
daily check-ins (and one with a week), as multiples of the framework floor; `/progress/`
too once it exists.

Built like the `lists` suite (bench/lists.py, whose helpers it uses): one `backcoach serve`
with bench/floor_settings.py on a data folder of its own, both people logged in through the
form, the pages taking turns. Query counts come from bench/query_count_worker.py, run
in-process against the same data folder.
"""

from __future__ import annotations

import json
import re
import subprocess

from context import DEMO_PASSWORD, Context
from figures import BenchError, Figure, median, percentile
from lists import FLOOR, HEADERS, Page, api_items, body_of, check, sample, strip_tokens
from processes import BENCH_DIR, REPO, VENV_BIN, Server
from registry import benchmark
from web import Client, Response, log_in

BIG_DAYS = 1826  # five years of practices and check-ins
SMALL_DAYS = 7
BIG_EMAIL = "demo-000001@demo.backcoach.invalid"
SMALL_EMAIL = "demo-000002@demo.backcoach.invalid"
RATIO_BUDGET = 10.0
LATE_PAGE = 60  # of about 77 pages of 30 for five years
CREATED = re.compile(r"^([0-9]+) demo (practices|check-ins) created", re.M)

DIARY_PAGES = [
    Page("diary_page_1", "/diary/", "diary `/diary/` (page 1)"),
    Page("diary_page_late", f"/diary/?page={LATE_PAGE}", f"diary `?page={LATE_PAGE}`"),
    Page("api_checkins_200", "/api/checkins/?limit=200", "API `/api/checkins/?limit=200`", 200),
    Page("api_checkins_50", "/api/checkins/?limit=50", "API `/api/checkins/?limit=50`", 50),
]
PROGRESS = Page("progress", "/progress/", "progress `/progress/`")


def seed(ctx: Context, data_dir, *args: str) -> tuple[float, dict[str, int]]:
    """Run seed-demo with practices and a diary; return its seconds and what it created."""
    seconds = ctx.backcoach("seed-demo", *args, "--practices", "--diary", data_dir=data_dir)
    log = ctx.logs_dir / f"{ctx.log_count:02d}-seed-demo.log"
    found = {what: int(n) for n, what in CREATED.findall(log.read_text(errors="replace"))}
    if set(found) != {"practices", "check-ins"}:
        raise BenchError(f"seed-demo did not say what it made ({log.name})")
    return seconds, found


def check_closely(page: Page, response: Response, who: str, checkins: int) -> str:
    check(page, response, who)
    body = body_of(response)
    if page is FLOOR:
        if body:
            raise BenchError(f"the floor answered {len(body)} bytes instead of none")
        return "empty body"
    if page.api_limit is not None:
        items = api_items(body)
        if len(items) != min(page.api_limit, checkins):
            raise BenchError(f"{page.path} listed {len(items)} check-ins for {who} of {checkins}")
        return f"{len(items)} check-ins, {len(body) / 1000:.0f} kB of JSON"
    if page is PROGRESS:
        return f"{len(body) / 1000:.0f} kB of HTML"
    if b"Your diary" not in body:
        raise BenchError(f"{page.path} is not the diary for {who}")
    shown = body.count(b'class="card"')
    if page.key == "diary_page_1" and shown != min(30, checkins):
        raise BenchError(f"{page.path} shows {shown} check-ins for {who}, who has {checkins}")
    return f"{shown} check-ins shown, {len(body) / 1000:.0f} kB of HTML"


def query_counts(ctx: Context, data_dir, email: str, paths: list[str]) -> dict:
    """{path: {"status", "queries", ...}} from bench/query_count_worker.py."""
    done = subprocess.run(
        [str(VENV_BIN / "python"), str(BENCH_DIR / "query_count_worker.py"), email, *paths],
        cwd=REPO,
        env=ctx.env(data_dir, DJANGO_SETTINGS_MODULE="bench.floor_settings", PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"counting queries failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@benchmark("diary_pages", suite="diary")
def diary_pages(ctx: Context) -> list[Figure]:
    """Diary page and check-ins API, 5 years of check-ins, as multiples of an empty view."""
    data_dir = ctx.new_dir("diary-data")
    ctx.say(f"diary: seeding a person with {BIG_DAYS} days of practices and check-ins")
    big_seconds, big = seed(ctx, data_dir, "--users", "1", "--days", str(BIG_DAYS))
    _, small = seed(ctx, data_dir, "--users", "1", "--first", "2", "--days", str(SMALL_DAYS))
    counts = {"big": big["check-ins"], "small": small["check-ins"]}

    server = Server(ctx, data_dir, label="serve-diary", settings="bench.floor_settings")
    ctx.say(f"diary: starting the floor server on port {server.port}")
    clients: dict[str, Client] = {}
    with server:
        server.start()
        for who, email in (("big", BIG_EMAIL), ("small", SMALL_EMAIL)):
            clients[who] = Client(server.port, timeout=30)
            clients[who].cookies["sessionid"] = log_in(server.port, email, DEMO_PASSWORD)
        try:
            probe = clients["big"].get(PROGRESS.path, headers=HEADERS)
            progress_status = probe.status
            # /progress/ is being built: measured once it answers, reported either way.
            pages = DIARY_PAGES + ([PROGRESS] if progress_status == 200 else [])
            small_pages = [p for p in pages if p.key != "diary_page_late"]
            targets = [("big", FLOOR, clients["big"])]
            targets += [("big", page, clients["big"]) for page in pages]
            targets += [("small", page, clients["small"]) for page in small_pages]
            looked: dict[tuple[str, str], str] = {}
            bodies: dict[str, bytes] = {}
            for who, page, client in targets:
                response = client.get(page.path, headers=HEADERS)
                looked[(who, page.key)] = check_closely(page, response, who, counts[who])
                if who == "big" and page.key.startswith("diary"):
                    bodies[page.key] = body_of(response)
            warm = ctx.n(20, 2)
            ctx.say(f"diary: {warm} warm-up rounds")
            sample(ctx, targets, warm, label="diary")
            rounds = ctx.n(200, 5)
            ctx.say(f"diary: {rounds} rounds over {len(targets)} pages, taking turns")
            times, server_ms, done = sample(ctx, targets, rounds, label="diary")
        finally:
            for client in clients.values():
                client.close()
    ctx.say("diary: counting queries in-process")
    queries = query_counts(ctx, data_dir, BIG_EMAIL, [FLOOR.path] + [p.path for p in pages])
    paging = (
        f"page {LATE_PAGE} shows other check-ins than page 1"
        if strip_tokens(bodies["diary_page_1"]) != strip_tokens(bodies["diary_page_late"])
        else f"page {LATE_PAGE} is the same as page 1: the diary ignores ?page"
    )
    figures = [
        Figure(
            "diary.seed",
            f"`seed-demo --users 1 --days {BIG_DAYS} --practices --diary`: five years",
            big_seconds,
            "s",
            1,
            note=f"{big['check-ins']} check-ins and {big['practices']} practices for the "
            f"five-year person; {small['check-ins']} check-ins for the other ({SMALL_DAYS} days)",
        )
    ]
    figures += page_figures(pages, small_pages, times, server_ms, looked, queries, counts, done)
    first, late = median(times[("big", "diary_page_1")]), median(times[("big", "diary_page_late")])
    figures.append(
        Figure(
            "diary.diary.late_over_first",
            f"diary: median of `?page={LATE_PAGE}` / of page 1, five-year person",
            late / first,
            "x",
            done,
            note=f"{late:.1f} ms / {first:.1f} ms; {paging}",
        )
    )
    if progress_status != 200:
        figures.append(
            Figure(
                "diary.progress.ratio",
                "progress `/progress/`: median / floor median",
                None,
                "x floor",
                0,
                budget=RATIO_BUDGET,
                status="skipped" if progress_status == 404 else "error",
                note=f"`/progress/` answered HTTP {progress_status}"
                + (": not built on this commit yet" if progress_status == 404 else ""),
            )
        )
    return figures


def page_figures(pages, small_pages, times, server_ms, looked, queries, counts, done):
    floor = median(times[("big", "floor")])
    floor_q = queries[FLOOR.path]["queries"]
    figures = [
        Figure(
            "diary.floor",
            FLOOR.title + ", logged in, client round trip, median",
            floor,
            "ms",
            done,
            note=f"p95 {percentile(times[('big', 'floor')], 95):.1f} ms, server time median "
            f"{median(server_ms[('big', 'floor')]):.1f} ms, {floor_q} queries",
        )
    ]
    for page in pages:
        mine = times[("big", page.key)]
        page_median = median(mine)
        server = server_ms[("big", page.key)]
        counted = queries[page.path]
        query_note = f"{counted['queries']} queries (the floor makes {floor_q})"
        if counted["first_queries"] != counted["queries"]:
            query_note += f", {counted['first_queries']} the first time"
        if counted["sample"]:
            query_note += "; most repeated: " + " | ".join(counted["sample"])
        count = counts["big"]
        figures += [
            Figure(
                f"diary.{page.key}.ratio",
                f"{page.title}, {count} check-ins: median / floor median",
                page_median / floor,
                "x floor",
                done,
                budget=RATIO_BUDGET,
                note=f"{page_median:.1f} ms / floor {floor:.2f} ms; {looked[('big', page.key)]}",
            ),
            Figure(
                f"diary.{page.key}.median",
                "the same, client round trip, median",
                page_median,
                "ms",
                done,
            ),
            Figure(
                f"diary.{page.key}.p95",
                "the same, client round trip, p95 (nearest rank)",
                percentile(mine, 95),
                "ms",
                done,
            ),
            Figure(
                f"diary.{page.key}.server_median",
                "the same, server time (`Server-Timing: app;dur`), median",
                median(server) if server else None,
                "ms",
                len(server),
            ),
            Figure(
                f"diary.{page.key}.queries",
                "the same, SQL queries of one request (in-process, CaptureQueriesContext)",
                counted["queries"],
                "queries",
                1,
                note=f"HTTP {counted['status']}; " + query_note,
            ),
        ]
    for page in small_pages:
        small = median(times[("small", page.key)])
        figures.append(
            Figure(
                f"diary.{page.key}.big_over_small",
                f"{page.title}: median for {counts['big']} check-ins / for {counts['small']}",
                median(times[("big", page.key)]) / small,
                "x",
                done,
                note=f"{counts['small']} check-ins: {small:.1f} ms ({small / floor:.1f} x floor), "
                f"p95 {percentile(times[('small', page.key)], 95):.1f} ms; "
                + looked[("small", page.key)],
            )
        )
    return figures
