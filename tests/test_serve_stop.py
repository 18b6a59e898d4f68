"""Stopping `backcoach serve` (Ctrl+C in its terminal, or SIGTERM from a service manager)
is quick and calm: the background worker is not started again, no web worker is killed
for being slow to go, and one line says it stopped."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.test_serve_tasks import start_serve, wait_for, worker_pids

STOPS_WITHIN = 6  # seconds; it took 11, with a web worker killed, before


def descendants(pid: int) -> list[int]:
    """Every process `pid` started, and theirs."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with open(task / "children") as listed:
            children += [int(child) for child in listed.read().split()]
    return [grandchild for child in children for grandchild in [child, *descendants(child)]]


def to_serve(server: subprocess.Popen, sig: int) -> None:
    server.send_signal(sig)


def as_a_terminal_does(server: subprocess.Popen, sig: int) -> None:
    """Ctrl+C: the signal reaches the terminal's foreground process group, that is serve
    and whatever it started that stayed in serve's group."""
    group = os.getpgid(server.pid)
    for pid in [server.pid, *descendants(server.pid)]:
        if os.getpgid(pid) == group:
            os.kill(pid, sig)


def as_a_service_manager_does(server: subprocess.Popen, sig: int) -> None:
    """systemd's stop (KillMode=control-group): every process of the service at once."""
    for pid in [server.pid, *descendants(server.pid)]:
        os.kill(pid, sig)


@pytest.mark.parametrize(
    ("sig", "send"),
    [
        (signal.SIGTERM, to_serve),  # `kill`, docker stop
        (signal.SIGINT, to_serve),
        (signal.SIGINT, as_a_terminal_does),  # Ctrl+C
        (signal.SIGTERM, as_a_service_manager_does),
    ],
    ids=["sigterm", "sigint", "ctrl-c", "systemd-stop"],
)
def test_serve_stops_at_once_with_one_calm_line(tmp_path, sig, send):
    server = start_serve(tmp_path)
    try:
        wait_for(lambda: worker_pids(tmp_path), 30, "a worker starts")
        asked = time.monotonic()
        send(server, sig)
        code = server.wait(timeout=30)
        took = time.monotonic() - asked
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    log = (tmp_path / "serve.log").read_text()
    assert took < STOPS_WITHIN, log
    assert code == 0, log
    for alarm in ("starting it again", "SIGKILL", "Traceback", "[ERROR]"):
        assert alarm not in log
    assert log.splitlines()[-1] == "backcoach stopped."
    assert log.count("backcoach stopped.") == 1
    wait_for(lambda: not worker_pids(tmp_path), 5, "the background worker is gone")
