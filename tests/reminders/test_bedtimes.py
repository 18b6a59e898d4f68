"""When a bedtime reminder goes off: the pure planning, around daylight saving and midnight."""

import datetime as dt
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from backcoach.nights import night_of
from backcoach.reminders.bedtimes import bedtime_on, next_bedtime

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def nights(after, bedtime, zone=BERLIN, count=4):
    """The next `count` reminders, each planned from the one before, as the sender does."""
    found, last = [], None
    for _ in range(count):
        after, last = next_bedtime(after=after, bedtime=bedtime, zone=zone, last_evening=last)
        found.append((after, last))
    return found


def test_across_the_march_change_each_evening_keeps_the_clock_time():
    # Last Sunday of March 2026: Berlin moves from +01:00 to +02:00 at 02:00.
    found = nights(utc(2026, 3, 27, 12), dt.time(22, 45))
    assert [moment for moment, _ in found] == [
        utc(2026, 3, 27, 21, 45),
        utc(2026, 3, 28, 21, 45),  # Saturday: still winter time
        utc(2026, 3, 29, 20, 45),  # Sunday: summer time, an hour earlier in UTC
        utc(2026, 3, 30, 20, 45),
    ]
    assert [evening.day for _, evening in found] == [27, 28, 29, 30]


def test_across_the_october_change_each_evening_keeps_the_clock_time():
    found = nights(utc(2026, 10, 23, 12), dt.time(22, 45))
    assert [moment for moment, _ in found] == [
        utc(2026, 10, 23, 20, 45),
        utc(2026, 10, 24, 20, 45),
        utc(2026, 10, 25, 21, 45),  # winter time from the Sunday morning
        utc(2026, 10, 26, 21, 45),
    ]


def test_a_bedtime_the_clocks_skip_goes_off_as_they_jump_past_it():
    # 02:30 does not exist on 29 March 2026 in Berlin: it goes off at 03:30 summer time.
    found = nights(utc(2026, 3, 27, 12), dt.time(2, 30))
    assert [moment for moment, _ in found] == [
        utc(2026, 3, 28, 1, 30),  # the evening of the 27th, 02:30 +01:00
        utc(2026, 3, 29, 1, 30),  # the evening of the 28th: 03:30 +02:00
        utc(2026, 3, 30, 0, 30),
        utc(2026, 3, 31, 0, 30),
    ]
    assert [evening.day for _, evening in found] == [27, 28, 29, 30]


def test_a_bedtime_that_happens_twice_goes_off_once_the_first_time():
    found = nights(utc(2026, 10, 23, 12), dt.time(2, 30))
    assert [moment for moment, _ in found] == [
        utc(2026, 10, 24, 0, 30),
        utc(2026, 10, 25, 0, 30),  # 02:30 +02:00, not again at 02:30 +01:00
        utc(2026, 10, 26, 1, 30),
        utc(2026, 10, 27, 1, 30),
    ]


def test_a_bedtime_after_midnight_belongs_to_the_evening_before():
    assert bedtime_on(dt.date(2026, 5, 4), dt.time(0, 30), BERLIN) == dt.datetime(
        2026, 5, 5, 0, 30, tzinfo=BERLIN
    )
    assert night_of(utc(2026, 5, 4, 22, 30), BERLIN) == dt.date(2026, 5, 4)  # 00:30


def test_an_evening_already_reminded_is_not_reminded_again():
    after = utc(2026, 5, 4, 12)
    moment, evening = next_bedtime(
        after=after,
        bedtime=dt.time(23),
        zone=BERLIN,
        last_evening=dt.date(2026, 5, 4),
    )
    assert evening == dt.date(2026, 5, 5)
    assert moment == utc(2026, 5, 5, 21)


ZONES = st.sampled_from(
    [
        "Europe/Berlin",
        "America/New_York",
        "Australia/Sydney",
        "Asia/Kolkata",
        "UTC",
        "America/Santiago",
        "Pacific/Chatham",
        "Europe/Dublin",
    ]
)
MOMENTS = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2040, 1, 1), timezones=st.just(UTC)
)


@given(zone=ZONES, after=MOMENTS, bedtime=st.times())
def test_the_next_bedtime_is_the_first_one_after_and_at_the_bedtime_on_the_clock(
    zone, after, bedtime
):
    zone = zoneinfo.ZoneInfo(zone)
    bedtime = bedtime.replace(microsecond=0)
    moment, evening = next_bedtime(after=after, bedtime=bedtime, zone=zone)
    assert after < moment <= after + dt.timedelta(hours=26)
    assert night_of(moment, zone) == evening
    local = moment.astimezone(zone)
    if local.replace(tzinfo=None).time() != bedtime:
        # Only a time the clocks skip may move, and then by the size of the jump.
        skipped = dt.datetime.combine(local.date(), bedtime, tzinfo=zone)
        assert skipped.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != skipped.replace(
            tzinfo=None
        )
    # No bedtime was passed over between `after` and the one found.
    earlier = bedtime_on(evening - dt.timedelta(days=1), bedtime, zone)
    assert earlier.astimezone(UTC) <= after


@given(zone=ZONES, after=MOMENTS, bedtime=st.times())
def test_planned_night_after_night_each_evening_has_one_reminder(zone, after, bedtime):
    zone = zoneinfo.ZoneInfo(zone)
    found = nights(after, bedtime.replace(microsecond=0), zone=zone, count=5)
    evenings = [evening for _, evening in found]
    assert evenings == [evenings[0] + dt.timedelta(days=n) for n in range(5)]
