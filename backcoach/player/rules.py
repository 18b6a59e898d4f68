"""The rules a practice keeps, whether a device uploads it (the web player through the
API, the terminal player) or an export brings it back: its times, each step's side and
length, and the ratings before and after.

Each rule returns what is wrong in plain words, or None. Pure: no Django.
"""

import datetime as dt

from backcoach import numbers
from backcoach.library.vocabulary import step_sides

MAX_PRACTICE = dt.timedelta(hours=4)
# A device's clock may run a little ahead of the server's.
CLOCK_SLACK = dt.timedelta(minutes=5)
MAX_STEP_SECONDS = 3600
# A step may run a few seconds past its plan (the player's last tick).
DONE_SLACK_SECONDS = 5
RATINGS = ("pain_before", "tension_before", "pain_after", "tension_after")


def times_problem(
    started_at: dt.datetime, ended_at: dt.datetime, *, now: dt.datetime
) -> str | None:
    """A practice's start and end: with a zone, in order, at most MAX_PRACTICE long, and
    not in the future."""
    if started_at.utcoffset() is None or ended_at.utcoffset() is None:
        return "Times need a time zone (for example 2026-11-29T22:30:00+01:00)."
    if ended_at < started_at:
        return "The practice cannot end before it started."
    if ended_at - started_at > MAX_PRACTICE:
        return "A practice longer than 4 hours is not one practice."
    if started_at > now + CLOCK_SLACK or ended_at > now + CLOCK_SLACK:
        return "The practice is in the future; check the device's clock."
    return None


def step_problem(
    number: int, *, side, technique_sides: str, technique_name: str, planned_seconds, done_seconds
) -> str | None:
    """Step `number` of a practice: a side its technique has, whole seconds planned (1 to
    MAX_STEP_SECONDS) and done (0 to the plan)."""
    if side not in step_sides(technique_sides):
        allowed = " or ".join(step_sides(technique_sides))
        return (
            f"Step {number}: {technique_name} is done on the side {allowed}, "
            f"not {numbers.shown(side)}."
        )
    try:
        planned = numbers.whole(planned_seconds, minimum=1, maximum=MAX_STEP_SECONDS)
    except numbers.NumberRefused as exc:
        return f"Step {number}: planned time (s) {exc}."
    try:
        done = numbers.whole(done_seconds, minimum=0)
    except numbers.NumberRefused as exc:
        return f"Step {number}: done time (s) {exc}."
    if done > planned + DONE_SLACK_SECONDS:
        return f"Step {number}: done time must be 0 to the planned time ({planned} s), not {done}."
    return None


def steps_time_problem(
    done_seconds: list[int], started_at: dt.datetime, ended_at: dt.datetime
) -> str | None:
    """The steps' time done fits in the practice."""
    elapsed = (ended_at - started_at).total_seconds()
    if sum(done_seconds) > elapsed + DONE_SLACK_SECONDS:
        return "The steps add up to more time than the practice lasted."
    return None


def rating_problem(name: str, value) -> str | None:
    """A pain or tension rating before or after: empty, or a whole number from 0 to 10."""
    if value is None:
        return None
    try:
        numbers.whole(value, minimum=0, maximum=10)
    except numbers.NumberRefused as exc:
        return f"{name} {exc}."
    return None
