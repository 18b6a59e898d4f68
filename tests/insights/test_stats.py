"""The progress statistics as pure functions: unit cases, Hypothesis properties, and
comparisons with naive reference computations built on the statistics module."""

import datetime as dt
import statistics

from hypothesis import given
from hypothesis import strategies as st

from backcoach.insights import stats

D0 = dt.date(2026, 10, 5)  # a Monday


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def days_of(values: list[float], start: int = 0) -> dict[dt.date, float]:
    return {day(start + i): value for i, value in enumerate(values)}


# A day's pain: days 0..400, each at most once, values 0-10 in tenths.
daily_pain = st.dictionaries(
    st.integers(0, 400).map(day), st.integers(0, 100).map(lambda n: n / 10), max_size=120
)


def naive_rolling(daily: dict[dt.date, float], days: int) -> dict[dt.date, float]:
    """The reference: for each day, look at every day again."""
    return {
        d: statistics.mean(v for e, v in daily.items() if d - dt.timedelta(days=days) < e <= d)
        for d in daily
    }


def test_a_days_pain_is_the_mean_of_its_ratings():
    readings = [(day(1), 2), (day(0), 6), (day(1), 4), (day(1), 9)]
    assert stats.daily_means(readings) == {day(0): 6.0, day(1): 5.0}
    assert list(stats.daily_means(readings)) == [day(0), day(1)]


def test_the_rolling_mean_covers_seven_calendar_days_and_skips_days_without_a_rating():
    daily = {day(0): 8.0, day(3): 2.0, day(6): 5.0, day(7): 1.0}
    rolling = stats.rolling_means(daily)
    assert rolling[day(0)] == 8.0
    assert rolling[day(3)] == 5.0  # (8 + 2) / 2: the missing days are not zeros
    assert rolling[day(6)] == 5.0
    assert rolling[day(7)] == 8 / 3  # day 0 has left the window: (2 + 5 + 1) / 3


@given(daily_pain, st.integers(1, 30))
def test_the_rolling_mean_matches_a_naive_computation(daily, days):
    rolling = stats.rolling_means(daily, days)
    expected = naive_rolling(daily, days)
    assert rolling.keys() == expected.keys()
    for d, value in expected.items():
        assert abs(rolling[d] - value) < 1e-9


@given(daily_pain)
def test_the_rolling_mean_stays_within_the_days_values(daily):
    rolling = stats.rolling_means(daily)
    if daily:
        assert min(daily.values()) - 1e-9 <= min(rolling.values())
        assert max(rolling.values()) <= max(daily.values()) + 1e-9


def test_pain_six_for_two_weeks_then_three_is_down_three_points_a_change_that_matters():
    change = stats.pain_change(days_of([6.0] * 14 + [3.0] * 14))
    assert change.change == -3.0
    assert change.fraction == -0.5
    assert change.verdict == stats.Verdict.BETTER
    assert (change.baseline.first, change.baseline.last, change.baseline.days) == (
        day(0),
        day(13),
        14,
    )
    assert (change.latest.first, change.latest.last, change.latest.mean) == (day(14), day(27), 3.0)


def test_the_baseline_is_the_first_fourteen_days_with_a_rating_not_calendar_days():
    daily = {**days_of([7.0] * 7), **days_of([5.0] * 7, start=30), **days_of([2.0] * 14, 60)}
    change = stats.pain_change(daily)
    assert change.baseline.mean == 6.0
    assert change.baseline.last == day(36)
    assert change.latest.mean == 2.0


def test_until_there_are_twenty_eight_days_it_says_how_many_more_are_needed():
    assert stats.pain_change({}) == stats.PainChange(days_rated=0, days_needed=28)
    change = stats.pain_change(days_of([5.0] * 20))
    assert (change.days_rated, change.days_needed, change.verdict) == (20, 8, None)
    assert stats.pain_change(days_of([5.0] * 27)).days_needed == 1
    assert stats.pain_change(days_of([5.0] * 28)).days_needed == 0


