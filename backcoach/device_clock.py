"""A device's clock, set right: a phone whose clock is wrong stamps its uploads with the
wrong times. Each upload carries the device's clock as it sent it; the difference to the
server's clock at that moment is what the device's times are off by.

Pure: the player's practices and the diary's check-ins both use it."""

import datetime as dt

# A device clock nearer the server's than this is left alone: the difference may be the
# upload's own delay, and moving a time by seconds tells nobody anything.
TOLERANCE = dt.timedelta(minutes=1)


class NaiveTime(ValueError):
    """A device time without a time zone: no correction can be worked out from it."""


def clock_correction(device_now: dt.datetime | None, server_now: dt.datetime) -> dt.timedelta:
    """What to add to a device's times so that they read as the server's clock: the
    difference between the two clocks at sending, or nothing if it is within tolerance
    (or the device did not say its clock). Whole seconds, as the record keeps it, so that
    a corrected time minus the kept correction is exactly the time the device sent."""
    if device_now is None:
        return dt.timedelta(0)
    if device_now.utcoffset() is None:
        raise NaiveTime("Times need a time zone (for example 2026-11-29T22:30:00+01:00).")
    offset = server_now - device_now
    if abs(offset) <= TOLERANCE:
        return dt.timedelta(0)
    return dt.timedelta(seconds=round(offset.total_seconds()))


class OutOfRange(ValueError):
    """A time that, set right, would fall outside the calendar (before year 1 or after
    9999): a device time near either end, moved by a clock that is far off."""


def corrected(moment: dt.datetime, correction: dt.timedelta) -> dt.datetime:
    """A device's time set right by `correction` (from clock_correction)."""
    try:
        return moment + correction
    except OverflowError:
        raise OutOfRange("That time is out of range: check the device's date and clock.") from None


def corrected_seconds(correction: dt.timedelta) -> int:
    """The correction as kept with the record."""
    return int(correction.total_seconds())
