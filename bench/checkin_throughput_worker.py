"""One leg of the `checkin_throughput` benchmark: seed a realistic database, serve it with
`backcoach serve --workers 2`, and POST morning check-ins to /api/checkins/ from a small
thread pool. Run by bench/checkin_throughput.py, on SQLite directly and on PostgreSQL under
scripts/with-postgres (which starts a throwaway cluster, sets DATABASE_URL for this
process, and removes the cluster when it exits).

    .venv/bin/python bench/checkin_throughput_worker.py --out result.json [--quick]
    scripts/with-postgres .venv/bin/python bench/checkin_throughput_worker.py --out result.json

Writes its figures as JSON to --out; progress goes to stderr. Every loop has a count and
every wait a deadline; traffic goes to 127.0.0.1 only; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import re
import sys
import threading
import time
import uuid
from pathlib import Path

from context import DEMO_PASSWORD, Context
from figures import BenchError, median, percentile
from processes import HOST, Server
from web import Client, log_in_cookies

DEMO_DOMAIN = "demo.backcoach.invalid"
CREATED = re.compile(r"^([0-9]+) demo (people|practices|check-ins) created", re.M)
NIGHTS = 14  # the API takes check-ins up to 14 days back: 14 nights a person
SAMPLING_DEADLINE_S = 300


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--users", type=int, default=1000, help="people with a diary")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--warm-up", type=int, default=40)
    parser.add_argument("--keep-temp", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a smoke test: tiny sizes")
    args = parser.parse_args()
    if args.quick:
        args.users, args.days, args.requests, args.warm_up = 20, 30, 60, 4
    return args


def seeded(ctx: Context, data_dir: Path, env: dict, *options: str) -> tuple[float, dict]:
    seconds = ctx.backcoach("seed-demo", *options, data_dir=data_dir, env=env, timeout=1800)
    log = ctx.logs_dir / f"{ctx.log_count:02d}-seed-demo.log"
    made = {what: int(n) for n, what in CREATED.findall(log.read_text(errors="replace"))}
    return seconds, made


def morning(recorded_at: dt.datetime, number: int) -> bytes:
    """A morning check-in as the app's page sends it; a new id every time."""
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "kind": "morning",
            "recorded_at": recorded_at.isoformat(),
            "pain": number % 8,
            "pain_areas": ["lower-back-centre"],
            "sleep_onset_minutes": 15,
            "sleep_quality": 3,
            "stiffness_minutes": 5,
            "routine_feel": "soothing",
        }
    ).encode()


def anytime(recorded_at: dt.datetime, number: int) -> bytes:
    return json.dumps(
        {"kind": "anytime", "recorded_at": recorded_at.isoformat(), "pain": 3, "tension": 4}
    ).encode()


def post_all(port: int, people: list[dict], bodies: list[tuple[int, bytes]], threads: int):
    """POST every (person index, body) from `threads` threads, each on its own keep-alive
    connection. Returns [(status, seconds, server ms, body if not 2xx)], wall seconds."""
    work: queue.Queue = queue.Queue()
    for item in bodies:
        work.put(item)
    results: list[tuple] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SAMPLING_DEADLINE_S
    referer = f"http://{HOST}:{port}/diary/"

    def run() -> None:
        client = Client(port, timeout=60)
        try:
            while time.monotonic() < deadline:
                try:
                    who, body = work.get_nowait()
                except queue.Empty:
                    return
                cookies = people[who]
                client.cookies.clear()  # each request names its own person
                response = client.request(
                    "POST",
                    "/api/checkins/",
                    body=body,
                    headers={
                        "Content-Type": "application/json",
                        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                        "X-CSRFToken": cookies["csrftoken"],
                        "Referer": referer,
                    },
                )
                ok = 200 <= response.status < 300
                row = (
                    response.status,
                    response.seconds,
                    response.server_ms,
                    b"" if ok else response.body[:300],
                )
                with lock:
                    results.append(row)
        finally:
            client.close()

    pool = [threading.Thread(target=run, daemon=True) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=SAMPLING_DEADLINE_S + 60)
    return results, time.perf_counter() - started


