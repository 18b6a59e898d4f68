"""The warning-sign rules as pure functions: unit cases and Hypothesis properties."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from backcoach.safety import rules
from backcoach.safety.content import flag_levels

T0 = dt.datetime(2026, 11, 1, 22, 0, tzinfo=dt.UTC)


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def test_a_rise_of_three_points_within_a_week_counts():
    assert rules.pain_is_rising([(day(0), 2), (day(6), 5)])
    assert rules.pain_is_rising([(day(0), 2.0), (day(7), 5.0)])


def test_a_rise_of_two_point_nine_does_not():
    assert not rules.pain_is_rising([(day(0), 2.0), (day(3), 4.9)])
    assert rules.pain_is_rising([(day(0), 2.0), (day(3), 5.0)])
    assert rules.pain_is_rising([(day(0), 0.1), (day(3), 3.1)])  # 3.0 up to rounding


def test_one_reading_or_none_is_never_a_rise():
    assert not rules.pain_is_rising([])
    assert not rules.pain_is_rising([(day(0), 9)])


def test_readings_further_apart_than_a_week_are_a_gap_not_a_rise():
    assert not rules.pain_is_rising([(day(0), 1), (day(8), 9)])


def test_it_compares_the_latest_reading_with_the_lowest_of_the_week_before():
    readings = [(day(0), 6), (day(2), 3), (day(4), 5), (day(5), 6)]
    assert rules.pain_is_rising(readings)
    assert not rules.pain_is_rising([*readings, (day(6), 4)])  # falling again now


def test_the_order_readings_arrive_in_does_not_matter():
    assert rules.pain_is_rising([(day(6), 8), (day(1), 4)])


def test_outcomes_take_the_most_serious_flag():
    levels = {"a": "urgent", "b": "soon", "c": "soon"}
    assert rules.outcome_for({"a": True, "b": True}, levels) == "urgent"
    assert rules.outcome_for({"b": True}, levels) == "soon"
    assert rules.outcome_for({"a": False, "b": False}, levels) == "none"
    assert rules.outcome_for({"unknown": True}, levels) == "none"


def test_the_shipped_screen_marks_cauda_equina_signs_urgent():
    levels = flag_levels()
    for key in ("saddle-numbness", "bladder-bowel", "legs-weakness"):
        assert levels[key] == "urgent"
    assert {
        levels[key]
        for key in (
            "fever",
            "cancer-history",
            "major-injury",
            "age-onset",
            "thoracic-pain",
            "pulsing-belly",
        )
    } == {"soon"}


readings = st.lists(
    st.tuples(st.floats(0, 30).map(day), st.integers(0, 10).map(float)), max_size=30
)


@given(readings)
def test_lowering_the_latest_reading_never_creates_a_rise(values):
    if not values or not rules.pain_is_rising(values):
        return
    ordered = sorted(values, key=lambda r: r[0])
    *rest, (time, value) = ordered
    assert rules.pain_is_rising([*rest, (time, value)])
    lowered = [*rest, (time, max(0.0, value - 10))]
    # Dropping the latest to 0 ends the rise.
    assert not rules.pain_is_rising(lowered) or min(v for _, v in rest) < 0


@given(readings, st.floats(0, 10))
def test_a_rise_means_two_readings_a_week_apart_at_most_three_points_up(values, _):
    if rules.pain_is_rising(values):
        ordered = sorted(values, key=lambda r: r[0])
        latest_time, latest = ordered[-1]
        assert any(
            latest - v >= 3 and latest_time - t <= rules.RISE_WINDOW for t, v in ordered[:-1]
        )


@given(readings, st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=400)))
def test_shifting_every_reading_in_time_changes_nothing(values, shift):
    moved = [(t + shift, v) for t, v in values]
    assert rules.pain_is_rising(moved) == rules.pain_is_rising(values)


@given(st.dictionaries(st.sampled_from(sorted(flag_levels())), st.booleans()))
def test_any_urgent_flag_makes_the_screen_urgent(answers):
    levels = flag_levels()
    outcome = rules.outcome_for(answers, levels)
    urgent = any(yes and levels[key] == "urgent" for key, yes in answers.items())
    soon = any(yes and levels[key] == "soon" for key, yes in answers.items())
    assert outcome == ("urgent" if urgent else "soon" if soon else "none")
