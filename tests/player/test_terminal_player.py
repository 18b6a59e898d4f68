"""`backcoach play` in a pseudo-terminal, its clock sped up."""

import datetime as dt
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tests.commands import PASSWORD, assert_one_clear_line, cli_env, run

BACKCOACH = str(Path(sys.executable).with_name("backcoach"))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("play") / "data"
    assert run("migrate", "--verbosity=0", data_dir=data).returncode == 0
    assert run("library", "load", data_dir=data).returncode == 0
    made = run(
        "createuser", "kim@example.org", "--password-stdin", data_dir=data, input=PASSWORD + "\n"
    )
    assert made.returncode == 0, made.stderr
    refused = run("play", "--person", "kim@example.org", data_dir=data)
    assert_one_clear_line(refused, "answer the safety check first")
    screened = run(
        "shell",
        "--no-imports",
        "-c",
        "from backcoach.accounts.models import Person;"
        "from backcoach.safety.services import screen_record;"
        "screen_record(person=Person.objects.get(), answers={}, reason='signup')",
        data_dir=data,
    )
    assert screened.returncode == 0, screened.stderr
    return data


def spawn(data_dir, *args):
    return pexpect.spawn(
        BACKCOACH,
        ["play", *args],
        env=cli_env(data_dir),
        encoding="utf-8",
        timeout=30,
        dimensions=(30, 120),
    )


def practices(data_dir):
    with sqlite3.connect(data_dir / "backcoach.sqlite3") as db:
        return db.execute(
            "SELECT status, source, pain_before, tension_before, pain_after, routine_name, id "
            "FROM player_practice ORDER BY recorded_at"
        ).fetchall()


def steps_of(data_dir, practice_id):
    with sqlite3.connect(data_dir / "backcoach.sqlite3") as db:
        return db.execute(
            "SELECT planned_seconds, done_seconds FROM player_practicestep "
            'WHERE practice_id = ? ORDER BY "order"',
            [practice_id],
        ).fetchall()


def times_of(data_dir, practice_id):
    with sqlite3.connect(data_dir / "backcoach.sqlite3") as db:
        row = db.execute(
            "SELECT started_at, ended_at FROM player_practice WHERE id = ?", [practice_id]
        ).fetchone()
    return [dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC) for value in row]


def test_it_plays_tonights_routine_and_records_it(data_dir):
    before = len(practices(data_dir))
    child = spawn(data_dir, "--person", "kim@example.org", "--no-speak")
    child.logfile_read = screen = io.StringIO()
    child.expect_exact("Bedtime back self-massage: 1 step, 5:00.")
    child.expect_exact("Pain now, 0-10 (Enter to skip): ")
    child.sendline("6")
    child.expect_exact("Tension now, 0-10 (Enter to skip): ")
    child.sendline("")
    child.expect("Keys: space pause")
    child.expect("Get ready. First: Bedtime back self-massage")
    child.send("s")  # on to the massage
    child.expect(r"1/1 Bedtime back self-mass\w* +\[#*-*\]")  # the step's progress bar
    time.sleep(2)
    child.send("s")  # and past it: the end
    # At bedtime it ends in quiet: no closing words, no questions.
    child.expect("Sleep well.")
    child.expect("Saved: Bedtime back self-massage, completed.")
    child.expect(pexpect.EOF)
    assert "end of the routine" not in screen.getvalue()
    assert "after it" not in screen.getvalue()
    rows = practices(data_dir)
    assert len(rows) == before + 1
    status, source, pain_before, tension_before, pain_after, _name, practice_id = rows[-1]
    assert (status, source, pain_before, tension_before, pain_after) == (
        "completed",
        "terminal",
        6,
        None,
        None,
    )
    [(planned, done)] = steps_of(data_dir, practice_id)
    assert planned == 300 and 1 <= done <= 4
    started, ended = times_of(data_dir, practice_id)
    assert started <= ended <= dt.datetime.now(dt.UTC)