def leg(ctx: Context, args: argparse.Namespace) -> dict:
    url = os.environ.get("DATABASE_URL", "")
    database = "postgres" if url.startswith("postgres") else "sqlite"
    env = {"DATABASE_URL": url} if url else {}
    data_dir = ctx.new_dir(f"throughput-{database}")
    days = str(args.days)
    ctx.say(f"{database}: seeding {args.users} people x {days} days, practices and diaries")
    seed_s, made = seeded(
        ctx, data_dir, env, "--users", str(args.users), "--days", days, "--practices", "--diary"
    )
    # The people who post: a year of practices, no diary, so their last 14 nights are free.
    posters = -(-args.requests // NIGHTS)
    first = args.users + 1
    ctx.say(f"{database}: seeding {posters} more people (practices only) to post check-ins")
    poster_s, _ = seeded(
        ctx,
        data_dir,
        env,
        "--users",
        str(posters),
        "--first",
        str(first),
        "--days",
        days,
        "--practices",
    )
    server = Server(ctx, data_dir, workers=2, label=f"serve-{database}", env=env)
    ctx.say(f"{database}: starting `backcoach serve --workers 2` on port {server.port}")
    with server:
        server.start()
        ctx.say(f"{database}: logging in {posters} people through the form")
        people = [
            log_in_cookies(server.port, f"demo-{n:06d}@{DEMO_DOMAIN}", DEMO_PASSWORD)
            for n in range(first, first + posters)
        ]
        if any("csrftoken" not in cookies for cookies in people):
            raise BenchError("a log-in left no csrftoken cookie to send back")
        now = dt.datetime.now(dt.UTC)
        warm = [(n % posters, anytime(now - dt.timedelta(hours=1), n)) for n in range(args.warm_up)]
        warm_results, _ = post_all(server.port, people, warm, args.threads)
        # Request n: person n % posters, the morning n // posters days back (a night each).
        bodies = [
            (n % posters, morning(now - dt.timedelta(days=n // posters, minutes=10), n))
            for n in range(args.requests)
        ]
        ctx.say(f"{database}: {args.requests} morning check-ins from {args.threads} threads")
        results, wall = post_all(server.port, people, bodies, args.threads)
        check = Client(server.port, timeout=30)
        try:
            check.cookies.update(people[0])
            listed = check.get("/api/checkins/?kind=morning&limit=50")
        finally:
            check.close()
    mornings = len(json.loads(listed.body)) if listed.status == 200 else None
    expected = len(range(0, args.requests, posters))
    statuses: dict[str, int] = {}
    for status, *_ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    failures = [f"HTTP {s}: {body.decode(errors='replace')}" for s, _, _, body in results if body]
    times = [seconds * 1000 for _, seconds, _, _ in results]
    server_ms = [ms for _, _, ms, _ in results if ms is not None]
    return {
        "database": database,
        "users": args.users,
        "days": args.days,
        "seed_seconds": seed_s,
        "seeded": made,
        "poster_seed_seconds": poster_s,
        "posters": posters,
        "threads": args.threads,
        "requests": args.requests,
        "completed": len(results),
        "wall_seconds": wall,
        "rps": len(results) / wall,
        "median_ms": median(times),
        "p95_ms": percentile(times, 95),
        "server_median_ms": median(server_ms) if server_ms else None,
        "server_p95_ms": percentile(server_ms, 95) if server_ms else None,
        "statuses": statuses,
        "non_2xx": len(failures),
        "failures": failures[:5],
        "warm_up_non_2xx": sum(not 200 <= status < 300 for status, *_ in warm_results),
        "first_poster_mornings": mornings,
        "first_poster_expected": expected,
        "problems": ctx.problems,
    }


def main() -> int:
    args = parse_args()
    ctx = Context(quick=args.quick, keep_temp=args.keep_temp)
    try:
        result = leg(ctx, args)
    except BenchError as exc:
        result = {"error": str(exc), "problems": ctx.problems}
    finally:
        ctx.close()
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
