"""Reading a VTIMEZONE back as a strict calendar app does, without the zone database:
its observances expanded (RRULE with dateutil, RDATE as listed), so that tests compare
what the feed says with what zoneinfo says."""

import bisect
import datetime as dt

from dateutil import rrule


def expand_vtimezone(vtimezone, *, until: dt.datetime) -> list[tuple[dt.datetime, dt.timedelta]]:
    """Every onset up to `until` as (moment in UTC, naive; the offset from then on)."""
    onsets = []
    for observance in vtimezone.walk():
        if observance.name not in ("STANDARD", "DAYLIGHT"):
            continue
        offset_from = observance.decoded("tzoffsetfrom")
        offset_to = observance.decoded("tzoffsetto")
        start = observance.decoded("dtstart")
        starts = [start]
        if "RRULE" in observance:
            rule = rrule.rrulestr(observance["RRULE"].to_ical().decode(), dtstart=start)
            starts = rule.between(start, until, inc=True)
        rdates = observance.get("RDATE", [])
        for listed in rdates if isinstance(rdates, list) else [rdates]:
            starts += [period.dt for period in listed.dts]
        # An onset is written on the clock before it (TZOFFSETFROM).
        onsets += [(local - offset_from, offset_to) for local in starts]
    return sorted(onsets)


def offset_at(onsets, wall: dt.datetime) -> dt.timedelta:
    """The offset in force at the wall-clock time `wall` (naive): the one whose UTC moment
    for `wall` falls in its own stretch; the earlier moment when two do."""
    moments = [moment for moment, _ in onsets]
    for offset in sorted({offset for _, offset in onsets}, reverse=True):
        index = bisect.bisect_right(moments, wall - offset) - 1
        if index >= 0 and onsets[index][1] == offset:
            return offset
    raise AssertionError(f"{wall} is in no observance of the VTIMEZONE")


def offsets_by_moment(onsets):
    """A function: the offset in force at a moment (UTC, naive)."""
    moments = [moment for moment, _ in onsets]

    def offset_of(moment: dt.datetime) -> dt.timedelta:
        index = bisect.bisect_right(moments, moment) - 1
        assert index >= 0, f"{moment} is before the VTIMEZONE's first observance"
        return onsets[index][1]

    return offset_of
