"""Everything a person owns, as tables: the one description that the CSV files, the JSON
document (and the import that reads them back) share. Each table reads from the person,
by its related name, a chunk at a time, so that exporting years of diary takes the same
memory as exporting a week."""

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from backcoach import numbers
from backcoach.diary.models import ANSWERS, CheckinRevision
from backcoach.experiments.selectors import experiment_document
from backcoach.library.models import RoutineStep
from backcoach.player.models import PracticeStep
from backcoach.reminders.models import CalendarFeed, Reminder
from backcoach.safety.selectors import conditions_of

CHUNK = 2000


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: Callable  # person -> iterator of dicts with those columns
    description: str


def _values(queryset, columns) -> Iterator[dict]:
    yield from queryset.values(*columns).iterator(chunk_size=CHUNK)


def _profile(person) -> Iterator[dict]:
    yield _profile_row(person)


def _conditions(person) -> Iterator[dict]:
    for key in sorted(conditions_of(person)):
        yield {"condition": key}


def _practices(person) -> Iterator[dict]:
    rows = person.practices.order_by("started_at", "id").values(*PRACTICE_FIELDS, "routine__slug")
    for row in rows.iterator(chunk_size=CHUNK):
        row["routine"] = row.pop("routine__slug") or ""
        yield row


def _steps(person) -> Iterator[dict]:
    rows = (
        PracticeStep.objects.filter(practice__person=person)
        .order_by("practice__started_at", "practice_id", "order")
        .values(
            "practice_id", "order", "technique__slug", "side", "planned_seconds", "done_seconds"
        )
    )
    for row in rows.iterator(chunk_size=CHUNK):
        row["practice"] = row.pop("practice_id")
        row["technique"] = row.pop("technique__slug")
        yield {column: row[column] for column in STEP_COLUMNS}


def _revisions(person) -> Iterator[dict]:
    rows = (
        CheckinRevision.objects.filter(checkin__person=person)
        .order_by("replaced_at", "id")
        .values("checkin_id", "replaced_at", "values")
    )
    for row in rows.iterator(chunk_size=CHUNK):
        yield {
            "checkin": row["checkin_id"],
            "replaced_at": row["replaced_at"],
            "values": row["values"],
        }


def _experiments(person) -> Iterator[dict]:
    """Each experiment with its record (protocol, schedule, nights, analysis), which an
    import brings back as it was. A person has a few experiments: their records are made
    one by one."""
    experiments = person.experiments.order_by("started_at", "id").select_related(
        "person", "routine_a", "routine_b"
    )
    for experiment in experiments:
        row = {name: getattr(experiment, name) for name in EXPERIMENT_FIELDS}
        row["routine_a"] = experiment.routine_a.slug if experiment.routine_a else ""
        row["routine_b"] = experiment.routine_b.slug if experiment.routine_b else ""
        row["record"] = experiment_document(experiment)
        yield {column: row[column] for column in EXPERIMENT_COLUMNS}


def _profile_row(person) -> dict:
    row = {column: getattr(person, column) for column in PROFILE[:-1]}
    chosen = person.bedtime_routine
    row["bedtime_routine"] = chosen.slug if chosen is not None else ""
    return row


def _routines(person) -> Iterator[dict]:
    tonight = person.bedtime_routine_id
    rows = person.own_routines.order_by("created_at", "pk").values("pk", *ROUTINE_COLUMNS[:-1])
    for row in rows.iterator(chunk_size=CHUNK):
        row["tonight"] = row.pop("pk") == tonight
        yield row


def _routine_steps(person) -> Iterator[dict]:
    rows = (
        RoutineStep.objects.filter(routine__owner=person)
        .order_by("routine__created_at", "routine_id", "order")
        .values("routine__slug", "order", "technique__slug", "duration", "side")
    )
    for row in rows.iterator(chunk_size=CHUNK):
        row["routine"] = row.pop("routine__slug")
        row["technique"] = row.pop("technique__slug")
        yield {column: row[column] for column in ROUTINE_STEP_COLUMNS}


def _reminders(person) -> Iterator[dict]:
    """Which bedtime reminders are on. Their secrets stay out: the calendar's address, the
    e-mail's unsubscribe key, and each browser's push address and keys (a browser's
    notifications can only be switched on in that browser)."""
    for lead in CalendarFeed.objects.filter(person=person).values_list("lead_minutes", flat=True):
        yield {"channel": "calendar", "lead_minutes": lead, "browsers": None}
    browsers = person.push_subscriptions.count()
    for channel in person.reminders.order_by("channel").values_list("channel", flat=True):
        yield {
            "channel": channel,
            "lead_minutes": None,
            "browsers": browsers if channel == Reminder.Channel.PUSH else None,
        }


