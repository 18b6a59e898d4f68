"""The report's dates, read from a link: every bad range refused with its reason, never
an exception other than RangeError, and every range let through one a report can show."""

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from backcoach.insights import ranges
from backcoach.insights.ranges import DateRange, RangeError, parse_range

TODAY = dt.date(2026, 11, 29)


def refused(first, last) -> RangeError:
    with pytest.raises(RangeError) as caught:
        parse_range(first, last, today=TODAY)
    return caught.value


def test_no_dates_mean_the_last_twelve_weeks():
    dates = parse_range(None, None, today=TODAY)
    assert dates == DateRange(dt.date(2026, 9, 7), TODAY)
    assert dates.days == 84


def test_one_day_is_a_range():
    assert parse_range("2026-11-01", "2026-11-01", today=TODAY).days == 1


def test_a_first_day_alone_runs_to_today_and_a_last_day_alone_has_twelve_weeks_before_it():
    assert parse_range("2026-10-01", None, today=TODAY) == DateRange(dt.date(2026, 10, 1), TODAY)
    assert parse_range(None, "2026-06-30", today=TODAY).days == 84


def test_five_years_are_allowed_and_a_day_more_is_not():
    last = TODAY
    first = last - dt.timedelta(days=ranges.MAX_DAYS - 1)
    assert parse_range(first.isoformat(), last.isoformat(), today=TODAY).days == ranges.MAX_DAYS
    error = refused((first - dt.timedelta(days=1)).isoformat(), last.isoformat())
    assert error.message == (
        "That is 1,828 days: a report covers at most 5 years (1,827 days). "
        "Choose a later first day or an earlier last day."
    )


def test_a_reversed_range_says_which_comes_after_which():
    error = refused("2026-11-20", "2026-11-10")
    assert error.message == (
        "The first day, 20 Nov 2026, comes after the last day, 10 Nov 2026: swap them round."
    )
    assert error.field is None


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        ("2026-11-01", "2026-12-01", "to", "The last day, 1 Dec 2026, is still to come"),
        ("2026-11-30", None, "from", "The first day, 30 Nov 2026, is still to come"),
        ("", "2026-11-01", "from", "Choose the first day."),
        ("2026-11-01", "  ", "to", "Choose the last day."),
        ("29/11/2026", None, "from", "The first day, “29/11/2026”, is not a date"),
        ("20261101", None, "from", "is not a date: write it as year-month-day"),
        ("2026-W48-1", None, "from", "is not a date"),
        (None, "2026-02-30", "to", "The last day, “2026-02-30”, is not a day of the calendar"),
        ("1850-01-01", None, "from", "The first day, 1 Jan 1850, is too long ago"),
        ("x" * 500, None, "from", "“xxxxxxxxxxxxxxxxxxxx…”, is not a date"),
    ],
)
def test_each_bad_range_is_refused_with_its_reason(first, last, field, message):
    error = refused(first, last)
    assert message in error.message
    assert error.field == field


def test_the_range_reads_back_from_its_own_query():
    dates = DateRange(dt.date(2026, 1, 5), dt.date(2026, 3, 1))
    first, last = (part.split("=")[1] for part in dates.query().split("&"))
    assert parse_range(first, last, today=TODAY) == dates
    assert dates.text() == "5 Jan 2026 to 1 Mar 2026"


texts = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
)


@given(first=texts, last=texts)
@example(first=None, last="1900-01-03")  # twelve weeks before it would start in 1899
def test_any_input_gives_a_range_a_report_can_show_or_a_reason(first, last):
    try:
        dates = parse_range(first, last, today=TODAY)
    except RangeError as error:
        assert error.message and error.field in (None, "from", "to")
        return
    assert ranges.EARLIEST <= dates.first <= dates.last <= TODAY
    assert 1 <= dates.days <= ranges.MAX_DAYS
