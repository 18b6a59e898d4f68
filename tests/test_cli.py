"""The `backcoach` command, run as a person would run it: a separate process."""

import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.commands import BACKCOACH, PASSWORD, assert_one_clear_line, cli_env, free_port, run


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture(scope="module")
def prepared_data(tmp_path_factory):
    """Migrated once per module, with one person: copying it is faster than migrating."""
    data_dir = tmp_path_factory.mktemp("prepared") / "data"
    assert run("migrate", "--verbosity=0", data_dir=data_dir).returncode == 0
    created = run(
        "createuser",
        "kim@example.org",
        "--password-stdin",
        data_dir=data_dir,
        input=PASSWORD + "\n",
    )
    assert created.returncode == 0, created.stderr
    return data_dir


@pytest.fixture
def with_person(prepared_data, data_dir):
    shutil.copytree(prepared_data, data_dir)
    return data_dir


def people_in(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [row[0] for row in conn.execute("SELECT email FROM accounts_person ORDER BY email")]


def test_without_a_command_it_lists_the_everyday_commands(data_dir):
    result = run(data_dir=data_dir)
    assert result.returncode == 0
    for command in ("serve", "createuser", "backup", "restore", "check", "seed-demo"):
        assert command in result.stdout


def test_it_creates_the_secret_key_once_readable_only_by_its_owner(data_dir):
    run("check", data_dir=data_dir)
    key_file = data_dir / "secret_key"
    first = key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    run("check", data_dir=data_dir)
    assert key_file.read_text() == first


@pytest.mark.parametrize(
    ("env", "fragments"),
    [
        ({"DEBUG": "maybe"}, ["DEBUG='maybe' is neither true nor false"]),
        ({"DATABASE_URL": "not a url"}, ["DATABASE_URL", "malformed"]),
        ({"DATABASE_URL": "mysql://u@h/db"}, ["DATABASE_URL", "only SQLite and PostgreSQL"]),
        ({"DATABASE_URL": "postgres://u@localhost:5432"}, ["names no database"]),
        ({"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "twenty-five"}, ["EMAIL_PORT"]),
    ],
)
def test_bad_configuration_is_one_clear_line(data_dir, env, fragments):
    assert_one_clear_line(
        run("check", data_dir=data_dir, extra_env=env), "configuration error", *fragments
    )


def test_a_data_folder_that_cannot_be_made_is_one_clear_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("check", data_dir=blocker / "data")
    assert_one_clear_line(result, "data folder", "cannot be created")


def test_an_unreachable_database_is_one_clear_line(data_dir):
    port = free_port()  # nothing listens there
    result = run(
        "migrate",
        data_dir=data_dir,
        extra_env={"DATABASE_URL": f"postgres://nobody@127.0.0.1:{port}/backcoach"},
    )
    assert_one_clear_line(result, "database error")


def test_serve_refuses_a_port_in_use_with_one_clear_line(data_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), data_dir=data_dir)
    assert_one_clear_line(result, f"port {port}", "already in use")


def test_serve_migrates_and_serves_pages(data_dir):
    port = free_port()
    server = subprocess.Popen(
        [BACKCOACH, "serve", "--port", str(port), "--workers", "1"],
        env=cli_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    body = page.read().decode()
                    headers = page.headers
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "serve did not answer within 60 s"
                time.sleep(0.2)
        assert "backcoach" in body
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        static = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/site.css")
        assert static.status == 200
    finally:
        if server.poll() is None:
            os.killpg(server.pid, 15)
        server.wait(timeout=20)
    assert "accounts_person" in {
        row[0]
        for row in sqlite3.connect(data_dir / "backcoach.sqlite3").execute(
            "SELECT name FROM sqlite_master"
        )
    }


def test_createuser_refuses_a_weak_password_and_a_duplicate(with_person):
    weak = run(
        "createuser", "lee@example.org", "--password-stdin", data_dir=with_person, input="123\n"
    )
    assert_one_clear_line(weak, "password refused")
    duplicate = run(
        "createuser",
        "KIM@example.org",
        "--password-stdin",
        data_dir=with_person,
        input=PASSWORD + "\n",
    )
    assert_one_clear_line(duplicate, "already exists")
    assert people_in(with_person / "backcoach.sqlite3") == ["kim@example.org"]


def test_createuser_with_no_terminal_says_how_to_give_the_password(with_person):
    # A new session has no terminal to ask on (as under cron, systemd or an install script).
    alone = subprocess.run(
        [BACKCOACH, "createuser", "lee@example.org"],
        env=cli_env(with_person),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
        check=False,
    )
    assert_one_clear_line(alone, "backcoach: ", "--password-stdin")
    assert alone.stderr.startswith("backcoach: ")
    empty = run("createuser", "lee@example.org", "--password-stdin", data_dir=with_person, input="")
    assert_one_clear_line(empty, "no password")
    assert people_in(with_person / "backcoach.sqlite3") == ["kim@example.org"]


def test_backup_and_restore_bring_everything_back(with_person, tmp_path):
    backup = tmp_path / "kim.backup"
    made = run("backup", "--to", str(backup), data_dir=with_person)
    assert made.returncode == 0, made.stderr
    assert "Backup written" in made.stdout

    fresh = tmp_path / "fresh-data"
    restored = run("restore", "--from", str(backup), data_dir=fresh)
    assert restored.returncode == 0, restored.stderr
    assert people_in(fresh / "backcoach.sqlite3") == ["kim@example.org"]


def test_restore_refuses_to_overwrite_data_without_force(with_person, tmp_path):
    backup = tmp_path / "kim.backup"
    run("backup", "--to", str(backup), data_dir=with_person)
    run(
        "createuser",
        "lee@example.org",
        "--password-stdin",
        data_dir=with_person,
        input=PASSWORD + "\n",
    )
    refused = run("restore", "--from", str(backup), data_dir=with_person)
    assert_one_clear_line(refused, "holds data (2 people)", "--force")
    assert people_in(with_person / "backcoach.sqlite3") == ["kim@example.org", "lee@example.org"]

    forced = run("restore", "--from", str(backup), "--force", data_dir=with_person)
    assert forced.returncode == 0, forced.stderr
    assert people_in(with_person / "backcoach.sqlite3") == ["kim@example.org"]
    kept = list(with_person.glob("backcoach.sqlite3.before-restore-*"))
    assert len(kept) == 1
    assert people_in(kept[0]) == ["kim@example.org", "lee@example.org"]


def test_backup_refuses_to_overwrite_a_file_without_force(with_person, tmp_path):
    existing = tmp_path / "old.backup"
    existing.write_text("an older backup")
    assert_one_clear_line(
        run("backup", "--to", str(existing), data_dir=with_person), "exists already", "--force"
    )
    assert existing.read_text() == "an older backup"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "not a backcoach backup"),
        (b"hello, I am a text file\n", "not a backcoach backup"),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "damaged"),
    ],
)
def test_restore_refuses_a_corrupt_file_and_changes_nothing(
    with_person, tmp_path, content, fragment
):
    bad = tmp_path / "bad.backup"
    bad.write_bytes(content)
    result = run("restore", "--from", str(bad), "--force", data_dir=with_person)
    assert_one_clear_line(result, fragment)
    assert people_in(with_person / "backcoach.sqlite3") == ["kim@example.org"]


