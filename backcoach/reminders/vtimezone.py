"""A time zone as an iCalendar VTIMEZONE that holds for as long as the reminder repeats.

icalendar's `Timezone.from_tzinfo` lists every change of offset up to a last date (2038 by
default): a daily reminder repeats for ever, and a calendar app that reads the VTIMEZONE
rather than its own zone database would put every evening after that date an hour out.
Here the changes up to the year from which the zone keeps to fixed yearly rules are listed
as from_tzinfo lists them, and from that year on the rules are written as RRULEs, which
repeat without end.

The rules are found by looking, not by parsing the zone file: the offset changes of each
year up to HORIZON are read from `zoneinfo`, and a rule ("the last Sunday of March at
02:00") is kept only if it gives every change of every year from the stable year up to
HORIZON and nothing else does. Past the last change written out in the zone file
(2037 for most zones, 2087 for Africa/Casablanca) zoneinfo itself follows one fixed yearly
rule, so a rule that holds up to HORIZON holds for ever.
"""

import calendar
import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

HORIZON = 2100  # beyond the last explicit change of any zone in the tz database
UTC = dt.UTC
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Change:
    """One change of a zone's offset: the local time it happens at (on the clock before
    the change), and the offsets and name either side."""

    local: dt.datetime  # naive, in offset_from
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    is_dst: bool

    @property
    def observance(self) -> tuple:
        """What stays the same from year to year for the same yearly change."""
        return (self.local.month, self.local.time(), self.offset_from, self.offset_to, self.name)


@dataclass(frozen=True)
class YearlyRule:
    """A change on the same day-of-month rule every year: `weekday` in the seven days
    `window` (positive days from the month's start, negative from its end), or the fixed
    `day` of the month when `weekday` is None."""

    month: int
    weekday: int | None
    window: tuple[int, ...]  # BYMONTHDAY: the days the weekday falls within
    ordinal: int | None  # BYDAY's nth weekday (1-4 or -1) when that says the same

    def day_in(self, year: int) -> dt.date:
        length = calendar.monthrange(year, self.month)[1]
        days = [d if d > 0 else length + 1 + d for d in self.window]
        if self.weekday is None:
            return dt.date(year, self.month, days[0])
        for day in days:
            if dt.date(year, self.month, day).weekday() == self.weekday:
                return dt.date(year, self.month, day)
        raise AssertionError("a seven-day window always holds each weekday")

    def rrule(self) -> dict:
        rule: dict = {"freq": "yearly", "bymonth": self.month}
        if self.weekday is None:
            rule["bymonthday"] = list(self.window)
        elif self.ordinal is not None:
            rule["byday"] = f"{self.ordinal}{WEEKDAYS[self.weekday]}"
        else:
            rule["byday"] = WEEKDAYS[self.weekday]
            rule["bymonthday"] = list(self.window)
        return rule


def changes_in(zone: zoneinfo.ZoneInfo, year: int) -> list[Change]:
    """Every change of offset in `year` (UTC), found day by day and then to the second."""
    found = []
    start = dt.datetime(year, 1, 1, tzinfo=UTC)
    days = 366 if calendar.isleap(year) else 365
    before = start.astimezone(zone).utcoffset()
    for day in range(1, days + 1):
        moment = start + dt.timedelta(days=day)
        offset = moment.astimezone(zone).utcoffset()
        if offset == before:
            continue
        # In whole seconds: zones change on the second, and a DTSTART has no fraction.
        low, high = int((moment - dt.timedelta(days=1)).timestamp()), int(moment.timestamp())
        while high - low > 1:
            middle = (low + high) // 2
            if dt.datetime.fromtimestamp(middle, zone).utcoffset() == before:
                low = middle
            else:
                high = middle
        after = dt.datetime.fromtimestamp(high, zone)
        found.append(
            Change(
                local=(after.astimezone(UTC) + before).replace(tzinfo=None),
                offset_from=before,
                offset_to=offset,
                name=after.tzname() or "",
                is_dst=bool(after.dst()),
            )
        )
        before = offset
    return found


def candidate_rules(change: Change) -> list[YearlyRule]:
    """The ways to say which day of the month `change` fell on, plainest first."""
    day = change.local.date()
    length = calendar.monthrange(day.year, day.month)[1]
    weekday = day.weekday()
    from_end = day.day - length - 1  # -1 for the last day of the month
    rules = []
    if day.day <= 28:
        nth = (day.day - 1) // 7 + 1
        rules.append(YearlyRule(day.month, weekday, tuple(range(7 * nth - 6, 7 * nth + 1)), nth))
    if from_end >= -7:
        rules.append(YearlyRule(day.month, weekday, tuple(range(-7, 0)), -1))
    # "The Friday before the last Sunday", "the Sunday on or after the 8th": seven days
    # that hold the weekday once, counted from the start or the end of the month.
    for first in range(max(1, day.day - 6), min(day.day, 22) + 1):
        rules.append(YearlyRule(day.month, weekday, tuple(range(first, first + 7)), None))
    for last in range(min(-1, from_end + 6), max(from_end, -22) - 1, -1):
        rules.append(YearlyRule(day.month, weekday, tuple(range(last - 6, last + 1)), None))
    if day.day <= 28:
        rules.append(YearlyRule(day.month, None, (day.day,), None))
    return rules