PROFILE = (
    "email",
    "name",
    "time_zone",
    "bedtime",
    "theme",
    "length_unit",
    "date_joined",
    "bedtime_routine",
)
# A person's own routines (from the builder), those only started and those removed too:
# their practices name them. "tonight": the one "Start tonight's routine" plays.
ROUTINE_COLUMNS = ("slug", "name", "purpose", "saved", "is_active", "created_at", "tonight")
ROUTINE_STEP_COLUMNS = ("routine", "order", "technique", "duration", "side")
PRACTICE_FIELDS = (
    "id",
    "routine_name",
    "started_at",
    "ended_at",
    "status",
    "source",
    "pain_before",
    "tension_before",
    "pain_after",
    "tension_after",
    "note",
    "clock_corrected_seconds",
    "skipped_cues",
)
STEP_COLUMNS = ("practice", "order", "technique", "side", "planned_seconds", "done_seconds")
# Every answer any kind of check-in holds, once, in the diary's order.
CHECKIN_COLUMNS = (
    "id",
    "kind",
    "recorded_at",
    "night",
    *dict.fromkeys(answer for answers in ANSWERS.values() for answer in answers),
    "clock_corrected_seconds",
    "created_at",
    "updated_at",
)
EXPERIMENT_FIELDS = (
    "question",
    "a_label",
    "b_label",
    "outcome",
    "secondary_outcomes",
    "first_night",
    "pairs",
    "seed",
    "status",
    "started_at",
    "stopped_at",
)
EXPERIMENT_COLUMNS = ("question", "routine_a", "routine_b", *EXPERIMENT_FIELDS[1:], "record")

TABLES = (
    Table("profile", PROFILE, _profile, "Your account's settings (no password)."),
    Table("health_conditions", ("condition",), _conditions, "The health conditions you gave."),
    Table(
        "safety_checks",
        ("answered_at", "reason", "outcome", "assessed_at", "answers"),
        lambda p: _values(
            p.screens.order_by("answered_at", "id"),
            ("answered_at", "reason", "outcome", "assessed_at", "answers"),
        ),
        "Each safety check: when, why, its outcome and your answers.",
    ),
    Table(
        "flare_ups",
        ("started_at", "pain", "note"),
        lambda p: _values(p.flare_ups.order_by("started_at", "id"), ("started_at", "pain", "note")),
        "Flare-ups you noted.",
    ),
    Table(
        "routines",
        ROUTINE_COLUMNS,
        _routines,
        "Your own routines, built for you: saved in My routines, only started, or removed.",
    ),
    Table("routine_steps", ROUTINE_STEP_COLUMNS, _routine_steps, "The steps of your own routines."),
    Table(
        "practices",
        ("id", "routine", *PRACTICE_FIELDS[1:]),
        lambda p: (
            {c: r[c] for c in ("id", "routine", *PRACTICE_FIELDS[1:])} for r in _practices(p)
        ),
        "Each routine you played: times, ratings before and after, your note, and the cues "
        "the player skipped while the phone slept.",
    ),
    Table("practice_steps", STEP_COLUMNS, _steps, "The steps of each practice, planned and done."),
    Table(
        "checkins",
        CHECKIN_COLUMNS,
        lambda p: _values(p.checkins.order_by("recorded_at", "id"), CHECKIN_COLUMNS),
        "Your diary: morning, any-time and weekly check-ins.",
    ),
    Table(
        "checkin_revisions",
        ("checkin", "replaced_at", "values"),
        _revisions,
        "What a check-in said before you changed it.",
    ),
    Table("experiments", EXPERIMENT_COLUMNS, _experiments, "Your personal experiments."),
    Table(
        "reminders",
        ("channel", "lead_minutes", "browsers"),
        _reminders,
        "Your bedtime reminders: calendar (with its lead time), e-mail, notifications (on how "
        "many browsers). Their secret addresses and keys are left out.",
    ),
)


def plain(value):
    """A value as JSON holds it: text for times, ids and dates; lists and objects with
    their values so. A number that is not finite (which JSON cannot hold) is null: one
    bad stored value must not make the whole export unreadable."""
    if isinstance(value, float):
        return numbers.finite_or_none(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if hasattr(value, "hex") and not isinstance(value, bytes | int | float):  # a UUID
        return str(value)
    return value


def cell(value) -> str:
    """A value as a CSV cell. Text a spreadsheet would run as a formula gets a leading
    apostrophe (OWASP's advice against CSV injection), which the import takes off again."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return str(value)


# Cells starting with these are run as formulas by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