def test_restore_refuses_a_sqlite_file_from_another_program(with_person, tmp_path):
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    result = run("restore", "--from", str(other), "--force", data_dir=with_person)
    assert_one_clear_line(result, "not a backcoach backup")


def test_restore_of_a_missing_file_is_one_clear_line(with_person, tmp_path):
    result = run("restore", "--from", str(tmp_path / "nope.backup"), data_dir=with_person)
    assert_one_clear_line(result, "does not exist")


def test_check_deploy_is_clean_with_production_settings(data_dir):
    production = {
        "BACKCOACH_HTTPS": "true",
        "ALLOWED_HOSTS": "backcoach.example.org",
        "DEBUG": "false",
    }
    result = run(
        "check", "--deploy", "--fail-level", "WARNING", data_dir=data_dir, extra_env=production
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_https_is_off(data_dir):
    result = run("check", "--deploy", "--fail-level", "WARNING", data_dir=data_dir)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr


def test_seed_demo_makes_people_and_refuses_nonsense(with_person):
    made = run("seed-demo", "--users", "25", "--days", "10", data_dir=with_person)
    assert made.returncode == 0, made.stderr
    assert len(people_in(with_person / "backcoach.sqlite3")) == 26
    with sqlite3.connect(with_person / "backcoach.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM safety_screen").fetchone() == (25,)
    again = run("seed-demo", "--users", "25", data_dir=with_person)
    assert "0 demo people created (25 existed already)" in again.stdout
    assert_one_clear_line(run("seed-demo", "--users", "0", data_dir=with_person), "--users")


def test_serve_believes_forwarded_headers_only_behind_a_proxy(data_dir):
    """Without BACKCOACH_BEHIND_PROXY, a client's X-Forwarded-Proto must not pass for HTTPS."""
    import http.client

    port = free_port()
    env = cli_env(data_dir, {"BACKCOACH_HTTPS": "true"})
    server = subprocess.Popen(
        [BACKCOACH, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )

    def get(headers):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/accounts/login/", headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                plain = get({})
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "serve did not answer within 60 s"
                time.sleep(0.2)
        spoofed = get({"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on"})
    finally:
        if server.poll() is None:
            os.killpg(server.pid, 15)
        server.wait(timeout=20)
    assert plain.status == 301
    assert spoofed.status == 301, "a client's header made plain HTTP look like HTTPS"
    assert spoofed.getheader("Strict-Transport-Security") is None


def test_a_backup_is_one_file_that_restores_from_read_only_media(with_person, tmp_path):
    stick = tmp_path / "usb-stick"
    stick.mkdir()
    backup = stick / "kim.backup"
    assert run("backup", "--to", str(backup), data_dir=with_person).returncode == 0
    header = backup.read_bytes()[:100]
    assert header[18:20] == b"\x01\x01", "the backup is in WAL mode: it needs a -shm file"
    stick.chmod(0o555)  # as on a read-only stick: nothing may be written beside the backup
    try:
        restored = run("restore", "--from", str(backup), data_dir=tmp_path / "fresh")
    finally:
        stick.chmod(0o755)
    assert restored.returncode == 0, restored.stderr
    assert sorted(path.name for path in stick.iterdir()) == ["kim.backup"]
    assert people_in(tmp_path / "fresh" / "backcoach.sqlite3") == ["kim@example.org"]


@pytest.mark.parametrize("target", ["/proc/backcoach.backup", "/proc/self/x/y.backup"])
def test_a_backup_that_cannot_be_written_is_one_clear_line(with_person, target):
    result = run("backup", "--to", target, data_dir=with_person)
    assert_one_clear_line(result)
    assert result.stderr.startswith("backcoach: ")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "mysql://x@y/z"])
def test_a_database_each_worker_would_not_share_is_refused_at_start(data_dir, url):
    result = run(
        "serve", "--port", str(free_port()), data_dir=data_dir, extra_env={"DATABASE_URL": url}
    )
    assert_one_clear_line(result, "DATABASE_URL")


def test_command_errors_are_one_line_starting_with_backcoach(data_dir):
    result = run("restore", "--from", str(data_dir / "missing.backup"), data_dir=data_dir)
    assert_one_clear_line(result, "does not exist")
    assert result.stderr.startswith("backcoach: ")
