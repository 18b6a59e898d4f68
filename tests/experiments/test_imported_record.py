"""An experiment brought back from an export (experiments/record.py): over, with its own
record, whose nights and schedule are checked like `backcoach experiment reanalyse`
checks a file."""

import copy
import datetime as dt

import pytest

from backcoach.experiments import record
from backcoach.experiments.schedule import Schedule

FIRST = dt.date(2026, 10, 1)
SCHEDULE = Schedule(first_night=FIRST, pairs=7, seed=4)


def document() -> dict:
    nights = [
        {
            "night": night.isoformat(),
            "assigned": assigned,
            "done": assigned,
            "pain": 3 if assigned == "A" else 5,
            "sleep_onset_minutes": None,
            "sleep_quality": None,
            "stiffness_minutes": None,
        }
        for night, assigned in SCHEDULE.nights()
    ]
    protocol = {
        "question": "Does the bedtime massage help me wake with less pain?",
        "a": "Massage",
        "b": "No routine",
        "routine_a": "bedtime-back-self-massage",
        "routine_b": None,
        "outcome": "pain",
        "secondary_outcomes": [],
        "ended": True,
        "stopped_early": False,
    }
    return record.document(protocol=protocol, schedule=SCHEDULE, nights=nights)


def imported(data):
    return record.imported_record(
        data, first_night=FIRST, pairs=7, seed=4, outcome="pain", secondary_outcomes=[]
    )


@pytest.mark.parametrize(
    ("status", "today", "arrives"),
    [
        ("running", FIRST + dt.timedelta(days=3), "stopped"),
        ("running", FIRST + dt.timedelta(days=14), "finished"),
        ("finished", FIRST, "finished"),
        ("stopped", FIRST + dt.timedelta(days=30), "stopped"),
    ],
)
def test_an_imported_experiment_never_arrives_running(status, today, arrives):
    assert record.imported_status(status, last_night=SCHEDULE.last_night, today=today) == arrives


def test_its_record_comes_back_with_the_analysis_it_was_exported_with():
    data = document()
    kept, differences = imported(copy.deepcopy(data))
    assert differences == []
    assert kept == data


def test_an_analysis_that_does_not_follow_from_its_nights_is_re_run_and_said():
    data = document()
    data["analysis"]["pain"]["estimate"] = 99
    kept, differences = imported(data)
    assert kept["analysis"] == document()["analysis"]
    assert any(difference.startswith("pain.estimate: file 99") for difference in differences)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["schedule"].update(seed=5), "the schedule from the seed says"),
        (lambda d: d["nights"][0].update(pain=float("nan")), "pain must be a finite number"),
        (lambda d: d["nights"][0].update(pain=True), "pain must be a number from 0 to 10"),
        (lambda d: d["nights"][0].update(pain=11), "not 11"),
        (lambda d: d["nights"][0].update(done="C"), "done must be A, B or null"),
        (lambda d: d["nights"][0].pop("done"), "missing 'done'"),
        (lambda d: d["protocol"].update(outcome="sleep_quality"), "its outcome is not"),
        (lambda d: d.update(format="other"), "not a backcoach experiment file"),
    ],
)
def test_a_record_that_is_not_the_experiments_own_or_not_sound_is_refused(change, words):
    data = document()
    change(data)
    with pytest.raises(record.BadDocument, match=words):
        imported(data)


def test_the_outcomes_are_ones_the_analysis_knows_each_once():
    assert record.outcomes_problem("pain", ["sleep_quality"]) is None
    assert "not one backcoach measures" in record.outcomes_problem("mood", [])
    assert "each once" in record.outcomes_problem("pain", ["sleep_quality", "sleep_quality"])
    assert "'pain' is not a second outcome" in record.outcomes_problem("pain", ["pain"])
