"""What the stateful fuzz test (test_fuzz.py) adds to the API's schema and to schemathesis's
generation, so that its requests get past the server's own checks and its changes reach
the rows it has just made:

- `with_links`: OpenAPI links (ninja writes none) from the answers that hold a practice's
  or a check-in's id to the PATCH that changes it;
- `fitting_case`: a `flatmap_case` hook that makes three in five generated bodies fit what
  the server checks beyond the schema (a moment in the last 14 days, a device clock that
  explains its times, the routine and technique the test's library has, answers that the
  check-in's kind holds); one in five fits but for its times, which are at the edges
  (years 1 and 9999, just too far back, just in the future), and one in five (two in
  five where a body holds no times) is sent as generated. Schemathesis checks each case
  against the schema again after the hook, so a body the hook makes valid is judged as
  valid."""

import copy
import datetime as dt

from django.utils import timezone
from hypothesis import strategies as st

from backcoach.diary.rules import ANSWERS

# The library the test's person has (test_fuzz.py makes it).
ROUTINE = "wind-down"
TECHNIQUE = "knee-hug"
# The diary takes check-ins up to 14 days back; practices go back further, but one window
# keeps the rule simple.
WINDOW = dt.timedelta(days=14)
ALL_ANSWERS = {name for names in ANSWERS.values() for name in names}

PRACTICES = "/api/practices/"
PRACTICE = "/api/practices/{practice_id}"
CHECKINS = "/api/checkins/"
CHECKIN = "/api/checkins/{checkin_id}"

# (the operation whose answer holds an id, the statuses whose answers hold it, the
# operation the id goes to, as which path parameter, where in the answer it is)
LINKS = [
    (("post", PRACTICES), ("201", "200"), ("patch", PRACTICE), "practice_id", "#/id"),
    (("get", PRACTICES), ("200",), ("patch", PRACTICE), "practice_id", "#/0/id"),
    (("post", CHECKINS), ("201", "200"), ("patch", CHECKIN), "checkin_id", "#/id"),
    # "There is already a morning check-in for that night" names the one there is.
    (("post", CHECKINS), ("409",), ("patch", CHECKIN), "checkin_id", "#/existing"),
    (("get", CHECKINS), ("200",), ("patch", CHECKIN), "checkin_id", "#/0/id"),
]


def with_links(raw: dict) -> dict:
    """The API's schema with LINKS added to its answers."""
    raw = copy.deepcopy(raw)
    paths = raw["paths"]
    for (method, path), statuses, (target_method, target), parameter, pointer in LINKS:
        operation_id = paths[target][target_method]["operationId"]
        for status in statuses:
            links = paths[path][method]["responses"][status].setdefault("links", {})
            links[f"{target_method} {target} from {method} {path} {status}"] = {
                "operationId": operation_id,
                "parameters": {parameter: f"$response.body{pointer}"},
            }
    return raw


def fitting_case(context, case):
    """schemathesis's `flatmap_case` hook: see the module's docstring."""
    fit, moments = FITS.get(context.operation.label, (None, ()))
    # A case that breaks the schema is refused before any check of the server's: it is
    # sent as it is.
    positive = case.meta is None or case.meta.generation.mode.is_positive
    if fit is None or not positive or not isinstance(case.body, dict):
        return st.just(case)

    def rolled(roll: int):
        if roll == 0 or (roll == 1 and not moments):
            return st.just(case)
        bodies = fit(case.body) if roll > 1 else at_the_edges(fit(case.body), moments)
        return bodies.map(lambda body: fitted(case, body))

    return st.integers(0, 4).flatmap(rolled)


def fitted(case, body: dict):
    # Assigned, not changed in place, so that schemathesis sees the change and checks
    # the case against the schema again.
    case.body = body
    return case


