"""The results of a suite as a person reads them: the run's circumstances (commit, load
average) and the Markdown table of its figures."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from figures import Figure
from processes import REPO
from wrk import wrk_version


def run_metadata() -> dict:
    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", "-C", str(REPO), *args],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "git_commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "git_dirty": bool(git("status", "--porcelain")),
        "python": sys.version.split()[0],
        "cpu_count": os.cpu_count(),
        # other work on the machine makes figures noisy; this says how busy it was at start
        "load_average_1m": round(os.getloadavg()[0], 2),
        "platform": sys.platform,
        "wrk": wrk_version(),
    }


def format_value(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def markdown_table(figures: list[Figure]) -> str:
    rows = [
        "| Figure | Value | Unit | Budget | Status | n | Note |",
        "|---|---:|---|---|---|---:|---|",
    ]
    for fig in figures:
        budget = f"{fig.budget_op} {format_value(fig.budget)}" if fig.budget is not None else ""
        note = fig.note.replace("|", "\\|").replace("\n", " ")
        rows.append(
            f"| {fig.title} | {format_value(fig.value)} | {fig.unit} | {budget} | "
            f"{fig.status} | {fig.samples} | {note} |"
        )
    return "\n".join(rows)


def markdown_report(suite: str, meta: dict, figures: list[Figure], problems: list[str]) -> str:
    load = meta.get("load_average_1m")
    load = f" (load average {load:.1f} at start)" if load is not None else ""
    lines = [
        f"# Benchmarks: {suite}",
        "",
        f"{meta['date']}, commit {meta['git_commit']}"
        f"{' (with uncommitted changes)' if meta.get('git_dirty') else ''}, "
        f"Python {meta['python']}, {meta['cpu_count']} CPUs{load}, wrk {meta['wrk']}"
        f"{', QUICK smoke run, not real figures' if meta.get('quick') else ''}",
        "",
        "Medians unless the figure says otherwise; n is the number of samples. "
        "See bench/README.md for what each figure means.",
        "",
        markdown_table(figures),
        "",
    ]
    if problems:
        lines += ["## Warnings and errors in the logs", ""]
        lines += [f"- `{p}`" for p in problems]
        lines.append("")
    return "\n".join(lines)
