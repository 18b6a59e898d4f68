"""Export benchmark: `backcoach export` of one person's full diary, one year and five years,
against the same command for a person with nothing: time, peak memory and file size.

The point is that the export streams (backcoach/portability/export.py): a chunk of rows
at a time, so the memory it takes must not grow with the years exported. Each export is
its own process, `.venv/bin/backcoach export --person EMAIL --format F --to FILE` on a
data folder of this benchmark's own, and its peak memory is the child's peak resident
set size as the kernel reports it when the child is reaped (`os.wait4`'s
`ru_maxrss`). The person with nothing gives the floor: what Django, the settings and the
command itself take, so that what is left is the data's share.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import threading
import time
import zipfile
from pathlib import Path

from context import Context
from figures import BenchError, Figure, median, spread
from processes import BACKCOACH, REPO, tail
from registry import benchmark

DOMAIN = "demo.backcoach.invalid"
PEOPLE = {  # key: (seed-demo --first, days, with practices and a diary)
    "1y": (1, 365, True),
    "5y": (2, 1826, True),
    "empty": (3, 1, False),
}
TITLES = {"empty": "a person with nothing", "1y": "one year", "5y": "five years"}
FORMATS = ("zip", "json", "fhir")
PEAK_RATIO_BUDGET = 1.3
EXPORT_TIMEOUT_S = 600
MB = 1_000_000
CREATED = re.compile(r"^([0-9]+) demo (practices|check-ins) created", re.M)


def email(key: str) -> str:
    return f"demo-{PEOPLE[key][0]:06d}@{DOMAIN}"


def seed(ctx: Context, data_dir: Path, key: str) -> tuple[float, dict[str, int]]:
    """seed-demo one person; return its seconds and the practices and check-ins it made."""
    first, days, full = PEOPLE[key]
    args = ["--users", "1", "--first", str(first), "--days", str(days)]
    if full:
        args += ["--practices", "--diary"]
    seconds = ctx.backcoach("seed-demo", *args, data_dir=data_dir)
    log = ctx.logs_dir / f"{ctx.log_count:02d}-seed-demo.log"
    found = {what: int(n) for n, what in CREATED.findall(log.read_text(errors="replace"))}
    if full and set(found) != {"practices", "check-ins"}:
        raise BenchError(f"seed-demo did not say what it made ({log.name})")
    return seconds, {"practices": found.get("practices", 0), "check-ins": found.get("check-ins", 0)}


def run_export(ctx: Context, data_dir: Path, key: str, fmt: str, target: Path) -> dict:
    """One `backcoach export` in a process of its own; its wall time, peak RSS and CPU."""
    ctx.log_count += 1
    log_path = ctx.logs_dir / f"{ctx.log_count:02d}-export-{fmt}-{key}.log"
    args = [str(BACKCOACH), "export", "--person", email(key), "--format", fmt]
    args += ["--to", str(target), "--force"]
    with open(log_path, "wb") as log:
        started = time.monotonic()
        proc = subprocess.Popen(
            args,
            cwd=REPO,
            env=ctx.env(data_dir),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    timer = threading.Timer(EXPORT_TIMEOUT_S, os.killpg, (proc.pid, signal.SIGKILL))
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage, reaped here
    finally:
        timer.cancel()
    seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
    ctx.note_problems(log_path)
    if proc.returncode != 0:
        raise BenchError(
            f"backcoach {' '.join(args[1:])} failed ({proc.returncode}):\n{tail(log_path)}"
        )
    return {
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss * 1024 / MB,  # Linux gives ru_maxrss in KiB
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "bytes": target.stat().st_size,
    }


def check_file(path: Path, fmt: str, counts: dict[str, int]) -> str:
    """Read an export back and check that it holds the person's rows; say what it holds."""
    if fmt == "zip":
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise BenchError(f"{path.name}: member {bad} is corrupt")
            names = archive.namelist()
            with archive.open("checkins.csv") as member:
                checkins = sum(1 for _ in csv.reader(io.TextIOWrapper(member, "utf-8"))) - 1
            with archive.open("practices.csv") as member:
                practices = sum(1 for _ in csv.reader(io.TextIOWrapper(member, "utf-8"))) - 1
            inflated = sum(info.file_size for info in archive.infolist())
        what = f"{len(names)} files, {inflated / MB:.1f} MB inflated"
    elif fmt == "json":
        tables = json.loads(path.read_bytes())["tables"]
        checkins, practices = len(tables["checkins"]), len(tables["practices"])
        what = f"{sum(len(rows) for rows in tables.values())} rows in {len(tables)} tables"
    else:
        entries = json.loads(path.read_bytes())["entry"]
        observations = sum(e["resource"]["resourceType"] == "Observation" for e in entries)
        if counts["check-ins"] and not observations:
            raise BenchError(f"{path.name}: no Observations for {counts['check-ins']} check-ins")
        return f"{observations} Observations"
    if (checkins, practices) != (counts["check-ins"], counts["practices"]):
        raise BenchError(
            f"{path.name} holds {checkins} check-ins and {practices} practices, "
            f"the person has {counts['check-ins']} and {counts['practices']}"
        )
    return f"{checkins} check-ins, {practices} practices; {what}"


