"""Diary benchmark, writes: morning check-ins POSTed to /api/checkins/ by logged-in people,
requests per second and latency, against `backcoach serve --workers 2` on SQLite and on
PostgreSQL, each with 1,000 people's year of practices and diaries.

Each database is one run of bench/checkin_throughput_worker.py in a process group of its
own (PostgreSQL under scripts/with-postgres, which makes and removes a throwaway cluster);
this module turns its JSON into figures.
"""

from __future__ import annotations

import json

from context import Context
from figures import BenchError, Figure
from processes import BENCH_DIR, REPO, VENV_BIN, clean_env, start_group, stop_group, tail
from registry import benchmark

LEG_TIMEOUT_S = 1800  # seeding 1,000 people's year takes minutes; the POSTs under one
DATABASES = {
    "sqlite": [],
    "postgres": [str(REPO / "scripts" / "with-postgres")],
}
CLUSTER_NOTE = (
    "scripts/with-postgres's throwaway cluster: fsync, synchronous_commit and "
    "full_page_writes off, a Unix socket"
)


def run_leg(ctx: Context, database: str) -> dict:
    out = ctx.root / f"throughput-{database}.json"
    ctx.log_count += 1
    log_path = ctx.logs_dir / f"{ctx.log_count:02d}-throughput-{database}.log"
    args = [
        *DATABASES[database],
        str(VENV_BIN / "python"),
        str(BENCH_DIR / "checkin_throughput_worker.py"),
        "--out",
        str(out),
    ]
    if ctx.quick:
        args.append("--quick")
    if ctx.keep_temp:
        args.append("--keep-temp")
    ctx.say(f"throughput: the {database} leg ({' '.join(args[-4:])})")
    proc = start_group(args, cwd=REPO, env=clean_env(), log_path=log_path)
    try:
        proc.wait(timeout=LEG_TIMEOUT_S)
    except Exception:
        stop_group(proc)
        raise BenchError(f"the {database} leg took over {LEG_TIMEOUT_S} s") from None
    stop_group(proc, grace=5)
    ctx.note_problems(log_path)
    if not out.exists():
        raise BenchError(f"the {database} leg wrote no result:\n{tail(log_path)}")
    result = json.loads(out.read_text())
    for line in result.get("problems", []):
        if line not in ctx.problems:
            ctx.problems.append(f"{database}: {line}")
    if "error" in result:
        raise BenchError(f"the {database} leg failed: {result['error']}")
    return result


def figures_for(result: dict) -> list[Figure]:
    db = result["database"]
    seeded = result["seeded"]
    n = result["completed"]
    about = (
        f"{result['requests']} POSTs from {result['threads']} threads, {result['posters']} "
        f"people round-robin, {n} answered in {result['wall_seconds']:.1f} s"
    )
    if db == "postgres":
        about += f"; {CLUSTER_NOTE}"
    listed = result["first_poster_mornings"]
    check = (
        f"the first person's API lists {listed} morning check-ins "
        f"(expected {result['first_poster_expected']})"
    )
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result["statuses"].items()))
    failures = "; ".join(result["failures"])
    return [
        Figure(
            f"diary.seed_1000.{db}",
            f"`seed-demo --users {result['users']} --days {result['days']} --practices "
            f"--diary`, {db}",
            result["seed_seconds"],
            "s",
            1,
            note=f"{seeded.get('practices')} practices, {seeded.get('check-ins')} check-ins; "
            f"then {result['posters']} more people with practices only (who post): "
            f"{result['poster_seed_seconds']:.0f} s",
        ),
        Figure(
            f"diary.checkin_post.{db}.rps",
            f"morning check-in POST /api/checkins/, {db}, `serve --workers 2`: requests/s",
            result["rps"],
            "req/s",
            n,
            note=about,
        ),
        Figure(
            f"diary.checkin_post.{db}.median",
            "the same, client round trip, median",
            result["median_ms"],
            "ms",
            n,
        ),
        Figure(
            f"diary.checkin_post.{db}.p95",
            "the same, client round trip, p95 (nearest rank)",
            result["p95_ms"],
            "ms",
            n,
        ),
        Figure(
            f"diary.checkin_post.{db}.server_median",
            "the same, server time (`Server-Timing`), median",
            result["server_median_ms"],
            "ms",
            n,
            note=f"p95 {result['server_p95_ms']:.1f} ms" if result["server_p95_ms"] else "",
        ),
        Figure(
            f"diary.checkin_post.{db}.non_2xx",
            "the same, answers other than 2xx",
            result["non_2xx"],
            "answers",
            n,
            budget=0,
            note=f"statuses {statuses}; {check}"
            + (
                f"; warm-up non-2xx {result['warm_up_non_2xx']}"
                if result["warm_up_non_2xx"]
                else ""
            )
            + (f"; first failures: {failures}" if failures else ""),
        ),
    ]


@benchmark("checkin_throughput", suite="diary", slow=True)
def checkin_throughput(ctx: Context) -> list[Figure]:
    """Morning check-in POSTs: requests/s and p95, SQLite and PostgreSQL, 1,000 people."""
    figures: list[Figure] = []
    for database in DATABASES:
        try:
            figures += figures_for(run_leg(ctx, database))
        except BenchError as exc:  # one database's failure keeps the other's figures
            figures.append(
                Figure(
                    f"diary.checkin_post.{database}.rps",
                    f"morning check-in POST /api/checkins/, {database}",
                    None,
                    "req/s",
                    0,
                    status="error",
                    note=f"ERROR: {str(exc).splitlines()[0]}",
                )
            )
            ctx.problems.append(f"checkin_throughput {database}: {exc}")
    return figures
