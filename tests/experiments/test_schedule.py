"""The experiment's schedule: unit cases, Hypothesis properties, and beside each property a
planted fault that it must catch (the property run against a broken schedule fails)."""

import datetime as dt
import json
import random

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from backcoach.experiments import schedule
from backcoach.experiments.schedule import A, B, Schedule

FIRST = dt.date(2026, 11, 2)

first_nights = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31))
pair_counts = st.integers(schedule.MIN_PAIRS, schedule.MAX_PAIRS)
seeds = st.integers(0, schedule.SEED_LIMIT - 1)
# No example database: the planted-fault tests run these properties against broken code,
# and their failures must not be replayed as examples later.
no_database = settings(database=None, deadline=None)


def test_it_makes_fourteen_pairs_for_four_weeks():
    plan = Schedule.make(first_night=FIRST, weeks=4, seed=1)
    assert plan.pairs == 14
    assert len(plan.nights()) == 28
    assert plan.last_night == FIRST + dt.timedelta(days=27)


def test_an_odd_number_of_weeks_drops_the_last_night():
    plan = Schedule.make(first_night=FIRST, weeks=3, seed=1)
    assert plan.pairs == 10
    assert plan.last_night == FIRST + dt.timedelta(days=19)


def test_it_refuses_fewer_than_two_weeks_or_more_than_twelve():
    for weeks in (0, 1, 13, 52):
        with pytest.raises(ValueError, match="weeks must be between 2 and 12"):
            Schedule.make(first_night=FIRST, weeks=weeks, seed=1)
    with pytest.raises(ValueError, match="whole number"):
        Schedule.make(first_night=FIRST, weeks=4.0, seed=1)
    assert Schedule.make(first_night=FIRST, weeks=12, seed=1).pairs == 42


def test_it_draws_a_seed_when_none_is_given():
    seeds_drawn = {Schedule.make(first_night=FIRST, weeks=2).seed for _ in range(5)}
    assert len(seeds_drawn) == 5
    assert all(0 <= seed < schedule.SEED_LIMIT for seed in seeds_drawn)


def test_nights_outside_the_schedule_have_no_condition_and_no_pair():
    plan = Schedule.make(first_night=FIRST, weeks=2, seed=3)
    before, after = FIRST - dt.timedelta(days=1), plan.last_night + dt.timedelta(days=1)
    assert plan.condition(before) is None and plan.pair_of(before) is None
    assert plan.condition(after) is None and plan.pair_of(after) is None
    assert plan.pair_of(FIRST) == 0
    assert plan.pair_of(FIRST + dt.timedelta(days=1)) == 0
    assert plan.pair_of(FIRST + dt.timedelta(days=2)) == 1
    assert plan.pair_of(plan.last_night) == 6


def test_it_refuses_a_moment_where_a_night_is_meant():
    plan = Schedule.make(first_night=FIRST, weeks=2, seed=3)
    with pytest.raises(ValueError, match="night must be a date"):
        plan.condition(dt.datetime(2026, 11, 3, 22, 0))
    with pytest.raises(ValueError, match="first_night must be a date"):
        Schedule(first_night=dt.datetime(2026, 11, 3), pairs=7, seed=1)


def test_the_orders_of_a_known_seed_never_change():
    """The derivation is part of every stored schedule: if this fails, old experiments
    would get other nights. Change VERSION instead of the rule."""
    plan = Schedule(first_night=FIRST, pairs=7, seed=20261129)
    assert "".join(condition for _, condition in plan.nights()) == "ABBAABABBABABA"
    assert Schedule(first_night=FIRST, pairs=7, seed=0).as_dict()["version"] == 1


def test_it_writes_a_small_json_dict():
    plan = Schedule(first_night=FIRST, pairs=14, seed=99)
    assert plan.as_dict() == {"version": 1, "first_night": "2026-11-02", "pairs": 14, "seed": 99}
    assert Schedule.from_dict(json.loads(json.dumps(plan.as_dict()))) == plan


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([("first_night", "2026-11-02")], "must be a mapping"),
        ({"version": 1, "first_night": "2026-11-02", "pairs": 14}, "missing seed"),
        (
            {"version": 1, "first_night": "2026-11-02", "pairs": 14, "seed": 1, "x": 2},
            "unexpected x",
        ),
        ({"version": 2, "first_night": "2026-11-02", "pairs": 14, "seed": 1}, "version 2"),
        ({"version": True, "first_night": "2026-11-02", "pairs": 14, "seed": 1}, "version"),
        ({"version": 1, "first_night": "2.11.2026", "pairs": 14, "seed": 1}, "ISO date"),
        ({"version": 1, "first_night": "20261102", "pairs": 14, "seed": 1}, "YYYY-MM-DD"),
        ({"version": 1, "first_night": 20261102, "pairs": 14, "seed": 1}, "ISO date string"),
        ({"version": 1, "first_night": "2026-11-02", "pairs": 6, "seed": 1}, "pairs must be"),
        ({"version": 1, "first_night": "2026-11-02", "pairs": 43, "seed": 1}, "pairs must be"),
        ({"version": 1, "first_night": "2026-11-02", "pairs": "14", "seed": 1}, "whole number"),
        ({"version": 1, "first_night": "2026-11-02", "pairs": 14, "seed": -1}, "seed must be"),
        ({"version": 1, "first_night": "2026-11-02", "pairs": 14, "seed": 2**53}, "seed must"),
        ({"version": 1, "first_night": "2026-11-02", "pairs": 14, "seed": True}, "whole number"),
        ({"version": 1, "first_night": "2026-11-02", "pairs": 14, "seed": 1.5}, "whole number"),
    ],
)
def test_it_refuses_a_stored_schedule_that_is_not_one(data, message):
    with pytest.raises(ValueError, match=message):
        Schedule.from_dict(data)


