"""Run backcoach's benchmarks; write bench/results/<suite>.json and <suite>.md per suite.

    .venv/bin/python bench/run.py                 # every suite (the fresh-clone part takes minutes)
    .venv/bin/python bench/run.py --skip-make-run # without the fresh-clone `make run`
    .venv/bin/python bench/run.py --suite library # one suite (repeatable)
    .venv/bin/python bench/run.py --only server_time --only throughput  # only their suites
    .venv/bin/python bench/run.py --quick         # smoke test of the harness; *.tmp results
    .venv/bin/python bench/run.py --list

Adding a benchmark: write a function `def name(ctx: Context) -> list[Figure]` decorated
with `@benchmark("name", suite="...")` in a module of this folder, and add the module to
MODULES below. Benchmarks of a suite run in the order they are registered.

Exit status: 0 when every figure is within its budget, 1 when a budget is missed or a
benchmark failed (the results are written either way).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from context import Context
from figures import BenchError, Figure
from processes import BENCH_DIR
from registry import REGISTRY
from report import markdown_report, run_metadata

MODULES = [
    "foundation",
    "make_run_fresh",
    "library",
    "player_bytes",
    "player_ready",
    "player_cues",
    "lists",
    "diary_pages",
    "checkin_throughput",
    "experiments",
    "audio",
    "export",
    "clinician_report",
]


def write_atomically(path: Path, text: str) -> None:
    scratch = path.with_name(path.name + ".writing.tmp")
    scratch.write_text(text)
    os.replace(scratch, path)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run backcoach's benchmarks.")
    parser.add_argument(
        "--suite",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this suite (repeatable; default: every suite)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this benchmark (repeatable)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="NAME",
        help="skip this benchmark (repeatable)",
    )
    parser.add_argument(
        "--skip-make-run",
        action="store_true",
        help="skip the fresh-clone `make run` (same as --skip make_run)",
    )
    parser.add_argument(
        "--with-uncommitted",
        action="store_true",
        help="make_run: copy uncommitted files into the fresh clone",
    )
    parser.add_argument(
        "--pip-public-index",
        action="store_true",
        help="make_run: ignore this machine's pip configuration, download from PyPI",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="few samples, to test the harness; results go to *.tmp files",
    )
    parser.add_argument(
        "--keep-temp", action="store_true", help="keep temporary data folders and server logs"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=BENCH_DIR / "results",
        help="where results go (default bench/results)",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args(argv)
    if args.skip_make_run:
        args.skip.append("make_run")
    return args


def select(args: argparse.Namespace) -> tuple[list[str], str | None]:
    """The suites to run, in the order their modules register them, or an error message."""
    suites = list(dict.fromkeys(b.suite for b in REGISTRY))
    unknown_suites = set(args.suite) - set(suites)
    if unknown_suites:
        return [], f"no suite {', '.join(sorted(unknown_suites))}; there are: {', '.join(suites)}"
    chosen = [s for s in suites if s in args.suite] if args.suite else suites
    names = {b.name for b in REGISTRY if b.suite in chosen}
    unknown = set(args.only + args.skip) - names
    if unknown:
        return [], f"unknown benchmark(s): {', '.join(sorted(unknown))}"
    if args.only:  # only the suites that hold a benchmark asked for
        chosen = [s for s in chosen if any(b.suite == s and b.name in args.only for b in REGISTRY)]
    return chosen, None


def run_suite(
    suite_name: str, args: argparse.Namespace, ctx: Context
) -> tuple[list[Figure], list[dict], float]:
    figures: list[Figure] = []
    errors: list[dict] = []
    started = time.monotonic()
    for bench in (b for b in REGISTRY if b.suite == suite_name):
        if args.only and bench.name not in args.only:
            continue
        if bench.name in args.skip:
            figures.append(
                Figure(
                    bench.name,
                    bench.description,
                    None,
                    "",
                    0,
                    note="skipped on request",
                    status="skipped",
                )
            )
            continue
        ctx.say(f"== {suite_name}/{bench.name}: {bench.description}")
        bench_started = time.monotonic()
        try:
            figures += [figure.judge() for figure in bench.func(ctx)]
        except Exception as exc:  # one failed benchmark must not lose the others
            detail = str(exc) if isinstance(exc, BenchError) else traceback.format_exc()
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            errors.append({"benchmark": bench.name, "error": detail})
            figures.append(
                Figure(
                    bench.name,
                    bench.description,
                    None,
                    "",
                    0,
                    note=f"ERROR: {first_line}",
                    status="error",
                )
            )
            print(f"\n{bench.name} failed:\n{detail}\n", file=sys.stderr)
        ctx.say(f"== {bench.name} took {time.monotonic() - bench_started:.0f} s")
    return figures, errors, time.monotonic() - started


def write_suite(
    suite_name: str,
    args: argparse.Namespace,
    meta: dict,
    figures: list[Figure],
    errors: list[dict],
    problems: list[str],
) -> None:
    report = markdown_report(suite_name, meta, figures, problems)
    suffix = "-quick" if args.quick else ""
    tmp = ".tmp" if args.quick else ""  # *.tmp is git-ignored: quick figures stay local
    args.out.mkdir(parents=True, exist_ok=True)
    json_path = args.out / f"{suite_name}{suffix}.json{tmp}"
    md_path = args.out / f"{suite_name}{suffix}.md{tmp}"
    payload = {
        **meta,
        "figures": [f.as_dict() for f in figures],
        "errors": errors,
        "log_problems": problems,
    }
    write_atomically(json_path, json.dumps(payload, indent=2) + "\n")
    write_atomically(md_path, report)
    print(report)
    print(f"written: {json_path}, {md_path}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for module in MODULES:
        importlib.import_module(module)
    suites, error = select(args)
    if error:
        print(error, file=sys.stderr)
        return 2
    if args.list:
        for suite_name in suites:
            for b in (b for b in REGISTRY if b.suite == suite_name):
                print(f"{suite_name:11} {b.name:16} {'(slow) ' if b.slow else ''}{b.description}")
        return 0

    # A SIGTERM (or Ctrl+C) still stops every server we started: SystemExit runs `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ctx = Context(
        quick=args.quick,
        keep_temp=args.keep_temp,
        options={
            "with_uncommitted": args.with_uncommitted,
            "pip_public_index": args.pip_public_index,
        },
    )
    bad: list[str] = []
    try:
        for suite_name in suites:
            meta = run_metadata()
            meta.update(suite=suite_name, quick=args.quick, argv=sys.argv[1:])
            problems_before = len(ctx.problems)
            try:
                figures, errors, seconds = run_suite(suite_name, args, ctx)
            finally:
                ctx.end_suite()  # the shared server stops: its log's problems are this suite's
            meta["duration_s"] = round(seconds, 1)
            # A suite's results are written as soon as it ends, so that a later suite's
            # failure or interruption does not lose them.
            write_suite(suite_name, args, meta, figures, errors, ctx.problems[problems_before:])
            bad += [f"{suite_name}/{f.name}" for f in figures if f.status in ("fail", "error")]
    finally:
        ctx.close()
    if bad:
        print(f"not within budget or failed: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
