"""`make run` on a fresh clone: how long until the first page is served.

Clones this repository (committed files only) into a temporary folder, runs `make run`
there with an empty data folder and PIP_NO_CACHE_DIR=1, so that creating the venv and
downloading every package counts, and polls until `/` answers 200. Then stops it (the
whole process group) and runs `make run` once more in the same clone (venv built) with
another empty data folder.

Part of `bench/run.py` (skip it with --skip-make-run); also runs alone:

    .venv/bin/python bench/make_run_fresh.py [--pip-public-index] [--with-uncommitted]
                                             [--keep-temp]

--with-uncommitted copies untracked and modified files of the working tree into the
clone, to try the measurement before committing; such figures are marked and are not the
fresh-clone figure. --pip-public-index makes pip ignore this machine's pip configuration
(local wheel folders, mirrors) so that every package really is downloaded from PyPI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from context import Context
from figures import BenchError, Figure
from processes import REPO, clean_env, free_port, start_group, stop_group, tail, wait_for_200
from registry import benchmark
from report import markdown_table

FIRST_TIMEOUT_S = 30 * 60  # venv + downloads on a slow line
SECOND_TIMEOUT_S = 5 * 60
MAKE_ENV_CLEARED = (
    "VIRTUAL_ENV",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "MAKEOVERRIDES",
    "PYTHONHOME",
    "PYTHONPATH",
)


PIP_SOURCE_VARS = ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX")
PIP_CONFIG_FILES = (
    Path("/etc/pip.conf"),
    Path("/etc/xdg/pip/pip.conf"),
    Path.home() / ".pip" / "pip.conf",
    Path.home() / ".config" / "pip" / "pip.conf",
)


def fresh_shell_env(data_dir: Path, *, public_index: bool = False) -> dict:
    """The environment of a new terminal: no venv of ours on PATH, no outer make.

    With public_index, pip also ignores this machine's pip configuration (local wheel
    folders, mirrors) and downloads from PyPI as on a stranger's machine.
    """
    env = clean_env(BACKCOACH_DATA_DIR=str(data_dir), PIP_NO_CACHE_DIR="1")
    for name in MAKE_ENV_CLEARED:
        env.pop(name, None)
    if public_index:
        for name in PIP_SOURCE_VARS:
            env.pop(name, None)
        env["PIP_CONFIG_FILE"] = os.devnull
    ours = str(REPO / ".venv")
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p and not p.startswith(ours)
    )
    return env


def clone_repo(ctx: Context, with_uncommitted: bool) -> tuple[Path, int]:
    dest = ctx.root / "clone"
    done = subprocess.run(
        ["git", "clone", "--quiet", str(REPO), str(dest)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"git clone failed: {done.stderr.strip()}")
    copied = 0
    if with_uncommitted:
        listing = subprocess.run(
            [
                "git",
                "-C",
                str(REPO),
                "ls-files",
                "-z",
                "--others",
                "--modified",
                "--exclude-standard",
            ],
            capture_output=True,
            timeout=60,
            check=True,
        ).stdout.decode()
        for name in sorted({n for n in listing.split("\0") if n}):
            source, target = REPO / name, dest / name
            if source.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                copied += 1
    missing = [n for n in ("Makefile", "pyproject.toml") if not (dest / n).exists()]
    if missing:
        untracked = subprocess.run(
            ["git", "-C", str(REPO), "ls-files", "--others", "--exclude-standard"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        ).stdout.split()
        raise BenchError(
            f"the fresh clone lacks {', '.join(missing)}: not committed yet. Uncommitted "
            f"files: {', '.join(untracked) or 'none'}. Commit them, or try the "
            f"measurement with --with-uncommitted."
        )
    return dest, copied


def time_make_run(
    ctx: Context, clone: Path, label: str, timeout: float, public_index: bool
) -> float:
    data_dir = ctx.new_dir(f"data-{label}")
    port = free_port()
    ctx.log_count += 1
    log_path = ctx.logs_dir / f"{ctx.log_count:02d}-make-run-{label}.log"
    ctx.say(f"make run ({label}) in {clone} on port {port}; output in {log_path.name}")
    started = time.monotonic()
    proc = start_group(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=fresh_shell_env(data_dir, public_index=public_index),
        log_path=log_path,
    )
    try:
        ready = wait_for_200(port, "/", timeout=timeout, proc=proc, interval=0.5)
    except BenchError as exc:
        raise BenchError(
            f"make run ({label}): {exc}\n--- {log_path.name} ---\n{tail(log_path)}"
        ) from None
    finally:
        stop_group(proc)
        ctx.note_problems(log_path)
    return ready - started


def pip_sources_note(public_index: bool) -> str:
    """Says whether pip may have found packages locally instead of downloading them."""
    if public_index:
        return "pip: PyPI only (machine's pip config ignored)"
    local = [name for name in PIP_SOURCE_VARS if os.environ.get(name)]
    for path in PIP_CONFIG_FILES:
        try:
            text = path.read_text(errors="replace")
        except OSError:
            continue
        if "find-links" in text or "index-url" in text:
            local.append(str(path))
    if not local:
        return "pip: default sources"
    return "pip: local sources configured (" + ", ".join(local) + "), downloads may be fewer"


def python3_version(env: dict) -> str:
    try:
        done = subprocess.run(
            ["python3", "--version"],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
            check=False,
        )
    except OSError:
        return "python3 missing"
    return (done.stdout or done.stderr).strip()


@benchmark("make_run", suite="foundation", slow=True)
def make_run(ctx: Context) -> list[Figure]:
    """`make run` in a fresh clone: minutes until `/` first answers 200."""
    with_uncommitted = bool(ctx.options.get("with_uncommitted"))
    public_index = bool(ctx.options.get("pip_public_index"))
    started = time.monotonic()
    clone, copied = clone_repo(ctx, with_uncommitted)
    clone_seconds = time.monotonic() - started
    first = time_make_run(ctx, clone, "fresh", FIRST_TIMEOUT_S, public_index)
    second = time_make_run(ctx, clone, "again", SECOND_TIMEOUT_S, public_index)
    python = python3_version(fresh_shell_env(ctx.root))
    marker = (
        f"WORKING TREE: {copied} uncommitted files copied into the clone; "
        if with_uncommitted
        else ""
    )
    return [
        Figure(
            "make_run.fresh_clone",
            "`make run` on a fresh clone (venv, downloads, "
            "migrate, collectstatic) to first `/` 200",
            first / 60,
            "min",
            1,
            note=f"{marker}{first:.0f} s; PIP_NO_CACHE_DIR=1; {pip_sources_note(public_index)}; "
            f"{python}; "
            f"git clone ({clone_seconds:.1f} s) not counted",
        ),
        Figure(
            "make_run.again",
            "`make run` again in that clone (venv built), empty data folder, to first `/` 200",
            second / 60,
            "min",
            1,
            note=f"{marker}{second:.0f} s",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--with-uncommitted",
        action="store_true",
        help="copy untracked and modified files into the clone",
    )
    parser.add_argument(
        "--pip-public-index",
        action="store_true",
        help="ignore this machine's pip configuration: download everything from PyPI",
    )
    parser.add_argument(
        "--keep-temp", action="store_true", help="keep the clone, data folders and logs"
    )
    args = parser.parse_args(argv)
    options = {"with_uncommitted": args.with_uncommitted, "pip_public_index": args.pip_public_index}
    ctx = Context(keep_temp=args.keep_temp, options=options)
    try:
        figures = [f.judge() for f in make_run(ctx)]
    except BenchError as exc:
        print(f"make_run: {exc}", file=sys.stderr)
        return 1
    finally:
        ctx.close()
    print(markdown_table(figures))
    for problem in ctx.problems:
        print(f"log: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
