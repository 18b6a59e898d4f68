"""Foundation benchmarks: start-up, server time per request, requests per second."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from context import Context
from figures import BenchError, Figure, median, percentile, spread
from processes import Server
from registry import benchmark
from web import Client
from wrk import run_wrk

SECOND_START_BUDGET_S = 3.0
HOME_PAGE_BUDGET_MS = 15.0


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    title: str
    logged_in: bool
    budget_ms: float | None
    must_contain: bytes | None = None
    must_not_contain: bytes | None = None


PAGES = [
    Page(
        "home_anonymous",
        "/",
        "home page `/`, anonymous",
        False,
        HOME_PAGE_BUDGET_MS,
        must_not_contain=b"Log out",
    ),
    Page(
        "login",
        "/accounts/login/",
        "log-in page `/accounts/login/`",
        False,
        None,
        must_contain=b"csrfmiddlewaretoken",
    ),
    Page(
        "home_logged_in",
        "/",
        "home page `/`, logged in",
        True,
        HOME_PAGE_BUDGET_MS,
        must_contain=b"Log out",
    ),
]


def check_page(page: Page, status: int, body: bytes) -> None:
    if status != 200:
        raise BenchError(f"{page.path} ({page.key}) answered HTTP {status}")
    if page.must_contain is not None and page.must_contain not in body:
        raise BenchError(f"{page.path} ({page.key}) lacks {page.must_contain!r}")
    if page.must_not_contain is not None and page.must_not_contain in body:
        raise BenchError(f"{page.path} ({page.key}) unexpectedly shows {page.must_not_contain!r}")


@benchmark("startup", suite="foundation")
def startup(ctx: Context) -> list[Figure]:
    """`backcoach serve --workers 2`: seconds from launch to the first 200 from /health/."""
    firsts: list[float] = []
    first_notes: set[str] = set()
    for _ in range(ctx.n(3, 1)):
        on_run_folder = ctx.data_state == "empty"
        data_dir = ctx.data_dir if on_run_folder else ctx.new_dir("first-start")
        server = Server(ctx, data_dir, label="first-start")
        ctx.say(f"first start on an empty data folder, port {server.port}")
        with server:
            firsts.append(server.start())
        output = server.output()
        if "Applying" not in output:
            first_notes.add("no migrations were applied?")
        if "Preparing static files" not in output:
            first_notes.add("collectstatic did not run?")
        if on_run_folder:
            ctx.data_state = "migrated"
        else:
            shutil.rmtree(data_dir, ignore_errors=True)

    seed_seconds = ctx.ensure_seeded()

    seconds: list[float] = []
    stops: list[float] = []
    second_notes: set[str] = set()
    for _ in range(ctx.n(5, 2)):
        server = Server(ctx, ctx.data_dir, label="second-start")
        ctx.say(f"second start on the prepared data folder, port {server.port}")
        seconds.append(server.start())
        stops.append(server.stop())
        output = server.output()
        if "Applying" in output:
            second_notes.add("migrations ran again")
        if "Preparing static files" in output:
            second_notes.add("collectstatic ran again")

    figures = [
        Figure(
            "startup.first_start",
            "`serve` first start, empty data folder (migrate + "
            "collectstatic), to first /health/ 200",
            median(firsts),
            "s",
            len(firsts),
            note="; ".join([spread(firsts), *sorted(first_notes)]),
        ),
        Figure(
            "startup.second_start",
            "`serve` second start, prepared data folder, to first /health/ 200",
            median(seconds),
            "s",
            len(seconds),
            budget=SECOND_START_BUDGET_S,
            note="; ".join([spread(seconds), *sorted(second_notes)]),
        ),
        Figure(
            "startup.stop",
            "`serve` stop: SIGTERM to whole process group gone",
            median(stops),
            "s",
            len(stops),
            note=spread(stops),
        ),
    ]
    if seed_seconds is not None:
        figures.append(
            Figure("setup.seed_demo", "`seed-demo --users 1000 --days 90`", seed_seconds, "s", 1)
        )
    return figures


@benchmark("server_time", suite="foundation")
def server_time(ctx: Context) -> list[Figure]:
    """Server-Timing `app;dur` per request, sequential, one keep-alive connection per page."""
    server = ctx.server()
    clients = {page.key: Client(server.port) for page in PAGES}
    clients["home_logged_in"].cookies["sessionid"] = ctx.session_cookie()
    server_ms: dict[str, list[float]] = {page.key: [] for page in PAGES}
    client_ms: dict[str, list[float]] = {page.key: [] for page in PAGES}

    def hit(page: Page, record: bool) -> None:
        response = clients[page.key].get(page.path)
        check_page(page, response.status, response.body)
        if response.server_ms is None:
            raise BenchError(f"{page.path} sent no Server-Timing app;dur header")
        if record:
            server_ms[page.key].append(response.server_ms)
            client_ms[page.key].append(response.seconds * 1000)

    try:
        ctx.say("server time: warm-up")
        for page in PAGES:
            for _ in range(ctx.n(20, 5)):
                hit(page, record=False)
        rounds, per_round = ctx.n(3, 1), ctx.n(100, 30)
        for number in range(rounds):  # pages take turns, so that noise spreads evenly
            ctx.say(f"server time: round {number + 1} of {rounds}, {per_round} requests a page")
            for page in PAGES:
                for _ in range(per_round):
                    hit(page, record=True)
    finally:
        for client in clients.values():
            client.close()

    figures = []
    for page in PAGES:
        values = server_ms[page.key]
        figures += [
            Figure(
                f"server_time.{page.key}.median",
                f"server time, {page.title}, median",
                median(values),
                "ms",
                len(values),
                budget=page.budget_ms,
            ),
            Figure(
                f"server_time.{page.key}.p95",
                f"server time, {page.title}, p95",
                percentile(values, 95),
                "ms",
                len(values),
                note=f"max {max(values):.2f} ms",
            ),
            Figure(
                f"round_trip.{page.key}.median",
                f"client round trip, {page.title}, median (for comparison)",
                median(client_ms[page.key]),
                "ms",
                len(client_ms[page.key]),
            ),
        ]
    return figures


@benchmark("throughput", suite="foundation")
def throughput(ctx: Context) -> list[Figure]:
    """Requests per second under `wrk -t2 -c16` against `serve --workers 2`."""
    server = ctx.server()
    cookie = {"Cookie": f"sessionid={ctx.session_cookie()}"}
    headers = {page.key: cookie if page.logged_in else {} for page in PAGES}
    runs, seconds = ctx.n(3, 1), ctx.n(10, 3)
    results: dict[str, list] = {page.key: [] for page in PAGES}

    for page in PAGES:
        ctx.say(f"wrk warm-up on {page.key}")
        run_wrk(server.port, page.path, seconds=ctx.n(2, 1), headers=headers[page.key])
    for number in range(runs):
        for page in PAGES:
            ctx.say(f"wrk run {number + 1} of {runs} on {page.key}, {seconds} s")
            results[page.key].append(
                run_wrk(server.port, page.path, seconds=seconds, headers=headers[page.key])
            )

    # The logged-in figures only mean something if the session was good throughout.
    client = Client(server.port)
    client.cookies["sessionid"] = ctx.session_cookie()
    try:
        response = client.get("/")
        check_page(PAGES[2], response.status, response.body)
    finally:
        client.close()

    figures = []
    for page in PAGES:
        got = results[page.key]
        rps = [r.rps for r in got]
        bad = sum(r.non_2xx_3xx for r in got)
        errors = [r.socket_errors for r in got if r.socket_errors]
        notes = [
            "runs " + ", ".join(f"{v:.0f}" for v in rps),
            f"{sum(r.requests for r in got)} requests",
        ]
        if bad:
            notes.append(f"{bad} non-2xx/3xx responses")
            ctx.problems.append(f"wrk {page.key}: {bad} non-2xx/3xx responses")
        if errors:
            notes.append("socket errors: " + " | ".join(errors))
            ctx.problems.append(f"wrk {page.key}: socket errors {errors}")
        figures += [
            Figure(
                f"throughput.{page.key}.rps",
                f"requests/s, {page.title}, wrk -t2 -c16 -d{seconds}s, 2 workers",
                median(rps),
                "req/s",
                len(got),
                note="; ".join(notes),
            ),
            Figure(
                f"throughput.{page.key}.latency_p50",
                f"wrk latency p50, {page.title}",
                median(r.latency_pct_ms["50%"] for r in got),
                "ms",
                len(got),
            ),
            Figure(
                f"throughput.{page.key}.latency_p99",
                f"wrk latency p99, {page.title}",
                median(r.latency_pct_ms["99%"] for r in got),
                "ms",
                len(got),
                note="max " + ", ".join(f"{r.latency_max_ms:.0f}" for r in got) + " ms",
            ),
        ]
    return figures
