"""Backup and restore of the whole database, for SQLite and PostgreSQL.

SQLite uses its online backup API, which copies a consistent snapshot while the app keeps
running. PostgreSQL uses pg_dump's custom format and pg_restore.
"""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
REQUIRED_TABLES = {"django_migrations", "accounts_person"}

Progress = Callable[[int, int], None]


class BackupError(Exception):
    """Something the person can fix; the message says what."""


def engine_of(database: dict) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"backups are not supported for {engine}")


def file_kind(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file") from None
    except PermissionError:
        raise BackupError(f"{path} cannot be read (permission denied)") from None
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PG_DUMP_HEADER):
        return "postgresql"
    raise BackupError(f"{path} is not a backcoach backup (neither SQLite nor pg_dump format)")


# SQLite ---------------------------------------------------------------------------------


def sqlite_backup(source: Path, target: Path, progress: Progress | None = None) -> None:
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(partial)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot write {target}: {exc}") from None
    try:
        src.backup(dst, pages=1024, progress=_sqlite_progress(progress))
        # A backup is one self-contained file in rollback-journal mode, so that it can be
        # read from read-only media (a WAL-mode file needs to write its -shm beside it).
        dst.execute("PRAGMA journal_mode=DELETE")
        check = dst.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
    except sqlite3.Error as exc:
        raise BackupError(f"cannot write {target}: {exc}") from None
    finally:
        dst.close()
        src.close()
    os.replace(partial, target)


def read_only_uri(path: Path) -> str:
    """Open a backup without writing anything beside it, also on read-only media."""
    return f"file:{path}?mode=ro&immutable=1"


def sqlite_validate(path: Path) -> None:
    """Refuse a file that is not an intact backcoach SQLite database."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is damaged: {exc}") from None
    if check != "ok":
        raise BackupError(f"{path} is damaged: {check}")
    missing = REQUIRED_TABLES - tables
    if missing:
        raise BackupError(f"{path} is a SQLite file but not a backcoach backup")


def sqlite_restore(source: Path, target: Path, progress: Progress | None = None) -> None:
    src = sqlite3.connect(read_only_uri(source), uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst, pages=1024, progress=_sqlite_progress(progress))
    finally:
        dst.close()
        src.close()


def _sqlite_progress(progress: Progress | None):
    if progress is None:
        return None

    def report(status, remaining, total):
        progress(total - remaining, total)

    return report


# PostgreSQL -----------------------------------------------------------------------------


def pg_environment(database: dict) -> dict[str, str]:
    env = dict(os.environ)
    mapping = {
        "HOST": "PGHOST",
        "PORT": "PGPORT",
        "USER": "PGUSER",
        "PASSWORD": "PGPASSWORD",
        "NAME": "PGDATABASE",
    }
    for key, variable in mapping.items():
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client tools "
            f"(Debian: apt-get install postgresql-client)"
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command is our own: a PostgreSQL tool found on PATH and fixed arguments.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        raise BackupError(f"{Path(command[0]).name} failed: {lines[-1] if lines else 'no output'}")


def pg_backup(database: dict, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _run(
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}"],
        pg_environment(database),
    )
    os.replace(partial, target)


def pg_validate(path: Path) -> None:
    result = subprocess.run(  # noqa: S603 - our own tool and arguments
        [_pg_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{path} is damaged: pg_restore cannot read it")
    if "accounts_person" not in result.stdout:
        raise BackupError(f"{path} is a PostgreSQL dump but not a backcoach backup")


def pg_restore(database: dict, source: Path) -> None:
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(source),
        ],
        pg_environment(database),
    )
