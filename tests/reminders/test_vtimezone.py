"""The feed's VTIMEZONE, read back without the zone database, agrees with zoneinfo for as
long as the reminder repeats: yearly rules (RRULE) where the zone has them, every change
listed where it has none."""

import datetime as dt
import zoneinfo

import icalendar
import pytest

from backcoach.reminders.vtimezone import HORIZON, vtimezone
from tests.reminders.vtimezones import expand_vtimezone, offsets_by_moment

FIRST = dt.date(2026, 11, 29)


def disagreements(name: str, *, first: dt.date, until: int) -> list[dt.datetime]:
    """Moments (every 7 hours, so every hour of the day comes round, from `first` to
    `until`) where the VTIMEZONE's offset is not zoneinfo's."""
    text = vtimezone(name, first).to_ical()  # as a calendar app receives it
    onsets = expand_vtimezone(icalendar.Timezone.from_ical(text), until=dt.datetime(until, 1, 1))
    offset_of = offsets_by_moment(onsets)
    zone = zoneinfo.ZoneInfo(name)
    wrong = []
    moment = dt.datetime.combine(first, dt.time())
    while moment.year < until:
        real = moment.replace(tzinfo=dt.UTC).astimezone(zone).utcoffset()
        if offset_of(moment) != real:
            wrong.append(moment)
        moment += dt.timedelta(hours=7)
    return wrong


@pytest.mark.parametrize(
    "name",
    [
        "Europe/Berlin",  # last Sundays of March and October
        "America/New_York",  # second Sunday of March, first of November
        "Australia/Sydney",  # summer across the new year
        "America/Santiago",  # at 24:00 on a Saturday
        "Asia/Jerusalem",  # the Friday before the last Sunday of March
        "America/Nuuk",  # at 23:00 on the Saturday before the last Sunday
        "Europe/Dublin",  # "standard" time is the summer one
        "Pacific/Chatham",  # a 45-minute offset
        "Asia/Tokyo",  # no daylight saving
    ],
)
def test_a_zone_with_yearly_rules_is_right_until_long_after_2038(name):
    assert disagreements(name, first=FIRST, until=2200) == []
    rules = [o for o in vtimezone(name, FIRST).walk() if "RRULE" in o]
    assert len(rules) in (0, 2)


def test_a_zone_whose_changes_follow_no_yearly_rule_is_right_until_the_horizon():
    # Morocco changes for each Ramadan until 2087, then keeps +01:00 for ever.
    assert disagreements("Africa/Casablanca", first=FIRST, until=2200) == []
    # Egypt's autumn change (24:00 on the last Thursday of October) falls on 1 November
    # in some years, which no RRULE can say: listed one by one.
    assert disagreements("Africa/Cairo", first=FIRST, until=HORIZON) == []


def test_the_zone_starts_before_the_first_evening_and_says_nothing_of_2038():
    text = vtimezone("Europe/Berlin", FIRST).to_ical().decode()
    assert "2038" not in text
    onsets = expand_vtimezone(icalendar.Timezone.from_ical(text), until=dt.datetime(2027, 1, 1))
    assert onsets[0][0] <= dt.datetime.combine(FIRST, dt.time())
