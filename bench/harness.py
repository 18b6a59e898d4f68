"""Shared machinery for backcoach benchmarks.

A benchmark is a function that takes a `Context` and returns a list of `Figure`s. It is
registered with the `@benchmark(name, suite=...)` decorator; `bench/run.py` imports the
modules listed in its MODULES, runs the registered benchmarks of a suite in order and
writes `bench/results/<suite>.json` and `<suite>.md`.

Everything here is bounded: every wait has a deadline, every loop a count, and every
server is started in its own process group and killed as a group when it is stopped, when
the run ends, or when the run is interrupted.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
VENV_BIN = REPO / ".venv" / "bin"
BACKCOACH = VENV_BIN / "backcoach"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
HOST = "127.0.0.1"

DEMO_USERS = 1000
DEMO_DAYS = 90
DEMO_EMAIL = "demo-000001@demo.backcoach.invalid"
DEMO_PASSWORD = "demo-password-1234"  # noqa: S105 - the published demo password (seed_demo.py)

# Variables that would make the benchmarked server differ from a default install.
CLEARED_ENV = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY")


class BenchError(Exception):
    """A benchmark could not measure what it set out to measure."""


# Figures --------------------------------------------------------------------------------
@dataclass
class Figure:
    name: str  # stable id, e.g. "startup.second_start"
    title: str  # what a person reads in the table
    value: float | None
    unit: str
    samples: int
    budget: float | None = None
    budget_op: str = "<="  # "<=" (value must not exceed budget) or ">="
    note: str = ""
    status: str = ""  # filled in by `judge`: pass, fail, n/a, skipped, error

    def judge(self) -> Figure:
        if self.status in ("skipped", "error"):
            return self
        if self.value is None:
            self.status = "error"
        elif self.budget is None:
            self.status = "n/a"
        elif self.budget_op == "<=":
            self.status = "pass" if self.value <= self.budget else "fail"
        else:
            self.status = "pass" if self.value >= self.budget else "fail"
        return self

    def as_dict(self) -> dict:
        data = asdict(self)
        if isinstance(self.value, float):
            data["value"] = round(self.value, 4)
        data["passed"] = {"pass": True, "fail": False}.get(self.status)
        return data


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def percentile(values: Iterable[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least pct% of samples at or below."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def spread(values: Iterable[float], fmt: str = "{:.2f}") -> str:
    values = list(values)
    return f"min {fmt.format(min(values))}, max {fmt.format(max(values))}"


# Registry -------------------------------------------------------------------------------
@dataclass
class Benchmark:
    name: str
    suite: str
    func: Callable[[Context], list[Figure]]
    slow: bool = False
    description: str = ""


REGISTRY: list[Benchmark] = []


def benchmark(name: str, *, suite: str, slow: bool = False):
    """Register `func(ctx) -> list[Figure]` as benchmark `name` of `suite` (runs in order)."""

    def register(func):
        if any(b.name == name for b in REGISTRY):
            raise ValueError(f"a benchmark named {name!r} is registered already")
        doc = (func.__doc__ or "").strip().splitlines()
        REGISTRY.append(Benchmark(name, suite, func, slow, doc[0] if doc else ""))
        return func

    return register


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


# HTTP -----------------------------------------------------------------------------------
SERVER_TIMING = re.compile(r"\bapp;dur=([0-9]+(?:\.[0-9]+)?)")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float  # client-side round trip

    @property
    def server_ms(self) -> float | None:
        match = SERVER_TIMING.search(self.headers.get("Server-Timing", ""))
        return float(match.group(1)) if match else None


class Client:
    """A keep-alive HTTP/1.1 client for 127.0.0.1 with a minimal cookie jar."""

    def __init__(self, port: int, timeout: float = 15.0):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, path: str, *, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):  # one retry: the server may close an idle keep-alive socket
            if self._conn is None:
                self._conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                started = time.perf_counter()
                self._conn.request(method, path, body=body, headers=headers)
                raw = self._conn.getresponse()
                data = raw.read()
                elapsed = time.perf_counter() - started
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
                continue
            if raw.will_close:
                self.close()
            for header in raw.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(raw.status, raw.headers, data, elapsed)
        raise BenchError("unreachable")

    def get(self, path: str, headers=None) -> Response:
        return self.request("GET", path, headers=headers)


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


# wrk ------------------------------------------------------------------------------------
_TIME_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise BenchError(f"cannot read wrk time {text!r}")
    return float(match.group(1)) * _TIME_UNITS[match.group(2)]


@dataclass
class WrkResult:
    rps: float
    requests: int
    latency_avg_ms: float
    latency_max_ms: float
    latency_pct_ms: dict[str, float] = field(default_factory=dict)  # "50%" -> ms
    non_2xx_3xx: int = 0
    socket_errors: str = ""
    output: str = ""


def parse_wrk(output: str) -> WrkResult:
    rps = re.search(r"^Requests/sec:\s+([0-9.]+)", output, re.M)
    total = re.search(r"^\s*([0-9]+) requests in ", output, re.M)
    latency = re.search(r"^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)", output, re.M)
    if not (rps and total and latency):
        raise BenchError(f"cannot read wrk's output:\n{output}")
    pcts = {p: _ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", output, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+([0-9]+)", output)
    sock = re.search(r"Socket errors:\s+(.+)$", output, re.M)
    return WrkResult(
        rps=float(rps.group(1)),
        requests=int(total.group(1)),
        latency_avg_ms=_ms(latency.group(1)),
        latency_max_ms=_ms(latency.group(3)),
        latency_pct_ms={f"{p}%": v for p, v in pcts.items()},
        non_2xx_3xx=int(non2xx.group(1)) if non2xx else 0,
        socket_errors=sock.group(1).strip() if sock else "",
        output=output,
    )


def run_wrk(
    port: int,
    path: str,
    *,
    threads: int = 2,
    connections: int = 16,
    seconds: int = 10,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    args = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    args.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def wrk_version() -> str:
    try:
        done = subprocess.run(
            [WRK, "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return "missing"
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split(" [")[0].removeprefix("wrk ") if first else "unknown"


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
    """One `backcoach serve` on a free port, in its own process group."""

    def __init__(self, ctx: Context, data_dir: Path, *, workers: int = 2, label: str = "serve"):
        self.ctx = ctx
        self.data_dir = data_dir
        self.workers = workers
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
        started = time.monotonic()
        self.proc = start_group(
            args, cwd=REPO, env=self.ctx.env(self.data_dir), log_path=self.log_path
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


# Context --------------------------------------------------------------------------------
class Context:
    """What one run shares between benchmarks: temp folders, the seeded data, a server."""

    def __init__(
        self,
        *,
        quick: bool = False,
        keep_temp: bool = False,
        verbose: bool = True,
        options: dict | None = None,
    ):
        self.quick = quick
        self.options = dict(options or {})  # benchmark-specific switches from the command line
        self.keep_temp = keep_temp
        self.verbose = verbose
        self.root = Path(tempfile.mkdtemp(prefix="backcoach-bench-"))
        self.logs_dir = self.root / "logs"
        self.logs_dir.mkdir()
        self.log_count = 0
        self.data_dir = self.new_dir("data")  # the run's data folder, empty until used
        self.data_state = "empty"  # -> "migrated" -> "seeded"
        self.problems: list[str] = []
        self._server: Server | None = None
        self._session: str | None = None
        self.seed_seconds: float | None = None

    # sizes: full runs are the default; --quick is a smoke test of the harness itself
    def n(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    def say(self, message: str) -> None:
        if self.verbose:
            print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def new_dir(self, label: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"{label}-", dir=self.root))

    def env(self, data_dir: Path, **extra: str) -> dict:
        return clean_env(BACKCOACH_DATA_DIR=str(data_dir), **extra)

    def note_problems(self, log_path: Path) -> None:
        for line in problems_in(log_path):
            entry = f"{log_path.name}: {line}"
            if entry not in self.problems:
                self.problems.append(entry)

    def backcoach(self, *args: str, data_dir: Path, timeout: float = 600) -> float:
        """Run a backcoach command to completion; return its seconds. Fails loudly."""
        self.log_count += 1
        log_path = self.logs_dir / f"{self.log_count:02d}-{args[0]}.log"
        started = time.monotonic()
        with open(log_path, "wb") as log:
            done = subprocess.run(
                [str(BACKCOACH), *args],
                cwd=REPO,
                env=self.env(data_dir),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        seconds = time.monotonic() - started
        self.note_problems(log_path)
        if done.returncode != 0:
            raise BenchError(
                f"backcoach {' '.join(args)} failed ({done.returncode}):\n{tail(log_path)}"
            )
        return seconds

    def ensure_seeded(self) -> float | None:
        """Migrate (if nobody has) and seed the run's data folder once; return seed seconds."""
        if self.data_state == "seeded":
            return None
        if self.data_state == "empty":
            self.say("migrating the data folder")
            self.backcoach("migrate", "--no-input", "--verbosity", "0", data_dir=self.data_dir)
            self.data_state = "migrated"
        self.say(f"seeding {DEMO_USERS} demo people, {DEMO_DAYS} days")
        seconds = self.backcoach(
            "seed-demo",
            "--users",
            str(DEMO_USERS),
            "--days",
            str(DEMO_DAYS),
            data_dir=self.data_dir,
        )
        self.data_state = "seeded"
        self.seed_seconds = seconds
        return seconds

    def server(self) -> Server:
        """The shared server (2 workers) on the seeded data folder, started on first use."""
        if self._server is None:
            self.ensure_seeded()
            server = Server(self, self.data_dir, workers=2, label="serve-shared")
            self.say(f"starting the shared server on port {server.port}")
            server.start()
            self._server = server
        return self._server

    def session_cookie(self) -> str:
        """A sessionid for the first demo person, logged in through the real form."""
        if self._session is None:
            self._session = log_in(self.server().port, DEMO_EMAIL, DEMO_PASSWORD)
        return self._session

    def end_suite(self) -> None:
        """Stop the shared server (a later suite starts it again on the same data folder)."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def close(self) -> None:
        self.end_suite()
        stop_all_groups()
        if self.keep_temp:
            self.say(f"kept temporary files in {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


def log_in(port: int, email: str, password: str) -> str:
    """Log in like a browser does; return the sessionid cookie."""
    from urllib.parse import urlencode

    client = Client(port)
    try:
        page = client.get("/accounts/login/")
        if page.status != 200:
            raise BenchError(f"GET /accounts/login/ answered {page.status}")
        token = CSRF_INPUT.search(page.body)
        if not token or "csrftoken" not in client.cookies:
            raise BenchError("the log-in page has no csrftoken cookie or csrfmiddlewaretoken")
        form = urlencode(
            {
                "username": email,
                "password": password,
                "csrfmiddlewaretoken": token.group(1).decode(),
            }
        ).encode()
        answer = client.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{port}/accounts/login/",
            },
        )
        if answer.status != 302 or "sessionid" not in client.cookies:
            raise BenchError(
                f"logging in as {email} failed: HTTP {answer.status}, "
                f"cookies {sorted(client.cookies)}"
            )
        return client.cookies["sessionid"]
    finally:
        client.close()


# Results --------------------------------------------------------------------------------
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
