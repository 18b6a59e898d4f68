"""The one rule for the night (backcoach/nights.py): examples at the edges, and properties
over random moments and zones."""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach import nights

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
DAY = dt.timedelta(days=1)


def hours(bounds) -> dt.timedelta:
    """How long a night lasts in real time (subtracting aware times of one zone would
    count the clock's hours instead)."""
    start, end = bounds
    return end.astimezone(dt.UTC) - start.astimezone(dt.UTC)


def at(zone, *args) -> dt.datetime:
    """A moment on the clock of `zone`, as the database hands it back: in UTC."""
    return dt.datetime(*args, tzinfo=zone).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("clock", "night"),
    [
        ((2026, 12, 7, 15, 59), dt.date(2026, 12, 7)),  # an afternoon belongs to tonight
        ((2026, 12, 7, 16, 0), dt.date(2026, 12, 7)),
        ((2026, 12, 7, 23, 59), dt.date(2026, 12, 7)),
        ((2026, 12, 8, 0, 30), dt.date(2026, 12, 7)),  # still last night's bedtime
        ((2026, 12, 8, 5, 59), dt.date(2026, 12, 7)),
        ((2026, 12, 8, 6, 0), dt.date(2026, 12, 8)),  # the next day, and its night
    ],
)
def test_a_night_runs_from_six_in_the_morning_to_six_the_next(clock, night):
    assert nights.night_of(at(BERLIN, *clock), BERLIN) == night


def test_the_boundary_is_six_on_the_clock_on_the_nights_the_clocks_change():
    # Berlin springs forward on 29 March 2026 at 02:00, New York falls back on 1 November
    # 2026 at 02:00: those nights are 23 and 25 hours long, both ending at 06:00.
    assert nights.night_of(at(BERLIN, 2026, 3, 29, 5, 59), BERLIN) == dt.date(2026, 3, 28)
    assert nights.night_of(at(BERLIN, 2026, 3, 29, 6, 0), BERLIN) == dt.date(2026, 3, 29)
    spring = nights.night_bounds(dt.date(2026, 3, 28), dt.date(2026, 3, 28), BERLIN)
    assert hours(spring) == dt.timedelta(hours=23)
    assert nights.night_of(at(NEW_YORK, 2026, 11, 1, 5, 59), NEW_YORK) == dt.date(2026, 10, 31)
    autumn = nights.night_bounds(dt.date(2026, 10, 31), dt.date(2026, 10, 31), NEW_YORK)
    assert hours(autumn) == dt.timedelta(hours=25)
    # 01:30 happens twice in New York that night; both belong to it.
    first = dt.datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
    second = first.replace(fold=1)
    assert first.astimezone(dt.UTC) != second.astimezone(dt.UTC)
    assert nights.night_of(first, NEW_YORK) == nights.night_of(second, NEW_YORK)


def test_the_same_moment_belongs_to_the_night_of_the_zone_it_is_read_in():
    moment = dt.datetime(2026, 12, 8, 4, 0, tzinfo=dt.UTC)  # 05:00 Berlin, 23:00 New York
    assert nights.night_of(moment, BERLIN) == dt.date(2026, 12, 7)
    assert nights.night_of(moment, NEW_YORK) == dt.date(2026, 12, 7)
    moment = dt.datetime(2026, 12, 8, 5, 30, tzinfo=dt.UTC)  # 06:30 Berlin, 00:30 New York
    assert nights.night_of(moment, BERLIN) == dt.date(2026, 12, 8)
    assert nights.night_of(moment, NEW_YORK) == dt.date(2026, 12, 7)


def test_today_tonight_and_the_morning_check_ins_night():
    early = at(BERLIN, 2026, 12, 8, 5, 0)
    assert nights.today(early, BERLIN) == dt.date(2026, 12, 8)
    assert nights.tonight(early, BERLIN) == dt.date(2026, 12, 7)
    assert nights.last_night(early, BERLIN) == dt.date(2026, 12, 7)
    assert not nights.morning_open(at(BERLIN, 2026, 12, 8, 3, 59), BERLIN)
    assert nights.morning_open(at(BERLIN, 2026, 12, 8, 4, 0), BERLIN)
    # A morning check-in is about the night before its date, whatever the hour.
    late = at(BERLIN, 2026, 12, 8, 23, 0)
    assert nights.night_described_at(late, BERLIN) == dt.date(2026, 12, 7)
    assert nights.morning_of_night(dt.date(2026, 12, 7)) == dt.date(2026, 12, 8)


def test_a_moment_without_its_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        nights.night_of(dt.datetime(2026, 12, 7, 22, 0), BERLIN)


ZONES = st.sampled_from(
    [
        "Europe/Berlin",
        "America/New_York",
        "Australia/Lord_Howe",  # a half-hour daylight-saving change
        "Asia/Kathmandu",
        "Pacific/Chatham",
        "America/Santiago",
        "UTC",
    ]
).map(zoneinfo.ZoneInfo)
MOMENTS = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2060, 1, 1), timezones=st.just(dt.UTC)
)


@given(moment=MOMENTS, zone=ZONES)
def test_every_moment_lies_inside_the_bounds_of_its_own_night_and_no_other(moment, zone):
    night = nights.night_of(moment, zone)
    start, end = nights.night_bounds(night, night, zone)
    assert start <= moment < end
    # The nights either side hold other moments: the bounds tile time without a gap.
    assert nights.night_bounds(night - DAY, night - DAY, zone)[1] == start
    assert nights.night_bounds(night + DAY, night + DAY, zone)[0] == end
    assert nights.night_of(start, zone) == night
    assert nights.night_of(end, zone) == night + DAY


@given(moment=MOMENTS, zone=ZONES)
def test_tonight_is_today_from_six_and_yesterday_before(moment, zone):
    local = moment.astimezone(zone)
    expected = local.date() if local.time() >= dt.time(6) else local.date() - DAY
    assert nights.tonight(moment, zone) == expected
    assert nights.today(moment, zone) == local.date()
    assert nights.night_described_at(moment, zone) == local.date() - DAY
