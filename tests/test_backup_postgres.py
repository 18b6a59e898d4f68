"""Backup and restore through pg_dump and pg_restore, in the PostgreSQL leg of the suite."""

import os
import uuid
from urllib.parse import urlsplit

import pytest

from tests.commands import PASSWORD, assert_one_clear_line, run

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgres"), reason="runs in the PostgreSQL leg (make test)"
    ),
]


@pytest.fixture
def scratch_url():
    """A database of its own on the test server, dropped afterwards."""
    import psycopg

    from backcoach.settings import database_from_url

    name = f"backcoach_cli_{uuid.uuid4().hex[:8]}"
    config = database_from_url(DATABASE_URL)
    admin = dict(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        password=config.get("PASSWORD") or None,
    )
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl()
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def people(url, data_dir):
    result = run(
        "shell",
        "--no-imports",
        "-c",
        "from backcoach.accounts.models import Person;"
        "print(sorted(Person.objects.values_list('email', flat=True)))",
        data_dir=data_dir,
        extra_env={"DATABASE_URL": url},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_pg_backup_and_forced_restore_bring_the_data_back(scratch_url, tmp_path):
    data_dir = tmp_path / "data"
    env = {"DATABASE_URL": scratch_url}
    assert run("migrate", "--verbosity=0", data_dir=data_dir, extra_env=env).returncode == 0
    run(
        "createuser",
        "kim@example.org",
        "--password-stdin",
        data_dir=data_dir,
        extra_env=env,
        input=PASSWORD + "\n",
    )
    backup = tmp_path / "kim.backup"
    made = run("backup", "--to", str(backup), data_dir=data_dir, extra_env=env)
    assert made.returncode == 0, made.stderr
    assert backup.read_bytes().startswith(b"PGDMP")

    run(
        "createuser",
        "lee@example.org",
        "--password-stdin",
        data_dir=data_dir,
        extra_env=env,
        input=PASSWORD + "\n",
    )
    refused = run("restore", "--from", str(backup), data_dir=data_dir, extra_env=env)
    assert_one_clear_line(refused, "holds data (2 people)")
    assert people(scratch_url, data_dir) == "['kim@example.org', 'lee@example.org']"

    forced = run("restore", "--from", str(backup), "--force", data_dir=data_dir, extra_env=env)
    assert forced.returncode == 0, forced.stderr
    assert people(scratch_url, data_dir) == "['kim@example.org']"


def test_pg_restore_refuses_a_sqlite_backup_and_a_damaged_dump(scratch_url, tmp_path):
    data_dir = tmp_path / "data"
    env = {"DATABASE_URL": scratch_url}
    run("migrate", "--verbosity=0", data_dir=data_dir, extra_env=env)
    sqlite_file = tmp_path / "from-sqlite.backup"
    sqlite_file.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    assert_one_clear_line(
        run("restore", "--from", str(sqlite_file), data_dir=data_dir, extra_env=env),
        "sqlite backup but this install uses postgresql",
    )
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(b"PGDMP" + b"\x01" * 50)
    assert_one_clear_line(
        run("restore", "--from", str(damaged), "--force", data_dir=data_dir, extra_env=env),
        "damaged",
    )
