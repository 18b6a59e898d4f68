"""Running wrk (an HTTP load generator) against 127.0.0.1 and reading its output."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field

from figures import BenchError
from processes import HOST

WRK = shutil.which("wrk") or "/usr/bin/wrk"
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