def test_two_points_or_thirty_percent_is_the_smallest_change_that_matters():
    v = stats.verdict_for
    assert v(6.0, 4.0) == stats.Verdict.BETTER  # 2 points
    assert v(8.0, 6.0) == stats.Verdict.BETTER  # 2 points, only 25 %
    assert v(8.0, 6.1) == stats.Verdict.SLIGHTLY_BETTER  # 1.9 points, 24 %
    assert v(6.0, 4.1) == stats.Verdict.BETTER  # 1.9 points, but 32 %
    assert v(5.0, 3.5) == stats.Verdict.BETTER  # 1.5 points, 30 %
    assert v(5.0, 3.6) == stats.Verdict.SLIGHTLY_BETTER  # 28 %
    assert v(4.0, 4.0) == stats.Verdict.UNCHANGED
    assert v(4.0, 4.04) == stats.Verdict.UNCHANGED  # as shown: 0.0
    assert v(4.0, 5.9) == stats.Verdict.SLIGHTLY_WORSE
    assert v(4.0, 6.0) == stats.Verdict.WORSE


def test_thirty_percent_of_a_low_baseline_is_not_enough_nor_is_a_rise_by_percent():
    assert stats.verdict_for(2.0, 1.4) == stats.Verdict.SLIGHTLY_BETTER  # 30 % but 0.6 points
    assert stats.verdict_for(3.0, 2.0) == stats.Verdict.BETTER  # 33 % and one point
    assert stats.verdict_for(1.0, 1.5) == stats.Verdict.SLIGHTLY_WORSE  # up 50 %, 0.5 points


ORDER = list(stats.Verdict)[::-1]  # worse first, better last


@given(st.floats(0, 10), st.floats(0, 10), st.floats(0, 10))
def test_lower_latest_pain_never_gets_a_worse_verdict(baseline, latest, other):
    low, high = sorted((latest, other))
    assert ORDER.index(stats.verdict_for(baseline, low)) >= ORDER.index(
        stats.verdict_for(baseline, high)
    )


@given(st.lists(st.integers(0, 100).map(lambda n: n / 10), min_size=28, max_size=80))
def test_the_change_compares_the_means_of_the_first_and_last_fourteen_days(values):
    change = stats.pain_change(days_of(values))
    expected = statistics.mean(values[-14:]) - statistics.mean(values[:14])
    assert abs(change.change - expected) <= 0.05 + 1e-9  # rounded to 0.1
    assert change.baseline.last < change.latest.first
    assert change.days_rated == len(values) and change.days_needed == 0


def test_adherence_counts_nights_from_the_first_entry_to_last_night():
    nights = [day(0), day(2), day(3), day(3), day(7)]
    result = stats.adherence(nights, first_day=day(0), today=day(10))
    assert (result.nights_practised, result.nights) == (4, 10)
    assert result.share == 0.4


def test_tonight_counts_once_it_has_a_practice():
    result = stats.adherence([day(9), day(10)], first_day=day(9), today=day(10))
    assert (result.nights_practised, result.nights) == (2, 2)
    assert stats.adherence([], first_day=day(10), today=day(10)).share is None


@given(st.sets(st.integers(0, 60).map(day)), st.integers(0, 60), st.integers(0, 60))
def test_adherence_is_a_share_of_the_nights(nights, first, today):
    result = stats.adherence(nights, first_day=day(min(first, today)), today=day(today))
    assert 0 <= result.nights_practised <= result.nights
    if result.share is not None:
        assert 0 <= result.share <= 1


def test_best_and_worst_weeks_are_by_mean_pain_among_weeks_rated_on_three_days():
    daily = {
        **days_of([5, 5, 5, 5, 5, 5, 5]),  # week of day 0: 5.0
        **days_of([2, 4, 3], start=7),  # week of day 7: 3.0
        **days_of([8, 9], start=14),  # two days only: not a candidate
        **days_of([7, 6, 8, 7], start=21),  # 7.0
    }
    best, worst = stats.best_and_worst_weeks(daily)
    assert (best.start, best.mean, best.days) == (day(7), 3.0, 3)
    assert (worst.start, worst.mean, worst.days) == (day(21), 7.0, 4)