def yearly_rules(
    changes: dict[int, list[Change]],
) -> tuple[int, list[tuple[YearlyRule, Change]]] | None:
    """The first year from which every year's changes follow the same yearly rules up to
    HORIZON, and those rules, each with its change in that year; None when the last
    years' changes follow no yearly rule. A zone that stopped changing has no rules."""
    years = sorted(changes)
    if not changes[HORIZON]:
        return max((year + 1 for year in years if changes[year]), default=years[0]), []
    rules = []
    for change in changes[HORIZON]:
        # The way of naming the day that holds for the most years back from HORIZON.
        best, best_from = None, HORIZON + 1
        for rule in candidate_rules(change):
            since = HORIZON + 1
            while (
                since - 1 in changes and _rule_change(rule, change, since - 1) in changes[since - 1]
            ):
                since -= 1
            if since < best_from:
                best, best_from = rule, since
        if best is None or best_from > HORIZON - 10:
            return None
        rules.append((best, change))
    stable = HORIZON
    for year in reversed(years):
        expected = {_rule_change(rule, change, year) for rule, change in rules}
        if set(changes[year]) != expected:
            break
        stable = year
    return stable, [(rule, _rule_change(rule, change, stable)) for rule, change in rules]


def _rule_change(rule: YearlyRule, change: Change, year: int) -> Change:
    local = dt.datetime.combine(rule.day_in(year), change.local.time())
    return Change(local, change.offset_from, change.offset_to, change.name, change.is_dst)


@functools.lru_cache(maxsize=32)
def zone_changes(time_zone: str, from_year: int) -> dict[int, list[Change]]:
    """Every change of the zone's offset from `from_year` to HORIZON, by year: reading a
    century of offsets takes a few tens of milliseconds, and a server has few zones."""
    zone = zoneinfo.ZoneInfo(time_zone)
    return {year: changes_in(zone, year) for year in range(from_year, HORIZON + 1)}


def vtimezone(time_zone: str, first_date: dt.date) -> Timezone:
    """The VTIMEZONE of `time_zone` for a calendar whose events start on `first_date`
    and repeat for ever.

    Written from the changes found here rather than by `Timezone.from_tzinfo`, which also
    steps over offsets that last less than 64 days (Morocco's Ramadan hour)."""
    changes = zone_changes(time_zone, first_date.year - 1)
    found = yearly_rules(changes)
    # Without yearly rules (Egypt's change at 24:00 on the last Thursday of October falls
    # in November in some years, which an RRULE cannot say) every change up to HORIZON
    # is listed, and the last one's offset holds after it.
    stable, rules = found if found is not None else (HORIZON + 1, [])
    rules_from = max(stable, first_date.year)
    listed_from = dt.datetime.combine(first_date - dt.timedelta(days=1), dt.time())

    timezone = Timezone()
    timezone.add("tzid", time_zone)
    at_start = listed_from.replace(tzinfo=zoneinfo.ZoneInfo(time_zone))
    observances: dict[tuple, list[dt.datetime]] = {
        (at_start.utcoffset(), at_start.utcoffset(), at_start.tzname(), bool(at_start.dst())): [
            listed_from
        ]
    }
    for year in range(first_date.year - 1, min(rules_from, HORIZON + 1)):
        for change in changes[year]:
            if change.local > listed_from:
                key = (change.offset_from, change.offset_to, change.name, change.is_dst)
                observances.setdefault(key, []).append(change.local)
    for (offset_from, offset_to, name, is_dst), starts in observances.items():
        timezone.add_component(
            _observance(starts[0], offset_from, offset_to, name, is_dst, rdates=starts[1:])
        )
    for rule, change in rules:
        start = _rule_change(rule, change, rules_from)
        observance = _observance(
            start.local, change.offset_from, change.offset_to, change.name, change.is_dst
        )
        observance.add("rrule", rule.rrule())
        timezone.add_component(observance)
    return timezone


def _observance(start, offset_from, offset_to, name, is_dst, rdates=()):
    observance = TimezoneDaylight() if is_dst else TimezoneStandard()
    observance.add("dtstart", start)
    if rdates:
        observance.add("rdate", list(rdates))
    observance.add("tzoffsetfrom", offset_from)
    observance.add("tzoffsetto", offset_to)
    observance.add("tzname", name)
    return observance
