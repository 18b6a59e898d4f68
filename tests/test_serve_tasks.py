"""`backcoach serve` starts the background worker beside the web server, starts it again
when it dies, and takes it down with it."""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.commands import BACKCOACH, cli_env, free_port, run


def worker_pids(data_dir: Path) -> list[int]:
    """The db_worker processes that work on this data folder."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if b"db_worker" in cmdline and f"BACKCOACH_DATA_DIR={data_dir}".encode() in environ:
            found.append(int(proc.name))
    return found


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.2)
    return value


REPO = str(Path(__file__).resolve().parent.parent)  # so that both can import tests.task_probe


def start_serve(data_dir: Path, *options: str) -> subprocess.Popen:
    port = free_port()
    log = data_dir / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [BACKCOACH, "serve", "--port", str(port), "--workers", "1", *options],
            env=cli_env(data_dir, {"PYTHONPATH": REPO}),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )

    def answers():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2):
                return True
        except OSError:
            assert server.poll() is None, log.read_text()
            return False

    wait_for(answers, 60, "serve answers")
    return server


@pytest.fixture
def served(tmp_path):
    server = start_serve(tmp_path)
    yield server, tmp_path
    if server.poll() is None:
        server.terminate()
    server.wait(timeout=20)


def enqueue_mark(data_dir: Path) -> Path:
    mark = data_dir / "mark.txt"
    result = run(
        "shell",
        "-c",
        f"from tests.task_probe import leave_a_mark; leave_a_mark.enqueue({str(mark)!r})",
        data_dir=data_dir,
        extra_env={"PYTHONPATH": REPO},
    )
    assert result.returncode == 0, result.stderr
    return mark


def test_serve_runs_queued_tasks_in_its_own_worker(served):
    _, data_dir = served
    (worker,) = wait_for(lambda: worker_pids(data_dir), 30, "a worker starts")
    mark = enqueue_mark(data_dir)
    wait_for(mark.exists, 30, "the task runs")
    assert mark.read_text() == "done"
    # A worker that dies is started again.
    os.kill(worker, signal.SIGKILL)
    wait_for(lambda: [pid for pid in worker_pids(data_dir) if pid != worker], 30, "a new worker")
    mark.unlink()
    enqueue_mark(data_dir)
    wait_for(mark.exists, 30, "the task runs on the new worker")


def test_the_worker_goes_when_serve_goes_even_when_killed(served):
    server, data_dir = served
    wait_for(lambda: worker_pids(data_dir), 30, "a worker starts")
    server.kill()  # SIGKILL: no atexit, only the kernel's parent-death signal
    server.wait(timeout=20)
    wait_for(lambda: not worker_pids(data_dir), 30, "the worker stops")


def test_serve_without_tasks_starts_no_worker(tmp_path):
    server = start_serve(tmp_path, "--no-tasks")
    try:
        time.sleep(2)
        assert worker_pids(tmp_path) == []
    finally:
        server.terminate()
        server.wait(timeout=20)
