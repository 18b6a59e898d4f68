"""`Context`: what one run shares between benchmarks: temporary folders, the seeded data
folder, the shared server and a logged-in session."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import BenchError
from processes import BACKCOACH, REPO, Server, clean_env, problems_in, stop_all_groups, tail
from web import log_in

DEMO_USERS = 1000
DEMO_DAYS = 90
DEMO_EMAIL = "demo-000001@demo.backcoach.invalid"
DEMO_PASSWORD = "demo-password-1234"  # noqa: S105 - the published demo password (seed_demo.py)


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

    def backcoach(
        self, *args: str, data_dir: Path, timeout: float = 600, env: dict | None = None
    ) -> float:
        """Run a backcoach command to completion; return its seconds. Fails loudly.
        `env` adds variables (such as a DATABASE_URL the benchmark means to use)."""
        self.log_count += 1
        log_path = self.logs_dir / f"{self.log_count:02d}-{args[0]}.log"
        started = time.monotonic()
        with open(log_path, "wb") as log:
            done = subprocess.run(
                [str(BACKCOACH), *args],
                cwd=REPO,
                env=self.env(data_dir, **(env or {})),
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
