"""Library benchmarks: the routine builder's throughput, and loading the content files."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import time
from collections import Counter

from context import Context
from figures import BenchError, Figure, median, spread
from processes import BENCH_DIR, REPO, tail
from registry import benchmark

BUILDER_BUDGET_PER_S = 1000.0
REQUEST_SEED = 20261129


def moves_from_files() -> list:
    """The builder's view of the shipped techniques (as tests/library/test_builder.py has it)."""
    from backcoach.library import builder, content

    return [builder.move_for(technique) for technique in content.load_library().techniques]


def random_requests(count: int, seed: int = REQUEST_SEED) -> list:
    """`count` evenings; each subset has a size drawn uniformly from 0 to all of its words."""
    from backcoach.library import vocabulary
    from backcoach.library.builder import MAX_MINUTES, MIN_MINUTES, Request

    rng = random.Random(seed)

    def subset(words: dict) -> frozenset[str]:
        keys = sorted(words)
        return frozenset(rng.sample(keys, rng.randint(0, len(keys))))

    return [
        Request(
            minutes=rng.randint(MIN_MINUTES, MAX_MINUTES),
            equipment=subset(vocabulary.EQUIPMENT),
            focus=subset(vocabulary.BODY_AREAS),
            avoid_positions=subset(vocabulary.POSITIONS),
            pain=rng.randint(0, 10),
            conditions=subset(vocabulary.CONTRAINDICATIONS),
            in_bed=rng.random() < 0.5,
            gentle_only=rng.random() < 0.5,
        )
        for _ in range(count)
    ]


@benchmark("routine_builder", suite="library")
def routine_builder(ctx: Context) -> list[Figure]:
    """`build_routine` over seeded random evenings, pure Python, no server or database."""
    from backcoach.library.builder import TOLERANCE_SECONDS, NothingFits, build_routine

    moves = moves_from_files()
    per_run = ctx.n(5000, 500)
    runs = ctx.n(5, 2)
    requests = random_requests(per_run)

    # One untimed pass: what the answers are, and whether the routines keep their promises.
    refusals: Counter[str] = Counter()
    broken: list[str] = []
    built = 0
    for request in requests:
        try:
            plan = build_routine(request, moves)
        except NothingFits as exc:
            # grouped by the message's first clause, numbers left out
            refusals[re.sub(r"[0-9]+", "N", re.split(r"[:;]", str(exc))[0])[:70]] += 1
            continue
        built += 1
        if abs(plan.total - request.minutes * 60) > TOLERANCE_SECONDS:
            broken.append(f"{request.minutes} min asked, {plan.total} s built")
    refused = sum(refusals.values())
    if not built:
        raise BenchError("no request got a routine: the requests say nothing of the builder")

    rates: list[float] = []
    built_us: list[float] = []
    refused_us: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        for request in requests:
            before = time.perf_counter()
            try:
                build_routine(request, moves)
            except NothingFits:
                refused_us.append((time.perf_counter() - before) * 1e6)
            else:
                built_us.append((time.perf_counter() - before) * 1e6)
        rates.append(len(requests) / (time.perf_counter() - started))

    if broken:
        ctx.problems.append(
            f"routine_builder: {len(broken)} routines miss their minutes by more than "
            f"{TOLERANCE_SECONDS} s, e.g. {broken[0]}"
        )
    top = ", ".join(f"{reason!r} x{n}" for reason, n in refusals.most_common(3))
    return [
        Figure(
            "library.builder.routines_per_s",
            f"`build_routine`, {len(moves)} shipped techniques, {per_run} seeded random "
            "requests a run (refusals count as answers)",
            median(rates),
            "/s",
            len(rates),
            budget=BUILDER_BUDGET_PER_S,
            budget_op=">=",
            note=(
                f"{spread(rates, '{:.0f}')}; per call median "
                f"{median(built_us):.0f} µs when a routine is built, "
                f"{median(refused_us):.0f} µs when refused; seed {REQUEST_SEED}"
                + (
                    f"; {len(broken)} routines broke the ±{TOLERANCE_SECONDS} s promise"
                    if broken
                    else ""
                )
            ),
        ),
        Figure(
            "library.builder.built_per_s",
            "the same, counting only the requests that got a routine (1 / mean time per call)",
            1e6 / (sum(built_us) / len(built_us)),
            "/s",
            len(built_us),
            note=f"{built} of {len(requests)} requests a run get a routine",
        ),
        Figure(
            "library.builder.refusal_share",
            "share of those requests answered with NothingFits",
            100 * refused / len(requests),
            "%",
            len(requests),
            note=f"{built} routines, {refused} refusals; most common: {top}",
        ),
    ]


