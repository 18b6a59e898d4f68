"""What the OpenAPI schema says beyond the types: the rules the server holds requests to
that JSON Schema cannot write (a moment at most 14 days back, a routine that exists), so
that a client reading the schema learns from it why a 400 may come, and which names the
library takes.

The words are built from the rules' own limits, so that they change when a rule does."""

import datetime as dt

from django.conf import settings

from backcoach import device_clock
from backcoach.diary import measures
from backcoach.diary import rules as diary_rules
from backcoach.library.models import Routine, Technique
from backcoach.player import rules as player_rules
from backcoach.player import services as player_services


def _span(span: dt.timedelta) -> str:
    """A limit in words: '5 minutes', '4 hours', '366 days'."""
    seconds = int(span.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def _listed(rules: list[str]) -> str:
    return "Refused by a rule the schema cannot write:\n\n" + "\n".join(
        f"- {rule}" for rule in rules
    )


CLOCK_RULE = (
    f"`sent_at` is the device's clock as it sent the request; when it is more than "
    f"{_span(device_clock.TOLERANCE)} from the server's, the request's times are moved by the "
    "difference before any rule below is applied, and a time moved past year 1 or 9999 is "
    "refused. Without a time zone it is refused."
)

CHECKIN_ANSWERS = "; ".join(
    f"{kind}: {', '.join(answers)}" for kind, answers in diary_rules.ANSWERS.items()
)

FINGERTIP_RULE = (
    "`fingertip_floor_cm` (a full forward bend) is refused for a person with fragile bones "
    "and while backcoach plays only gentle routines for them (a flare-up, or a safety screen "
    "that said to see a clinician)."
)

CHECKIN_RULES = _listed(
    [
        CLOCK_RULE,
        f"`recorded_at` is at most {measures.MAX_BACKDATE_DAYS} days before the server's "
        f"clock and not after it (by more than {_span(diary_rules.FUTURE_LEEWAY)}).",
        f"Each kind holds only its own answers ({CHECKIN_ANSWERS}); any other answer sent, "
        "even null, is refused.",
        "`night`, if sent, is the night `recorded_at` describes (a morning check-in only: "
        "the evening before, 06:00 to 06:00 on the person's clock).",
        FINGERTIP_RULE,
    ]
)

CHECKIN_EDIT_RULES = _listed(
    [
        f"The check-in's kind holds only its own answers ({CHECKIN_ANSWERS}).",
        FINGERTIP_RULE,
    ]
)

PRACTICE_RULES = _listed(
    [
        CLOCK_RULE,
        f"`ended_at` is not before `started_at`, at most {_span(player_rules.MAX_PRACTICE)} "
        f"after it, and neither is after the server's clock (by more than "
        f"{_span(player_rules.CLOCK_SLACK)}); `started_at` is at most "
        f"{_span(player_services.MAX_AGE)} old.",
        "`routine` is the slug of a library routine or of one of the person's own; without "
        "it, `routine_name` is not blank.",
        "Each step's `technique` is a library technique's slug, on a `side` that technique "
        "has; `done_seconds` is at most its `planned_seconds` (a few seconds more for the "
        "player's last tick), and the steps' `done_seconds` fit between the start and end.",
        "Each skipped cue's `step` is a step of this practice and its `at` inside that step.",
    ]
)

# gunicorn (backcoach serve) answers a longer request line itself, with a plain-text 414,
# before backcoach sees the request.
URL_RULE = (
    f"A request line (method, path and query) longer than {settings.REQUEST_LINE_MAX_BYTES:,} "
    "bytes is refused by the web server with 414. A query parameter is given once: "
    "`?offset=1&offset=2` is refused with 422."
)


def library_slugs() -> dict[str, list[str]]:
    """The slugs the library holds now, as `describe` takes them."""
    return {
        "techniques": sorted(Technique.objects.values_list("slug", flat=True)),
        "routines": sorted(Routine.objects.library().values_list("slug", flat=True)),
    }


def describe(schema: dict, *, techniques: list[str], routines: list[str]) -> dict:
    """Adds to ninja's schema what it cannot know: the library's slugs (library_slugs).
    A step's technique must be one; a routine may also be one of the person's own, so the
    library's are examples rather than the only values."""
    components = schema["components"]["schemas"]
    technique = components["StepIn"]["properties"]["technique"]
    if techniques:
        technique["enum"] = techniques
    routine = components["PracticeIn"]["properties"]["routine"]
    for branch in routine.get("anyOf", [routine]):
        if branch.get("type") == "string" and routines:
            branch["examples"] = routines
    return schema
