"""Running the `backcoach` command as a separate process, as a person would."""

import os
import socket
import subprocess
import sys
from pathlib import Path

BACKCOACH = str(Path(sys.executable).with_name("backcoach"))
PASSWORD = "a-long-good-password-42"


def cli_env(data_dir: Path, extra_env: dict | None = None) -> dict[str, str]:
    """The environment of a fresh shell: SQLite in its own data folder, real settings."""
    leave_out = {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in leave_out}
    env.update(BACKCOACH_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="backcoach.settings")
    env.update(extra_env or {})
    return env


def run(
    *args,
    data_dir: Path,
    input: str | None = None,
    extra_env: dict | None = None,
    timeout: int = 60,
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BACKCOACH, *args],
        env=cli_env(data_dir, extra_env),
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_one_clear_line(result, *fragments):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