def test_there_is_no_best_week_with_one_week_or_with_every_week_alike():
    assert stats.best_and_worst_weeks(days_of([4] * 7)) is None
    assert stats.best_and_worst_weeks(days_of([4] * 14)) is None


def test_weeks_start_on_monday():
    assert stats.week_of(day(6)) == day(0)
    assert stats.week_of(day(7)) == day(7)
    assert [w.start for w in stats.weekly_means({day(6): 1, day(7): 2})] == [day(0), day(7)]


@given(daily_pain)
def test_the_weekly_means_match_a_naive_grouping(daily):
    for week in stats.weekly_means(daily):
        values = [v for d, v in daily.items() if week.start <= d < week.start + dt.timedelta(7)]
        assert week.days == len(values)
        assert abs(week.mean - statistics.mean(values)) < 1e-9


def test_mornings_after_nights_with_and_without_a_practice_are_counted_apart():
    mornings = [
        (day(0), 2.0, 10.0),
        (day(1), 4.0, 30.0),
        (day(2), 3.0, None),
        (day(3), None, 20.0),
        (day(4), 6.0, 40.0),
    ]
    result = stats.nights_compared(mornings, [day(0), day(2), day(3), day(9)])
    assert result.practised == stats.NightGroup(
        mornings=3, pain_mornings=2, pain=2.5, onset_mornings=2, onset_minutes=15.0
    )
    assert result.skipped == stats.NightGroup(
        mornings=2, pain_mornings=2, pain=5.0, onset_mornings=2, onset_minutes=35.0
    )


@given(
    st.dictionaries(
        st.integers(0, 90).map(day),
        st.tuples(st.none() | st.integers(0, 10), st.none() | st.integers(0, 120)),
    ),
    st.sets(st.integers(0, 90).map(day)),
)
def test_every_morning_is_in_exactly_one_group(by_night, practised):
    mornings = [(night, pain, onset) for night, (pain, onset) in by_night.items()]
    result = stats.nights_compared(mornings, practised)
    assert result.practised.mornings + result.skipped.mornings == len(mornings)
    assert result.practised.mornings == len(set(by_night) & practised)
    with_pain = [p for p, _ in by_night.values() if p is not None]
    assert result.practised.pain_mornings + result.skipped.pain_mornings == len(with_pain)


def test_before_and_after_are_means_over_practices_rated_both_times():
    result = stats.before_and_after([(6, 4), (5, 4), (4, 4)])
    assert (result.practices, result.before, result.after, result.change) == (3, 5.0, 4.0, -1.0)
    assert stats.before_and_after([]) is None


def test_a_measure_over_a_range_has_its_first_and_latest_week_mean_and_extremes():
    # Monday 0 to Sunday 6: 4, 6; the next week 3; the week after: 1 and 9.
    values = {day(0): 4.0, day(6): 6.0, day(8): 3.0, day(14): 1.0, day(20): 9.0}
    found = stats.measure_summary(values)
    assert (found.count, found.lowest, found.highest, found.mean) == (5, 1.0, 9.0, 4.6)
    assert (found.first_week.start, found.first_week.mean, found.first_week.days) == (day(0), 5, 2)
    assert (found.latest_week.start, found.latest_week.mean) == (day(14), 5.0)
    assert stats.measure_summary({}) is None


@given(daily_pain)
def test_a_measures_summary_lies_within_its_values(daily):
    found = stats.measure_summary(daily)
    if not daily:
        assert found is None
        return
    assert found.count == len(daily)
    assert found.lowest <= found.first_week.mean <= found.highest
    assert found.lowest <= found.latest_week.mean <= found.highest
    assert found.first_week.start <= found.latest_week.start
    assert abs(found.mean - statistics.fmean(daily.values())) < 1e-9
