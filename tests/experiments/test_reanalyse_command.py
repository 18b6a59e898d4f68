"""`backcoach experiment reanalyse FILE`, run as a person would run it."""

import datetime as dt
import json
import random

import pytest

from backcoach.experiments import record
from backcoach.experiments.schedule import Schedule
from tests.commands import assert_one_clear_line, run

PROTOCOL = {
    "question": "Does the bedtime massage help me wake with less pain?",
    "a": "Bedtime back self-massage",
    "b": "No routine: just go to sleep",
    "routine_a": "bedtime-back-self-massage",
    "routine_b": None,
    "outcome": "pain",
    "secondary_outcomes": ["sleep_onset_minutes", "sleep_quality"],
    "ended": True,
    "stopped_early": False,
}


def exported() -> dict:
    schedule = Schedule.make(first_night=dt.date(2026, 10, 1), weeks=4, seed=1234)
    rng = random.Random(5)
    nights = [
        {
            "night": night.isoformat(),
            "assigned": condition,
            "done": condition,
            "pain": max(0, min(10, round(5 - 2 * (condition == "A") + rng.gauss(0, 1)))),
            "sleep_onset_minutes": max(0, round(25 + rng.gauss(0, 8))),
            "sleep_quality": rng.randint(2, 4) if index % 9 else None,
        }
        for index, (night, condition) in enumerate(schedule.nights())
    ]
    return record.document(protocol=PROTOCOL, schedule=schedule, nights=nights)


@pytest.fixture
def write(tmp_path):
    def write(content, name="experiment.json"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def test_it_re_runs_the_analysis_and_finds_the_same_numbers(tmp_path, write):
    result = run("experiment", "reanalyse", write(exported()), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "pain: Likely helps" in result.stdout
    assert result.stdout.strip().endswith("Same numbers as in the file.")


def test_it_prints_the_analysis_as_json_on_request(tmp_path, write):
    result = run("experiment", "reanalyse", write(exported()), "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout.rsplit("Same numbers", 1)[0])
    assert analysis == exported()["analysis"]


def test_it_says_when_the_file_does_not_match_its_data(tmp_path, write):
    document = exported()
    document["analysis"]["pain"]["estimate"] = -5.0
    result = run("experiment", "reanalyse", write(document), data_dir=tmp_path)
    assert result.returncode == 2
    assert "pain.estimate: file -5.0" in result.stderr
    assert result.stderr.strip().endswith("backcoach: the file's analysis does not match its data")


def test_a_schedule_that_the_seed_does_not_make_is_refused(tmp_path, write):
    document = exported()
    document["nights"][0]["assigned"] = "B" if document["nights"][0]["assigned"] == "A" else "A"
    result = run("experiment", "reanalyse", write(document), data_dir=tmp_path)
    assert_one_clear_line(result, "backcoach:", "the schedule from the seed says")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\xff\xfe not json", "is not JSON"),
        ("", "is not JSON"),
        ("[1, 2]", "not a backcoach experiment file"),
        ({"format": "backcoach-experiment", "version": 99}, "version 99"),
        ({"format": "backcoach-experiment", "version": 1}, "missing 'schedule'"),
        ("=cmd|' /C calc'!A0", "is not JSON"),
    ],
)
def test_a_malformed_file_gets_one_clear_line(tmp_path, write, content, fragment):
    result = run("experiment", "reanalyse", write(content), data_dir=tmp_path)
    assert_one_clear_line(result, "backcoach:", fragment)


def test_a_missing_file_gets_one_clear_line(tmp_path):
    result = run("experiment", "reanalyse", str(tmp_path / "nope.json"), data_dir=tmp_path)
    assert_one_clear_line(result, "backcoach:", "cannot read")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["protocol"].update(outcome="happiness"),
        lambda d: d["nights"][3].update(pain=42),
        lambda d: d["nights"][3].update(night="yesterday"),
        lambda d: d["nights"].append("a night"),
        lambda d: d["schedule"].update(seed=-1),
        lambda d: d.update(nights={"not": "a list"}),
        lambda d: d["protocol"].update(earlier_starts="twice"),
        lambda d: d["protocol"].update(earlier_starts=[{"stopped_at": "soon", "drawn": []}]),
        lambda d: d["protocol"].update(
            earlier_starts=[{"stopped_at": "2026-09-30T22:00:00+00:00", "drawn": [{"night": 1}]}]
        ),
    ],
)
def test_broken_documents_are_refused_with_a_reason(change):
    document = exported()
    change(document)
    with pytest.raises(record.BadDocument):
        record.reanalysed(document)


def test_it_lists_the_starts_stopped_before_this_one(tmp_path, write):
    document = exported()
    document["protocol"]["earlier_starts"] = [
        {
            "question": PROTOCOL["question"],
            "started_at": "2026-09-30T21:00:00+00:00",
            "stopped_at": "2026-09-30T21:00:01+00:00",
            "seed": 99,
            "drawn": [{"night": "2026-09-30", "condition": "B", "label": PROTOCOL["b"]}],
        }
    ]
    document["analysis"] = record.analyses(
        document["protocol"], Schedule.from_dict(document["schedule"]), document["nights"]
    )
    assert "It was started again after a stopped start" in document["analysis"]["pain"]["sentence"]
    result = run("experiment", "reanalyse", write(document), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "Started again: an experiment stopped 2026-09-30T21:00:01+00:00 had drawn 2026-09-30 B."
        in result.stdout
    )


def test_a_file_from_an_older_backcoach_lacks_only_the_newer_numbers():
    """An export made before a number was added (the sceptical chance, the missing
    mornings by condition) still agrees; a number it has that is wrong does not."""
    document = exported()
    for result in document["analysis"].values():
        for newer in ("p_noticeable", "missing_by_condition", "tipping_point", "nights_covered"):
            result.pop(newer)
    assert record.reanalysed(document)[1] == []
    document["analysis"]["pain"]["estimate"] = 99.0
    assert record.reanalysed(document)[1] == [
        f"pain.estimate: file 99.0, now {record.reanalysed(exported())[0]['pain']['estimate']!r}"
    ]
