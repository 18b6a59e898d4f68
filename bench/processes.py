"""Processes the benchmarks start: process groups, free ports, waiting for a server to
answer, the problems in a log, and `Server` (one `backcoach serve`).

Everything here is bounded: every wait has a deadline, every loop a count, and every
server is started in its own process group and killed as a group when it is stopped, when
the run ends, or when the run is interrupted.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from figures import BenchError

if TYPE_CHECKING:
    from context import Context

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
VENV_BIN = REPO / ".venv" / "bin"
BACKCOACH = VENV_BIN / "backcoach"
HOST = "127.0.0.1"

# Variables that would make the benchmarked server differ from a default install.
CLEARED_ENV = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY")


# Processes ------------------------------------------------------------------------------
_LIVE_GROUPS: dict[int, subprocess.Popen] = {}


def start_group(args: list[str], *, cwd: Path, env: dict, log_path: Path) -> subprocess.Popen:
    """Start `args` as the leader of a new process group, output appended to log_path."""
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _LIVE_GROUPS[proc.pid] = proc
    return proc


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_group(proc: subprocess.Popen, *, grace: float = 20.0) -> float:
    """SIGTERM the whole process group, SIGKILL it after `grace` seconds; return seconds taken."""
    pgid = proc.pid  # leader of its own session, so its pid is the group id
    started = time.monotonic()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    deadline = started + grace
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    for _ in range(200):  # workers may outlive the leader briefly; bounded wait
        if not _group_alive(pgid) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if _group_alive(pgid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
    _LIVE_GROUPS.pop(proc.pid, None)
    return time.monotonic() - started


def stop_all_groups() -> None:
    for proc in list(_LIVE_GROUPS.values()):
        stop_group(proc, grace=5.0)


atexit.register(stop_all_groups)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
    env.update(extra)
    return env


def tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def wait_for_200(
    port: int,
    path: str,
    *,
    timeout: float,
    proc: subprocess.Popen | None = None,
    interval: float = 0.05,
) -> float:
    """Poll http://127.0.0.1:port/path until it answers 200; return monotonic time of that."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise BenchError(
                f"the process exited with code {proc.returncode} before {path} answered ({last})"
            )
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            if resp.status == 200:
                return time.monotonic()
            last = f"HTTP {resp.status}"
        except OSError as exc:  # refused, reset, timeout: not up yet
            last = type(exc).__name__
        except http.client.HTTPException as exc:
            last = type(exc).__name__
        finally:
            conn.close()
        time.sleep(interval)
    raise BenchError(f"{path} on port {port} did not answer 200 within {timeout:.0f} s ({last})")


# Server logs ----------------------------------------------------------------------------
PROBLEM = re.compile(
    r"Traceback|Error|Exception|\bERROR\b|\bWARNING\b|\bCRITICAL\b|\[(?:WARNING|ERROR|CRITICAL)\]"
    r"|Not Found:|Bad Request:|Forbidden|Internal Server Error|Killed|timeout"
    r"|login failure|locked out",
    re.I,
)


# Noise from this machine's pip configuration, not from backcoach.
NOT_A_PROBLEM = re.compile(r"WARNING: Location '[^']*' is ignored: it is neither a file nor a")


def problems_in(path: Path, limit: int = 40) -> list[str]:
    """Lines of a log that look like warnings or errors (deduplicated, in order)."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return []
    found: list[str] = []
    for line in lines:
        text = line.strip()
        if PROBLEM.search(text) and not NOT_A_PROBLEM.search(text) and text not in found:
            found.append(text)
            if len(found) >= limit:
                break
    return found


# Servers --------------------------------------------------------------------------------
class Server:
    """One `backcoach serve` on a free port, in its own process group.

    `settings` names a settings module for this server only (DJANGO_SETTINGS_MODULE, with
    the repository on PYTHONPATH so that a module of bench/ can be named, such as
    `bench.floor_settings`); without it the server has a default install's settings.
    `env` adds variables to the server's environment (the cleared ones included, so a
    benchmark can name a DATABASE_URL on purpose).
    """

    def __init__(
        self,
        ctx: Context,
        data_dir: Path,
        *,
        workers: int = 2,
        label: str = "serve",
        settings: str | None = None,
        env: dict[str, str] | None = None,
    ):
        self.ctx = ctx
        self.data_dir = data_dir
        self.workers = workers
        self.settings = settings
        self.extra_env = dict(env or {})  # e.g. a DATABASE_URL the harness means to use
        self.port = free_port()
        ctx.log_count += 1
        self.log_path = ctx.logs_dir / f"{ctx.log_count:02d}-{label}.log"
        self.proc: subprocess.Popen | None = None
        self.start_seconds: float | None = None

    def start(self, timeout: float = 120.0) -> float:
        """Start the server; return seconds until the first 200 from /health/."""
        args = [
            str(BACKCOACH),
            "serve",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        extra = dict(self.extra_env)
        if self.settings:
            extra.update(DJANGO_SETTINGS_MODULE=self.settings, PYTHONPATH=str(REPO))
        started = time.monotonic()
        self.proc = start_group(
            args, cwd=REPO, env=self.ctx.env(self.data_dir, **extra), log_path=self.log_path
        )
        try:
            ready = wait_for_200(self.port, "/health/", timeout=timeout, proc=self.proc)
        except BenchError as exc:
            self.stop()
            raise BenchError(
                f"{exc}\n--- {self.log_path.name} ---\n{tail(self.log_path)}"
            ) from None
        self.start_seconds = ready - started
        return self.start_seconds

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> float:
        if self.proc is None:
            return 0.0
        seconds = stop_group(self.proc)
        self.proc = None
        self.ctx.note_problems(self.log_path)
        return seconds

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
