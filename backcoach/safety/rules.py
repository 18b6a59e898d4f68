"""The safety rules, as pure functions: which outcome a screen's answers lead to, and when
recorded pain is rising fast enough to ask the screen again. No Django here."""

import datetime as dt
from collections.abc import Iterable, Mapping

URGENT, SOON, NONE = "urgent", "soon", "none"
RISE_POINTS = 3.0
RISE_WINDOW = dt.timedelta(days=7)
# Pain ratings are whole numbers, but averaged or interpolated values need not be: compare
# with a little room for floating-point error, so 3.0 counts and 2.9 does not.
EPSILON = 1e-9


def outcome_for(answers: Mapping[str, bool], levels: Mapping[str, str]) -> str:
    """The most serious level among the flags answered yes: urgent, soon, or none."""
    raised = {levels[key] for key, yes in answers.items() if yes and key in levels}
    if URGENT in raised:
        return URGENT
    if SOON in raised:
        return SOON
    return NONE


def pain_is_rising(
    readings: Iterable[tuple[dt.datetime, float]],
    *,
    points: float = RISE_POINTS,
    window: dt.timedelta = RISE_WINDOW,
) -> bool:
    """True when the latest pain rating is at least `points` above the lowest rating in the
    `window` before it. One reading, or readings further apart than the window, never
    count: a rise needs two readings within a week of each other."""
    ordered = sorted(readings, key=lambda reading: reading[0])
    if len(ordered) < 2:
        return False
    latest_time, latest_value = ordered[-1]
    earlier = [value for time, value in ordered[:-1] if latest_time - time <= window]
    if not earlier:
        return False
    return latest_value - min(earlier) >= points - EPSILON
