"""The rules a check-in keeps, whichever way it comes in: the diary's forms and its service
(and through it the JSON API), and the import. Each answer's type and range, which answers
each kind holds, when a check-in may be about, and which night a morning one describes.

Each rule returns what is wrong in plain words (completing the field's name: "pain must
be a whole number from 0 to 10, not true"), or None. Pure: no Django.
"""

import datetime as dt

from backcoach import nights, numbers

from . import measures

# Which answers each kind of check-in holds (by the kind's value); the rest stay empty.
ANSWERS = {
    "morning": (
        "pain",
        "pain_areas",
        "leg_below_knee",
        "sleep_onset_minutes",
        "sleep_quality",
        "stiffness_minutes",
        "routine_feel",
        "new_symptom",
        "note",
    ),
    "anytime": ("pain", "tension", "new_symptom", "note"),
    "weekly": (
        "peg_pain",
        "peg_enjoyment",
        "peg_activity",
        "fingertip_floor_cm",
        "posture",
        "note",
    ),
}

RATING = (0, 10)
MINUTES = (0, measures.MAX_MINUTES)
# The answers that are whole numbers, with their range; each may be left empty.
WHOLE_NUMBERS = {
    "pain": RATING,
    "tension": RATING,
    "peg_pain": RATING,
    "peg_enjoyment": RATING,
    "peg_activity": RATING,
    "posture": RATING,
    "sleep_onset_minutes": MINUTES,
    "stiffness_minutes": MINUTES,
    "sleep_quality": (min(measures.SLEEP_QUALITY), max(measures.SLEEP_QUALITY)),
}
# The answers that are measurements, in their unit (centimetres), with their range.
DECIMALS = {"fingertip_floor_cm": (0.0, measures.MAX_FINGERTIP_CM)}
MAX_NOTE = 500

# A device's clock may run a little ahead of the server's.
FUTURE_LEEWAY = dt.timedelta(minutes=5)


def answer_problem(name: str, value) -> str | None:
    """What is wrong with one answer, or None. Empty (None) is allowed for every answer
    but the new-symptom tick, which is true or false."""
    if name in WHOLE_NUMBERS or name in DECIMALS:
        if value is None:
            return None
        whole = name in WHOLE_NUMBERS
        low, high = WHOLE_NUMBERS[name] if whole else DECIMALS[name]
        read = numbers.whole if whole else numbers.decimal
        try:
            read(value, minimum=low, maximum=high)
        except numbers.NumberRefused as exc:
            return f"{name} {exc}"
    elif name in ("new_symptom", "leg_below_knee"):
        if not isinstance(value, bool) and not (name == "leg_below_knee" and value is None):
            return f"{name} must be true or false, not {numbers.shown(value)}"
    elif name == "routine_feel":
        if value not in ("", *measures.ROUTINE_FEEL):
            return (
                f"routine_feel must be one of {', '.join(measures.ROUTINE_FEEL)} (or empty), "
                f"not {numbers.shown(value)}"
            )
    elif name == "pain_areas":
        if not isinstance(value, list) or not all(isinstance(area, str) for area in value):
            return f"pain_areas must be a list of body areas, not {numbers.shown(value)}"
        unknown = sorted(set(value) - set(measures.PAIN_AREAS))
        if unknown:
            return f"pain_areas: unknown body area {unknown[0]!r}"
    elif name == "note":
        if not isinstance(value, str):
            return f"note must be text, not {numbers.shown(value)}"
        if len(value) > MAX_NOTE:
            return f"note is longer than {MAX_NOTE} characters"
    else:
        return f"{name} is not an answer a check-in holds"
    return None


def answers_problems(kind: str, values: dict) -> list[str]:
    """Everything wrong with the answers `values` for a check-in of `kind`: answers the
    kind does not hold, and each answer's own problem."""
    if kind not in ANSWERS:
        return [f"kind must be one of {', '.join(ANSWERS)}, not {numbers.shown(kind)}"]
    problems = []
    unknown = sorted(set(values) - set(ANSWERS[kind]))
    if unknown:
        problems.append(f"a {kind} check-in does not hold: {', '.join(unknown)}")
    for name in ANSWERS[kind]:
        if name in values and (problem := answer_problem(name, values[name])) is not None:
            problems.append(problem)
    return problems


def moment_problem(recorded_at: dt.datetime, *, now: dt.datetime) -> str | None:
    """When a check-in recorded at `now` may be about: not the future (a few minutes of a
    fast clock aside), and at most MAX_BACKDATE_DAYS back."""
    if recorded_at.utcoffset() is None:
        return "The moment needs a time zone."
    if recorded_at > now + FUTURE_LEEWAY:
        return "That moment is in the future."
    if recorded_at < now - dt.timedelta(days=measures.MAX_BACKDATE_DAYS):
        return f"Check-ins can go back {measures.MAX_BACKDATE_DAYS} days at most."
    return None


def future_problem(recorded_at: dt.datetime, *, now: dt.datetime) -> str | None:
    """The part of moment_problem that holds for a check-in brought back from an export:
    it happened, so it is not in the future. (How far back it was filled in was ruled
    when it was recorded; the file's own "made" moment would prove nothing.)"""
    if recorded_at.utcoffset() is None:
        return "The moment needs a time zone."
    if recorded_at > now + FUTURE_LEEWAY:
        return "That moment is in the future."
    return None


def checkin_night(kind: str, recorded_at: dt.datetime, zone: dt.tzinfo) -> dt.date | None:
    """The night a check-in of `kind` is filed under: for a morning one, the night its
    moment describes (backcoach.nights); the other kinds have none."""
    return nights.night_described_at(recorded_at, zone) if kind == "morning" else None


def night_problem(
    kind: str, night: dt.date | None, recorded_at: dt.datetime, zone: dt.tzinfo
) -> str | None:
    """A night sent with a check-in must be the one its moment gives (see checkin_night): a
    morning check-in cannot be filed under another night, past the back-dating limit or
    onto an experiment's night."""
    expected = checkin_night(kind, recorded_at, zone)
    if night == expected:
        return None
    if expected is None:
        return f"night: only a morning check-in has a night, and this is a {kind} one"
    given = night.isoformat() if night is not None else "none"
    return (
        f"night {given} is not the night a morning check-in at {recorded_at.isoformat()} "
        f"describes ({expected.isoformat()}, in the time zone {zone})"
    )