def test_a_sped_up_run_is_a_rehearsal_that_saves_nothing(data_dir):
    before = len(practices(data_dir))
    child = spawn(data_dir, "--person", "kim@example.org", "--speed", "40", "--no-speak")
    child.logfile_read = screen = io.StringIO()
    child.expect_exact("Bedtime back self-massage: 1 step, 5:00.")
    child.expect("Rehearsal at 40x speed: nothing is saved.")
    child.expect("Keys: space pause")
    child.expect("Get ready. First: Bedtime back self-massage")
    child.expect(r"\[#*-*\]")
    child.send(" ")
    child.expect("PAUSED")
    child.send(" ")
    child.expect("Resuming.")
    child.expect("Slide your hands out")  # the massage's last cue
    child.expect("Rehearsal over; nothing was saved.")
    child.expect(pexpect.EOF)
    assert "0-10" not in screen.getvalue()
    assert len(practices(data_dir)) == before


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_stopping_the_program_records_a_practice_stopped_early_and_says_so(data_dir, stop):
    before = len(practices(data_dir))
    child = spawn(data_dir, "--person", "kim@example.org", "--no-speak", "--no-ratings")
    child.expect("Get ready")
    child.send("s")
    child.expect(r"1/1 ")
    time.sleep(1.5)
    if stop == "ctrl-c":
        child.sendintr()
    else:
        child.kill(signal.SIGTERM)
    child.expect("Saved: Bedtime back self-massage, stopped early.")
    child.expect(pexpect.EOF)
    rows = practices(data_dir)
    assert len(rows) == before + 1
    assert rows[-1][0] == "abandoned"
    [(_planned, done)] = steps_of(data_dir, rows[-1][-1])
    assert 1 <= done <= 3


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_with_no_terminal_and_no_input_it_waits_without_spinning(data_dir, tmp_path):
    out = tmp_path / "out.txt"
    with out.open("w") as stdout:
        child = subprocess.Popen(
            [BACKCOACH, "play", "--person", "kim@example.org", "--no-speak", "--no-ratings"],
            env=cli_env(data_dir),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(200):
                if "Keys:" in out.read_text():
                    break
                time.sleep(0.05)
            time.sleep(0.5)
            used_before = cpu_seconds(child.pid)
            time.sleep(2)
            spent = cpu_seconds(child.pid) - used_before
        finally:
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=30)
    assert "Keys:" in out.read_text()
    assert spent < 0.4, f"{spent:.2f} s of CPU in 2 s of a routine with nothing to read"


def test_q_stops_early_and_records_an_abandoned_practice(data_dir):
    before = len(practices(data_dir))
    child = spawn(
        data_dir,
        "bedtime-massage-and-stretch",
        "--person",
        "kim@example.org",
        "--no-speak",
        "--no-ratings",
    )
    child.expect("Keys: space pause")
    child.expect("Get ready")
    child.send("s")  # skip the lead-in
    child.expect(r"1/\d+ ")
    child.send("q")
    child.expect("Saved: Bedtime massage and stretch, stopped early.|Saved: .*stopped early.")
    child.expect(pexpect.EOF)
    rows = practices(data_dir)
    assert len(rows) == before + 1
    assert rows[-1][0] == "abandoned"


def test_it_says_when_espeak_is_missing(data_dir, tmp_path):
    env = cli_env(data_dir, {"PATH": str(tmp_path)})
    child = pexpect.spawn(
        BACKCOACH,
        ["play", "--person", "kim@example.org", "--speed", "1000", "--no-ratings"],
        env=env,
        encoding="utf-8",
        timeout=30,
    )
    child.expect("espeak-ng is not installed, so cues are printed")
    child.expect("nothing was saved")
    child.expect(pexpect.EOF)


def test_unknown_routines_and_people_are_one_clear_line(data_dir):
    assert_one_clear_line(
        run("play", "moonwalk", "--person", "kim@example.org", data_dir=data_dir),
        "no routine 'moonwalk'",
    )
    assert_one_clear_line(
        run("play", "--person", "nobody@example.org", data_dir=data_dir),
        "nobody with the e-mail address",
    )
    assert_one_clear_line(run("play", "--speed", "0", data_dir=data_dir), "--speed")


class HeldUpClock:
    """The command's clock, moved on `step` seconds each time it waits for a key: a
    terminal held up (a paused process, a loaded machine) between two of its ticks."""

    def __init__(self, step: float):
        self.now, self.step = 1000.0, step

    def monotonic(self) -> float:
        return self.now

    def keys(self, stream):
        clock = self

        class NoKeys:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return None

            def read(self, timeout):
                clock.now += clock.step
                return ""

        return NoKeys()


@pytest.mark.django_db
def test_cues_a_held_up_terminal_passed_over_are_recorded_with_the_practice(monkeypatch):
    from django.core.management import call_command

    from backcoach.library import content
    from backcoach.library import services as library_services
    from backcoach.player.management.commands import play
    from backcoach.player.models import Practice
    from backcoach.safety.services import screen_record
    from tests.factories import make_person

    library_services.library_load(library=content.load_library())
    person = make_person(email="kai@example.org")
    screen_record(person=person, answers={}, reason="signup")
    clock = HeldUpClock(step=30)
    monkeypatch.setattr(play.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(play, "Keys", clock.keys)
    out = io.StringIO()
    call_command("play", "--person", "kai@example.org", "--no-speak", "--no-ratings", stdout=out)
    practice = Practice.objects.get(person=person)
    said = [line.split("» ", 1)[1] for line in out.getvalue().split("\r") if "» " in line]
    said = [text.split("\n")[0] for text in said]
    script = play.playable_routine(person, practice.routine).script
    cues = script["steps"][0]["cues"]
    skipped = practice.skipped_cues
    # Every 30 s: the latest of each tick's due cues is said, the ones before it are not.
    assert skipped and len(skipped) < len(cues)
    assert all(cue["step"] == 1 for cue in skipped)
    assert [c["say"] for c in cues if c["say"] in said] == said[1:]  # the lead-in first
    assert sorted(
        [*said[1:], *(c["say"] for c in skipped)], key=[c["say"] for c in cues].index
    ) == [c["say"] for c in cues]
    assert {(c["at"], c["say"]) for c in skipped} <= {(c["at"], c["say"]) for c in cues}