# Properties -------------------------------------------------------------------------------


@no_database
@given(first_nights, pair_counts, seeds)
def test_each_pair_has_one_a_night_and_one_b_night(first_night, pairs, seed):
    plan = Schedule(first_night=first_night, pairs=pairs, seed=seed)
    nights = plan.nights()
    assert [night for night, _ in nights] == [
        first_night + dt.timedelta(days=i) for i in range(2 * pairs)
    ]
    for pair in range(pairs):
        first, second = nights[2 * pair], nights[2 * pair + 1]
        assert {first[1], second[1]} == {A, B}
        assert plan.pair_of(first[0]) == plan.pair_of(second[0]) == pair
    assert [plan.condition(night) for night, _ in nights] == [c for _, c in nights]


@no_database
@given(first_nights, pair_counts, seeds)
def test_the_same_seed_gives_the_same_schedule(first_night, pairs, seed):
    one = Schedule(first_night=first_night, pairs=pairs, seed=seed)
    other = Schedule(first_night=first_night, pairs=pairs, seed=seed)
    assert one.nights() == other.nights()
    # The orders depend on the seed alone, not on the first night.
    moved = Schedule(first_night=first_night + dt.timedelta(days=3), pairs=pairs, seed=seed)
    assert [c for _, c in moved.nights()] == [c for _, c in one.nights()]


@no_database
@given(first_nights, pair_counts, seeds)
def test_a_schedule_survives_as_dict_and_json(first_night, pairs, seed):
    plan = Schedule(first_night=first_night, pairs=pairs, seed=seed)
    again = Schedule.from_dict(json.loads(json.dumps(plan.as_dict())))
    assert again == plan
    assert again.nights() == plan.nights()


# No shrinking: a smaller failing window of seeds would say nothing more about a bias.
@settings(database=None, deadline=None, max_examples=25, phases=[Phase.generate])
@given(st.integers(0, schedule.SEED_LIMIT - 4000), st.integers(0, schedule.MAX_PAIRS - 1))
def test_over_many_seeds_a_pair_starts_with_a_about_half_the_time(start, pair):
    # 2,000 seeds: the share's SD is 1.1 points, so 45-55 % is more than 4 SDs either side.
    night = FIRST + dt.timedelta(days=2 * pair)
    firsts = [
        Schedule(first_night=FIRST, pairs=schedule.MAX_PAIRS, seed=seed).condition(night)
        for seed in range(start, start + 2000)
    ]
    assert 0.45 <= firsts.count(A) / len(firsts) <= 0.55


# The planted faults: each property must fail against a broken schedule.


def test_the_pair_property_catches_nights_drawn_one_by_one(monkeypatch):
    def one_coin_a_night(self, night):
        index = (night - self.first_night).days
        if not 0 <= index < 2 * self.pairs:
            return None
        return A if schedule._a_first(self.seed, index) else B

    def nights(self):
        days = (self.first_night + dt.timedelta(days=i) for i in range(2 * self.pairs))
        return [(night, one_coin_a_night(self, night)) for night in days]

    monkeypatch.setattr(Schedule, "condition", one_coin_a_night)
    monkeypatch.setattr(Schedule, "nights", nights)
    with pytest.raises(AssertionError):
        test_each_pair_has_one_a_night_and_one_b_night()


def test_the_same_seed_property_catches_an_unseeded_draw(monkeypatch):
    monkeypatch.setattr(schedule, "_a_first", lambda seed, pair: random.random() < 0.5)
    with pytest.raises(AssertionError):
        test_the_same_seed_gives_the_same_schedule()


def test_the_round_trip_property_catches_a_seed_cut_to_32_bits(monkeypatch):
    as_dict = Schedule.as_dict
    monkeypatch.setattr(
        Schedule, "as_dict", lambda self: {**as_dict(self), "seed": self.seed % 2**32}
    )
    with pytest.raises(AssertionError):
        test_a_schedule_survives_as_dict_and_json()


def test_the_balance_property_catches_a_biased_coin(monkeypatch):
    # A first when the first byte is below 160 of 256: 62.5 % instead of 50 %.
    monkeypatch.setattr(
        schedule,
        "_a_first",
        lambda seed, pair: schedule.hashlib.sha256(f"{seed}:{pair}".encode()).digest()[0] < 160,
    )
    with pytest.raises(AssertionError):
        test_over_many_seeds_a_pair_starts_with_a_about_half_the_time()
