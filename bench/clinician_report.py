"""Report benchmark: the report for a clinician (issue 13) for a person with one year of a
full diary, as a PDF (budget: 2 s) and as HTML, and the default twelve weeks as a PDF.

(Not `report.py`: that name is the harness's own results report, bench/report.py.)

A data folder of its own, seeded with `seed-demo --users 1 --days 365 --practices --diary`
(demo-000001: a practice most nights, morning check-ins most days, weekly check-ins). One
`backcoach serve --workers 2` with a default install's settings serves it; the person logs
in through the form. Each answer is checked: a PDF must be an attachment that starts with
%PDF, of one or two pages; the HTML must be the report. The pages take turns, after warm-up
requests. Query counts come from bench/query_count_worker.py, in-process on the same data.
"""

from __future__ import annotations

import datetime as dt
import re

from context import DEMO_PASSWORD, Context
from diary_pages import query_counts, seed
from figures import BenchError, Figure, median, percentile
from lists import HEADERS, body_of
from processes import Server
from registry import benchmark
from web import Client, Response, log_in

EMAIL = "demo-000001@demo.backcoach.invalid"
DAYS = 365
BUDGET_S = 2.0
PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b(?!s)")


def year_ago() -> str:
    # The person's own today may be a day either side of UTC's; a year is a year either way.
    return (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=DAYS - 1)).isoformat()


def pdf_pages(data: bytes) -> int:
    return len(PAGE_OBJECT.findall(data))


def check_pdf(path: str, response: Response) -> str:
    if response.status != 200:
        raise BenchError(f"{path} answered HTTP {response.status}")
    data = body_of(response)
    if not data.startswith(b"%PDF-"):
        raise BenchError(f"{path} is not a PDF: {data[:40]!r}")
    if not response.headers.get("Content-Disposition", "").startswith("attachment;"):
        raise BenchError(f"{path} is not sent as an attachment")
    pages = pdf_pages(data)
    if not 1 <= pages <= 2:
        raise BenchError(f"{path} has {pages} pages, not one or two")
    return f"{len(data) / 1000:.0f} kB, {pages} pages"


def check_html(path: str, response: Response) -> str:
    if response.status != 200:
        raise BenchError(f"{path} answered HTTP {response.status}")
    body = body_of(response)
    if b"Back pain diary of Demo 1" not in body or b"Practices per week" not in body:
        raise BenchError(f"{path} is not the report of a year's diary")
    return f"{len(body) / 1000:.0f} kB of HTML"


@benchmark("clinician_report", suite="report")
def clinician_report(ctx: Context) -> list[Figure]:
    """The report for a clinician: a year of a full diary as PDF (≤ 2 s) and as HTML."""
    data_dir = ctx.new_dir("report-data")
    ctx.say(f"report: seeding a person with {DAYS} days of practices and diary")
    seed_seconds, made = seed(ctx, data_dir, "--users", "1", "--days", str(DAYS))
    first = year_ago()
    pages = {
        "pdf_year": (f"/progress/report.pdf?from={first}", "PDF, one year", check_pdf),
        "html_year": (f"/progress/report/?from={first}", "HTML, one year", check_html),
        "pdf_default": ("/progress/report.pdf", "PDF, the default 12 weeks", check_pdf),
    }
    server = Server(ctx, data_dir, label="serve-report")
    ctx.say(f"report: starting the server on port {server.port}")
    times: dict[str, list[float]] = {key: [] for key in pages}
    server_ms: dict[str, list[float]] = {key: [] for key in pages}
    looked: dict[str, str] = {}
    with server:
        server.start()
        client = Client(server.port, timeout=60)
        client.cookies["sessionid"] = log_in(server.port, EMAIL, DEMO_PASSWORD)
        try:
            for key, (path, _, check) in pages.items():
                looked[key] = check(path, client.get(path, headers=HEADERS))
            for _ in range(ctx.n(3, 1)):  # warm-up
                for path, _, _ in pages.values():
                    client.get(path, headers=HEADERS)
            rounds = ctx.n(15, 2)
            ctx.say(f"report: {rounds} rounds over {len(pages)} pages, taking turns")
            keys = list(pages)
            for number in range(rounds):
                shift = number % len(keys)
                for key in keys[shift:] + keys[:shift]:
                    path, _, check = pages[key]
                    response = client.get(path, headers=HEADERS)
                    check(path, response)
                    times[key].append(response.seconds)
                    if response.server_ms is not None:
                        server_ms[key].append(response.server_ms)
        finally:
            client.close()
    ctx.say("report: counting queries in-process")
    queries = query_counts(ctx, data_dir, EMAIL, [path for path, _, _ in pages.values()])
    figures = [
        Figure(
            "report.seed",
            f"`seed-demo --users 1 --days {DAYS} --practices --diary`",
            seed_seconds,
            "s",
            1,
            note=f"{made['check-ins']} check-ins and {made['practices']} practices",
        )
    ]
    for key, (path, title, _) in pages.items():
        counted = queries[path]
        server_note = (
            f", server time median {median(server_ms[key]):.0f} ms" if server_ms[key] else ""
        )
        figures.append(
            Figure(
                f"report.{key}",
                f"the report, {title} (`{path.split('?')[0]}`): client round trip, median",
                median(times[key]),
                "s",
                len(times[key]),
                budget=BUDGET_S if key == "pdf_year" else None,
                note=f"p95 {percentile(times[key], 95):.2f} s{server_note}; {looked[key]}; "
                f"{counted['queries']} queries (HTTP {counted['status']})",
            )
        )
    return figures