@st.composite
def device_times(draw):
    """A moment in the last 14 days as a device in some time zone stamps it, and that
    device's clock as it sends (`sent_at`, to go in the body): right, a little off
    (within the server's tolerance), hours off (the moment is off by the same), or not
    said."""
    now = timezone.now()
    zone = dt.timezone(dt.timedelta(minutes=15 * draw(st.integers(-12 * 4, 14 * 4))))
    # An hour inside the window, for the time the run takes.
    back = dt.timedelta(seconds=draw(st.integers(0, int(WINDOW.total_seconds()) - 3600)))
    clock = draw(
        st.sampled_from([None, 0, 30, -45, 3 * 3600, -7 * 3600, 26 * 3600])
        | st.integers(-86_400, 86_400)
    )
    off = dt.timedelta(seconds=clock or 0)
    moment = (now - back + off).astimezone(zone)
    sent = {} if clock is None else {"sent_at": (now + off).astimezone(zone).isoformat()}
    return moment, sent


def edge_moments():
    """Moments at the edges of what Python's datetime holds (some only in their own zone:
    year 1 at +14:00 is before year 1 in UTC) and of what the server takes."""
    now = timezone.now()
    return st.sampled_from(
        [
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00+14:00",
            "9999-12-30T00:00:00Z",
            "9999-12-31T23:59:59.999999-12:00",
            (now - WINDOW - dt.timedelta(minutes=1)).isoformat(),
            (now - dt.timedelta(days=366)).isoformat(),
            (now + dt.timedelta(minutes=6)).isoformat(),
        ]
    )


@st.composite
def at_the_edges(draw, bodies, moments: tuple[str, ...]) -> dict:
    """A body of `bodies` with some of its `moments` (a device's clock among them) at the
    edges."""
    body = draw(bodies)
    names = draw(st.lists(st.sampled_from(moments), min_size=1, unique=True))
    return {**body, **{name: draw(edge_moments()) for name in names}}


@st.composite
def fitting_checkin(draw, body: dict) -> dict:
    moment, sent = draw(device_times())
    held = ANSWERS[body["kind"]]
    body = {
        name: value
        for name, value in body.items()
        if name not in {"night", "sent_at"} and (name not in ALL_ANSWERS or name in held)
    }
    return {**body, "recorded_at": moment.isoformat(), **sent}


@st.composite
def fitting_answers(draw, body: dict) -> dict:
    """A change of answers: which check-in it reaches is known only when it is sent, so
    the answers are those of a kind drawn here."""
    kind = draw(st.sampled_from(sorted(ANSWERS)))
    return {name: value for name, value in body.items() if name in ANSWERS[kind]}


@st.composite
def fitting_practice(draw, body: dict) -> dict:
    # It has just ended, on the device's clock: a practice that ends after the moment it
    # is sent is in the future.
    end, sent = draw(device_times())
    # At most three steps of at most an hour each: the practice stays under 4 hours.
    steps = [
        {
            **step,
            "technique": TECHNIQUE,
            "side": "both",
            "done_seconds": min(step["done_seconds"], step["planned_seconds"]),
        }
        for step in body["steps"][:3]
    ]
    cues = []
    # Whole numbers may come as 7.0 (JSON has one kind of number).
    for cue in body.get("skipped_cues", []):
        step = (int(cue["step"]) - 1) % len(steps) + 1
        at = int(cue["at"]) % int(steps[step - 1]["planned_seconds"])
        cues.append({**cue, "step": step, "at": at})
    done = sum(step["done_seconds"] for step in steps)
    start = end - dt.timedelta(seconds=done + draw(st.integers(0, 900)))
    return {
        **body,
        "routine": ROUTINE,
        "steps": steps,
        "skipped_cues": cues,
        "started_at": start.isoformat(),
        "ended_at": end.isoformat(),
        **sent,
    }


# Each operation's way to fit a body, and the moments in it.
FITS = {
    f"POST {PRACTICES}": (fitting_practice, ("started_at", "ended_at", "sent_at")),
    f"POST {CHECKINS}": (fitting_checkin, ("recorded_at", "sent_at")),
    f"PATCH {CHECKIN}": (fitting_answers, ()),
}