@benchmark("data_export", suite="export")
def data_export(ctx: Context) -> list[Figure]:
    """`backcoach export` of 1 and 5 years of diary: time, peak memory (RSS), file size."""
    data_dir = ctx.new_dir("export-data")
    ctx.backcoach("migrate", "--no-input", "--verbosity", "0", data_dir=data_dir)
    counts: dict[str, dict[str, int]] = {}
    seed_seconds: dict[str, float] = {}
    for key in PEOPLE:
        ctx.say(f"export: seeding {TITLES[key]} ({PEOPLE[key][1]} days)")
        seed_seconds[key], counts[key] = seed(ctx, data_dir, key)
    out_dir = ctx.new_dir("export-files")
    targets = [(fmt, key) for fmt in FORMATS for key in PEOPLE]
    looked: dict[tuple[str, str], str] = {}
    for fmt, key in targets:  # one unmeasured run each, read back and checked
        target = out_dir / f"{key}.{fmt}"
        run_export(ctx, data_dir, key, fmt, target)
        looked[(fmt, key)] = check_file(target, fmt, counts[key])
        target.unlink()
    rounds = ctx.n(7, 1)
    ctx.say(f"export: {rounds} rounds of {len(targets)} exports, taking turns")
    runs: dict[tuple[str, str], list[dict]] = {t: [] for t in targets}
    for number in range(rounds):
        shift = number % len(targets)
        for fmt, key in targets[shift:] + targets[:shift]:
            target = out_dir / f"{key}.{fmt}"
            runs[(fmt, key)].append(run_export(ctx, data_dir, key, fmt, target))
            target.unlink()
    figures = [
        Figure(
            "export.seed",
            "`seed-demo --users 1 --days 1826 --practices --diary`: five years",
            seed_seconds["5y"],
            "s",
            1,
            note="; ".join(
                f"{TITLES[k]}: {counts[k]['check-ins']} check-ins, {counts[k]['practices']} "
                f"practices" + (f", seeded in {seed_seconds[k]:.0f} s" if k != "5y" else "")
                for k in PEOPLE
            ),
        )
    ]
    for fmt in FORMATS:
        figures += format_figures(fmt, runs, looked, rounds)
    return figures


def format_figures(fmt: str, runs: dict, looked: dict, rounds: int) -> list[Figure]:
    def med(key: str, what: str) -> float:
        return median(run[what] for run in runs[(fmt, key)])

    label = f"`export --format {fmt}`"
    peak = {key: med(key, "peak_mb") for key in PEOPLE}
    share = {key: peak[key] - peak["empty"] for key in ("1y", "5y")}
    seconds = {key: med(key, "seconds") for key in PEOPLE}
    cpu = {key: med(key, "cpu_seconds") for key in PEOPLE}
    size = {key: runs[(fmt, key)][0]["bytes"] / MB for key in PEOPLE}
    figures = []
    for key in ("empty", "1y", "5y"):
        note = f"{spread((r['seconds'] for r in runs[(fmt, key)]), '{:.2f}')} s"
        note += f"; CPU (user + system) {cpu[key]:.2f} s"
        if key != "empty":
            more = seconds[key] - seconds["empty"]
            note += f"; the data's share (minus the empty person's) {more:+.2f} s"
        figures.append(
            Figure(
                f"export.{fmt}.{key}.seconds",
                f"{label}, {TITLES[key]}: wall time of the command, median",
                seconds[key],
                "s",
                rounds,
                note=note,
            )
        )
    for key in ("empty", "1y", "5y"):
        note = f"{spread((r['peak_mb'] for r in runs[(fmt, key)]), '{:.1f}')} MB"
        if key != "empty":
            note += f"; the data's share (minus the empty person's) {share[key]:+.1f} MB"
        figures.append(
            Figure(
                f"export.{fmt}.{key}.peak_rss",
                f"{label}, {TITLES[key]}: peak RSS of the process, median",
                peak[key],
                "MB",
                rounds,
                note=note,
            )
        )
    figures += [
        Figure(
            f"export.{fmt}.peak_ratio",
            f"{label}: peak RSS five years / one year",
            peak["5y"] / peak["1y"],
            "x",
            rounds,
            budget=PEAK_RATIO_BUDGET,
            note=f"{peak['5y']:.1f} MB / {peak['1y']:.1f} MB "
            f"(empty person: {peak['empty']:.1f} MB); "
            f"the data's share {share['5y']:+.1f} MB / {share['1y']:+.1f} MB",
        ),
        Figure(
            f"export.{fmt}.5y.size",
            f"{label}, five years: file size",
            size["5y"],
            "MB",
            1,
            note=f"{size['5y'] / size['1y']:.1f}x one year's {size['1y']:.2f} MB "
            f"(empty person: {size['empty'] * 1000:.1f} kB); {looked[(fmt, '5y')]}",
        ),
        Figure(
            f"export.{fmt}.5y.time_ratio",
            f"{label}: wall time five years / one year",
            seconds["5y"] / seconds["1y"],
            "x",
            rounds,
            note=f"the data's share (minus the empty person's time): "
            f"{seconds['5y'] - seconds['empty']:+.2f} s / {seconds['1y'] - seconds['empty']:+.2f} s"
            f"; in CPU time (user + system, steadier on a busy machine): "
            f"{cpu['5y'] - cpu['empty']:+.2f} s / {cpu['1y'] - cpu['empty']:+.2f} s",
        ),
    ]
    return figures