@benchmark("library_load", suite="library")
def library_load(ctx: Context) -> list[Figure]:
    """Parsing the content files, and `library_load` into an empty and an up-to-date SQLite."""
    runs = ctx.n(7, 2)
    data_dir = ctx.new_dir("library-load")
    env = ctx.env(data_dir, DJANGO_SETTINGS_MODULE="backcoach.settings")
    ctx.log_count += 1
    log_path = ctx.logs_dir / f"{ctx.log_count:02d}-library-load.log"
    ctx.say(f"library load: {runs} runs each in a subprocess, SQLite in {data_dir}")
    with open(log_path, "wb") as log:
        done = subprocess.run(
            [sys.executable, str(BENCH_DIR / "library_load_worker.py"), "--runs", str(runs)],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            timeout=600,
            check=False,
        )
    ctx.note_problems(log_path)
    if done.returncode != 0:
        raise BenchError(f"library_load_worker.py failed ({done.returncode}):\n{tail(log_path)}")
    try:
        got = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise BenchError(
            f"library_load_worker.py printed no JSON: {done.stdout[-500:]!r}"
        ) from None
    for problem in got["problems"]:
        ctx.problems.append(f"library_load: {problem}")

    counts = got["counts"]
    what = (
        f"{counts['techniques']} techniques, {counts['routines']} routines, "
        f"{counts['sources']} sources"
    )
    first_q, noop_q = got["first_load_queries"], got["noop_queries"]
    noop_note = [f"{noop_q['queries']} queries in all"]
    if noop_q["writes"]:
        noop_note.append("writes: " + " | ".join(noop_q["write_examples"]))
        ctx.problems.append(f"library_load: the no-op load wrote {noop_q['writes']} times")
    if noop_q["other_statements"]:
        noop_note.append("other statements: " + " | ".join(noop_q["other_statements"]))
    if got["noop_changed"]:
        noop_note.append("the no-op load reported a change")
    return [
        Figure(
            "library.parse_files",
            f"`content.load_library()`: parse the content files ({what}), no database",
            median(got["parse_ms"]),
            "ms",
            len(got["parse_ms"]),
            note=spread(got["parse_ms"], "{:.0f}"),
        ),
        Figure(
            "library.load.first",
            "`library_load(library=content.load_library())` into empty library tables "
            "(SQLite; parsing included)",
            median(got["first_load_ms"]),
            "ms",
            len(got["first_load_ms"]),
            note=(
                f"{spread(got['first_load_ms'], '{:.0f}')}; library rows deleted before each "
                f"run; {first_q['queries']} queries of which {first_q['writes']} writes"
            ),
        ),
        Figure(
            "library.load.noop",
            "the same when nothing changed (a no-op; parsing included)",
            median(got["noop_ms"]),
            "ms",
            len(got["noop_ms"]),
            note=f"{spread(got['noop_ms'], '{:.0f}')}; after: {got['status']}",
        ),
        Figure(
            "library.load.noop_writes",
            "write queries in a no-op load (CaptureQueriesContext, default connection)",
            noop_q["writes"],
            "queries",
            1,
            budget=0,
            note="; ".join(noop_note),
        ),
    ]
