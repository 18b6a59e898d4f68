"""The rules a practice keeps (player/rules.py): asked by the upload and by the import."""

import datetime as dt

import pytest

from backcoach.player import rules

NOW = dt.datetime(2026, 11, 29, 22, 0, tzinfo=dt.UTC)
START = NOW - dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("started", "ended", "problem"),
    [
        (START, START + dt.timedelta(minutes=20), None),
        (START - dt.timedelta(hours=4), START, None),
        (START - dt.timedelta(hours=3), START + dt.timedelta(hours=1, seconds=1), "longer than 4"),
        (START, START - dt.timedelta(seconds=1), "cannot end before it started"),
        (NOW + dt.timedelta(minutes=6), NOW + dt.timedelta(minutes=7), "in the future"),
        (START.replace(tzinfo=None), START.replace(tzinfo=None), "time zone"),
        (START - dt.timedelta(days=800), START - dt.timedelta(days=800), None),  # an import
    ],
)
def test_a_practice_lasts_at_most_4_hours_and_is_not_in_the_future(started, ended, problem):
    found = rules.times_problem(started, ended, now=NOW)
    assert (found is None) == (problem is None), found
    if problem:
        assert problem in found


@pytest.mark.parametrize(
    ("side", "sides", "planned", "done", "problem"),
    [
        ("both", "both", 60, 60, None),
        ("left", "each", 60, 65, None),
        ("left", "both", 60, 60, "Step 2: Cat-cow is done on the side both, not 'left'."),
        ("both", "each", 60, 60, "is done on the side left or right, not 'both'"),
        ("both", "both", True, 1, "planned time (s) must be a whole number from 1 to 3600"),
        ("both", "both", 60, float("nan"), "done time (s) must be a finite number, not NaN"),
        ("both", "both", 60, 66, "done time must be 0 to the planned time (60 s), not 66"),
        ("both", "both", 3601, 0, "from 1 to 3600, not 3601"),
    ],
)
def test_a_step_is_on_a_side_its_technique_has_and_within_its_plan(
    side, sides, planned, done, problem
):
    found = rules.step_problem(
        2,
        side=side,
        technique_sides=sides,
        technique_name="Cat-cow",
        planned_seconds=planned,
        done_seconds=done,
    )
    assert (found is None) == (problem is None), found
    if problem:
        assert problem in found


def test_ratings_are_whole_numbers_from_0_to_10_or_empty():
    assert rules.rating_problem("pain_before", None) is None
    assert rules.rating_problem("pain_before", 10) is None
    assert rules.rating_problem("pain_before", True) == (
        "pain_before must be a whole number from 0 to 10, not true."
    )
    assert "not '\u0663'" in rules.rating_problem("pain_after", "\u0663")


def test_the_steps_fit_in_the_practice():
    end = START + dt.timedelta(seconds=100)
    assert rules.steps_time_problem([60, 45], START, end) is None
    assert "more time than the practice lasted" in rules.steps_time_problem([60, 46], START, end)
