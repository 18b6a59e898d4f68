"""Reading a person's data back in: backcoach's own export (the ZIP, its backcoach.json,
or its checkins.csv) and a plain CSV of dated pain ratings. The export's fhir.json is
refused, with what to upload instead: it holds the measures only (`export_document`).

The importer reads, maps ids and orchestrates; the rules a row keeps are its app's, asked
here as the forms, the API and the commands ask them: the diary's (diary/rules.py), the
player's (player/rules.py), the library's (own_step_problem), the experiment record's
(experiments/record.py), each model's own checks, and what a number is (numbers.py).
Every row is checked before anything is written, and the problems are reported with
their file, row and field ("checkins, row 12: pain must be ..."; "checkins.csv, row 13:
..."); with any problem nothing is imported. Rows keep their ids when those are free (so
that importing into a fresh installation gives back the same export) and get new ones
when not (the same data in a second account here)."""

import csv
import datetime as dt
import io
import json
import lzma
import re
import secrets
import sys
import uuid
import zipfile
import zlib
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from backcoach import nights, numbers
from backcoach.diary import rules as diary_rules
from backcoach.diary.models import ANSWERS, Checkin, CheckinRevision
from backcoach.experiments import record as experiment_record
from backcoach.experiments.models import Experiment
from backcoach.experiments.selectors import experiment_document
from backcoach.library import vocabulary as library_vocabulary
from backcoach.library.models import Routine, RoutineStep, Technique
from backcoach.library.services import OwnStep, own_step_problem
from backcoach.player import rules as practice_rules
from backcoach.player.models import MAX_STEPS, Practice, PracticeStep
from backcoach.reminders.models import CalendarFeed, Reminder
from backcoach.reminders.services import reminder_switch_on
from backcoach.safety.contraindications import CONTRAINDICATIONS
from backcoach.safety.models import FlareUp, HealthConditions, Screen
from backcoach.text import control_character_in

from .export import FORMAT, VERSION
from .tables import CHECKIN_COLUMNS, FORMULA_STARTS

# The largest upload the site takes (BodyLimitMiddleware refuses longer bodies unread).
MAX_BYTES = settings.UPLOAD_MAX_BYTES
MAX_PROBLEMS = 100
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class ImportRefused(Exception):
    """The file as a whole cannot be read: the message says why."""


class RowProblems(ValueError):
    """What is wrong with one row: each problem names its field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Report:
    """What an import did, or would do: rows by table, and the problems that stop it."""

    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # What was not brought over, and what to do about it (nothing that stops the import).
    notes: list[str] = field(default_factory=list)

    def problem(self, table: str, row: int | None, message: str) -> None:
        where = f"{table}, row {row}" if row is not None else table
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{where}: {message}")
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append("… and more; fix these first.")

    @property
    def ok(self) -> bool:
        return not self.problems


# Reading the file -----------------------------------------------------------------------


def read_upload(data: bytes) -> tuple[str, object]:
    """What kind of file this is, and its content: ("export", the JSON document, which
    `export_document` accepted), ("checkins", CSV rows) or ("pain-csv", CSV header and
    rows). ImportRefused, in one line, for a file that cannot be imported at all: the import
    page and `backcoach import` both ask this, so they refuse a file with the same words."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if not data.strip():
        raise ImportRefused("The file is empty.")
    if data[:4] in ZIP_STARTS:
        return "export", export_document(_export_from_zip(data))
    text = _text(data)
    start = text.lstrip()[:1]
    if start == "{":
        return "export", export_document(_json(text, "The JSON"))
    if start == "[":
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            pass  # a CSV whose header starts with "[" (a column named "[date]")
        else:
            return "export", export_document(document)
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportRefused(f"The CSV cannot be read at line {reader.line_num}: {exc}.") from None
    if not rows or not rows[0]:
        raise ImportRefused("The CSV has no header row.")
    header = [name.strip() for name in rows[0]]
    if header == list(CHECKIN_COLUMNS):
        return "checkins", [dict(zip(header, row, strict=False)) for row in rows[1:]]
    return "pain-csv", (header, rows[1:])


# What to upload instead of a file that is not the export: said by every refusal below.
UPLOAD_INSTEAD = "upload the backcoach export instead: the ZIP, or the backcoach.json in it"
# A FHIR file holds the measures only: what it lacks would be lost without a word.
FHIR_REFUSED = (
    "This is a FHIR file (as the fhir.json in a backcoach export is), and backcoach does not "
    "import FHIR: it holds your measures only, without your check-ins' kinds, nights and "
    f"notes, your practices, routines and experiments; {UPLOAD_INSTEAD}."
)


def export_document(document: object) -> dict:
    """The document, if it is a backcoach export that this backcoach reads: the one rule
    for a whole export, asked of a JSON file and of the backcoach.json in a ZIP alike."""
    if isinstance(document, dict) and "resourceType" in document:
        raise ImportRefused(FHIR_REFUSED)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(
            f'This is not a backcoach export (its "format" is missing or other): {UPLOAD_INSTEAD}.'
        )
    version = document.get("version")
    if version is None:
        raise ImportRefused(
            f'This export has no "version"; this backcoach reads version {VERSION}.'
        )
    if version != VERSION or isinstance(version, bool):
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        raise ImportRefused(
            f"This export is version {version!r}; this backcoach reads version {VERSION}"
            + (": update backcoach, then import it again." if newer else ".")
        )
    if not isinstance(document.get("tables"), dict):
        raise ImportRefused("The export has no tables.")
    return document


def _json(text: str, what: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"{what} cannot be read: {exc.msg} (line {exc.lineno}).") from None
    except RecursionError:
        raise ImportRefused(f"{what} cannot be read: it is nested too deeply.") from None
    except ValueError:  # Python refuses integers of more digits than this, as a DoS guard
        raise ImportRefused(
            f"{what} cannot be read: a number in it has more than "
            f"{sys.get_int_max_str_digits()} digits."
        ) from None


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"The file is not UTF-8 text (byte {exc.start} cannot be read), so it is neither a "
            "backcoach export nor a CSV file: if it is a CSV, save it as UTF-8 (in a "
            "spreadsheet: CSV UTF-8) and try again."
        ) from None


# A ZIP starts with its first file, or (an empty one) with its directory's end.
ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")
DAMAGED = "This ZIP file is damaged or incomplete: download the export again."
MAX_ZIP_ENTRIES = 1000
# What unpacking a damaged member raises: zipfile's own error for a bad CRC or a short
# file, ValueError for an offset before the file's start, and each decompressor's for
# scrambled data.
UNPACKING_ERRORS = (zipfile.BadZipFile, EOFError, ValueError, OSError, zlib.error, lzma.LZMAError)


def _export_from_zip(data: bytes) -> object:
    """The backcoach.json in an export ZIP, read. A file that starts as a ZIP and cannot be
    opened as one is a download cut short (its directory is at its end) or a damaged copy."""
    # zipfile reads every entry of the directory before it finds one: 500,000 empty ones
    # (42 MB) took 7 s and 280 MB. Each entry it reads starts with this signature, so
    # counting them is a bound that a file cannot cheat.
    if data.count(b"PK\x01\x02") > MAX_ZIP_ENTRIES:
        raise ImportRefused(
            f"This ZIP holds more than {MAX_ZIP_ENTRIES} files, so it is not a backcoach "
            f"export: {UPLOAD_INSTEAD}."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError):
        # NotImplementedError: a directory entry that names a ZIP version past 6.3.
        raise ImportRefused(DAMAGED) from None
    try:
        info = archive.getinfo("backcoach.json")
    except KeyError:
        raise ImportRefused(
            f"This ZIP is not a backcoach export (no backcoach.json in it): {UPLOAD_INSTEAD}."
        ) from None
    if info.file_size > MAX_BYTES:
        raise ImportRefused("The export in this ZIP is too large to import.")
    if info.flag_bits & 0x1:
        raise ImportRefused(
            "The export in this ZIP is protected by a password: upload the ZIP as backcoach "
            "made it, or the backcoach.json in it."
        )
    try:
        content = archive.read(info)
    except NotImplementedError:
        raise ImportRefused(
            "The export in this ZIP is packed in a way backcoach cannot unpack: upload the ZIP "
            "as backcoach made it, or the backcoach.json in it."
        ) from None
    except UNPACKING_ERRORS:
        raise ImportRefused(DAMAGED) from None
    return _json(_text(content), "The export in this ZIP")


# Checking values ----------------------------------------------------------------------


def _moment(value, name: str) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a date and time, not {value!r}")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} is not a date and time: {value!r}") from None
    if moment.tzinfo is None:
        raise ValueError(f"{name} needs a time zone: {value!r}")
    if not EARLIEST <= moment <= timezone.now() + dt.timedelta(minutes=5):
        raise ValueError(f"{name} is out of range (2000 until now): {value!r}")
    return moment


def _day(value, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is not a date (YYYY-MM-DD): {value!r}") from None


def _text_value(value, name: str, *, from_csv: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text")
    if from_csv:
        if value[:1] == "'":
            value = value[1:]  # the export's guard against spreadsheet formulas
        elif value[:1] in FORMULA_STARTS:
            raise ValueError(
                f"{name} starts with {value[:1]!r}, as a spreadsheet formula does: "
                f"{value[:20]!r}. Remove it, or start the text with an apostrophe."
            )
    if (character := control_character_in(value)) is not None:
        raise ValueError(f"{name} holds a control character (U+{ord(character):04X})")
    return value


def _uuid(value, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValueError(f"{name} is not an id: {value!r}") from None


def _number_problems(instance, exclude: Iterable[str]) -> list[str]:
    """Each number column of the row is a number by numbers.py's rule (not true, not NaN,
    not text): a model's own check would read true as 1 and let NaN through its range."""
    problems = []
    for column in instance._meta.concrete_fields:
        if column.name in exclude or column.primary_key or column.is_relation:
            continue
        value = getattr(instance, column.attname)
        if value is None:
            continue
        try:
            if isinstance(column, models.FloatField):
                numbers.decimal(value)
            elif isinstance(column, models.IntegerField):
                numbers.whole(value)
        except numbers.NumberRefused as exc:
            problems.append(f"{column.name} {exc}")
    return problems


def _checked(instance, exclude: Iterable[str], problems: Iterable[str] = ()) -> None:
    """The row's own model checks (choices, lengths, ranges, validators), after the app's
    rules (`problems`, already asked); RowProblems with all of them."""
    exclude = list(exclude)
    problems = [*problems, *_number_problems(instance, exclude)]
    if not problems:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems = [f"{name}: {' '.join(texts)}" for name, texts in exc.message_dict.items()]
    if problems:
        raise RowProblems(problems)


# The export's tables ------------------------------------------------------------------


WHOLE_COLUMNS = frozenset({*diary_rules.WHOLE_NUMBERS, "clock_corrected_seconds"})
BOOLEAN_COLUMNS = frozenset({"leg_below_knee", "new_symptom"})


def _csv_cell(column: str, value: str):
    """A cell of our own checkins.csv as the JSON document has it. A cell that is not what
    its column holds stays the text it is, and the row's rules refuse it by name ("pain
    must be a whole number from 0 to 10, not 'five'"): so every bad cell is reported, with
    its row."""
    if value == "":
        return [] if column == "pain_areas" else None
    try:
        if column == "pain_areas":
            return json.loads(value)
        if column in BOOLEAN_COLUMNS:
            return {"true": True, "false": False}.get(value, value)
        if column in diary_rules.DECIMALS:
            return numbers.decimal_from_text(value)
        if column in WHOLE_COLUMNS:
            return numbers.whole_from_text(value)
    except ValueError:  # NumberRefused and json.JSONDecodeError are ValueErrors
        return value
    return value


def checkins_from_csv(rows: list[dict]) -> dict:
    """Our own checkins.csv as the `checkins` table of an export document."""
    table = [
        {column: _csv_cell(column, row.get(column) or "") for column in CHECKIN_COLUMNS}
        for row in rows
    ]
    return {"format": FORMAT, "version": VERSION, "tables": {"checkins": table}, "csv": True}


@dataclass
class Plan:
    """The rows to create, built and checked before anything is written."""

    objects: list[tuple[str, object]] = field(default_factory=list)
    conditions: list[str] | None = None
    tonight: Routine | None = None  # the bedtime routine, if the person has not chosen one
    calendar_lead: int | None = None  # a calendar reminder, if the person has none
    email_reminder: bool = False
    # Experiments from a file without their record: it is made from the rows imported.
    to_freeze: list = field(default_factory=list)


def plan_export(person, document: dict, report: Report) -> Plan:
    """The rows of an export document (one `export_document` accepted), each checked."""
    tables = document["tables"]
    from_csv = bool(document.get("csv"))
    plan = Plan()
    ids = _IdMap(person)
    for name, reader in READERS:
        rows = tables.get(name, [])
        if not isinstance(rows, list):
            report.problem(name, None, "must be a list of rows")
            continue
        # Our checkins.csv is named as the person knows it: its header is row 1.
        where, offset = (f"{name}.csv", 1) if from_csv else (name, 0)
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                report.problem(where, number + offset, "must be an object")
                continue
            # JSON has no NaN or infinity (Python's reader takes them): none is a value.
            if (found := numbers.non_finite_in(row)) is not None:
                value = numbers.shown(_at(row, found))
                report.problem(
                    where, number + offset, f"{found} must be a finite number, not {value}"
                )
                continue
            try:
                reader(person, row, plan, ids, report, number, from_csv)
            except RowProblems as exc:
                for problem in exc.problems:
                    report.problem(where, number + offset, problem)
            except (ValueError, TypeError, KeyError) as exc:
                message = f"missing {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)
                report.problem(where, number + offset, message)
        if name != "profile":  # its one row is read, not added
            report.counts[name] = report.counts.get(name, 0) + len(rows)
    for slug, number in ids.routine_rows.items():
        if not any(routine == slug for routine, _ in ids.routine_steps):
            report.problem("routines", number, f"the routine {slug} has no steps")
    _check_skipped_steps(plan, ids, report)
    _check_steps_time(plan, ids, report)
    return plan


def _at(row: dict, path: str):
    """The value at a path non_finite_in gave (for its message)."""
    value = row
    for part in re.findall(r"[^.\[\]]+", path):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def _check_steps_time(plan: Plan, ids: "_IdMap", report: Report) -> None:
    """A practice's steps (in their own table) fit in its time: the player's rule."""
    done: dict[uuid.UUID, list[int]] = {}
    for kind, step in plan.objects:
        if kind == "practice_steps":
            done.setdefault(step.practice_id, []).append(step.done_seconds)
    for kind, practice in plan.objects:
        if kind != "practices":
            continue
        problem = practice_rules.steps_time_problem(
            done.get(practice.id, []), practice.started_at, practice.ended_at
        )
        if problem is not None:
            report.problem("practices", ids.practice_rows[practice.id], problem)


def _check_skipped_steps(plan: Plan, ids: "_IdMap", report: Report) -> None:
    """A skipped cue names a step of its own practice (the steps come in their own table)."""
    steps = Counter(step.practice_id for kind, step in plan.objects if kind == "practice_steps")
    for kind, practice in plan.objects:
        if kind != "practices":
            continue
        for cue in practice.skipped_cues:
            if cue["step"] > steps[practice.id]:
                report.problem(
                    "practices",
                    ids.practice_rows[practice.id],
                    f"a skipped cue names step {cue['step']}, and the practice has "
                    f"{steps[practice.id]} in practice_steps",
                )
                break


class _IdMap:
    """Ids from the file, kept where free in this installation, else replaced."""

    def __init__(self, person):
        self.person = person
        self.practices: dict[uuid.UUID, uuid.UUID] = {}
        self.checkins: dict[uuid.UUID, uuid.UUID] = {}
        self.routines: dict[str, Routine] = {}  # the file's slug -> the routine to create
        self.routine_rows: dict[str, int] = {}
        self.routine_steps: set[tuple[str, int]] = set()
        self.practice_rows: dict[uuid.UUID, int] = {}  # a practice's new id -> its row
        self.checkin_kinds: dict[uuid.UUID, str] = {}  # the file's id -> the check-in's kind
        # The zone a morning check-in's night was given in: the exporting account's, which
        # its profile row names; this person's when it names none.
        self.zone = person.zone
        self.nights: set[dt.date] = set(
            person.checkins.filter(kind="morning").values_list("night", flat=True)
        )

    def new(self, kind: dict, model, old: uuid.UUID) -> uuid.UUID:
        if old in kind:
            raise ValueError(f"the id {old} appears twice")
        kind[old] = uuid.uuid4() if model.objects.filter(pk=old).exists() else old
        return kind[old]


OWN_SLUG = re.compile(re.escape(library_vocabulary.OWN_SLUG_PREFIX) + r"[-a-z0-9]{1,70}")


def _boolean(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value


def _routine(person, row, plan, ids, report, number, from_csv):
    slug = row["slug"]
    if not isinstance(slug, str) or not OWN_SLUG.fullmatch(slug):
        raise ValueError(
            f"slug {slug!r} is not one of a person's own routines "
            f"(they start with {library_vocabulary.OWN_SLUG_PREFIX!r})"
        )
    if slug in ids.routines:
        raise ValueError(f"the routine {slug} appears twice")
    if row["purpose"] not in library_vocabulary.PURPOSES:
        raise ValueError(f"unknown purpose {row['purpose']!r}")
    taken = Routine.objects.filter(slug=slug).exists()
    routine = Routine(
        slug=library_vocabulary.OWN_SLUG_PREFIX + secrets.token_hex(6) if taken else slug,
        name=_text_value(row["name"], "name", from_csv=from_csv),
        summary="",
        purpose=row["purpose"],
        owner=person,
        saved=_boolean(row["saved"], "saved"),
        is_active=_boolean(row["is_active"], "is_active"),
        created_at=_moment(row["created_at"], "created_at") if row.get("created_at") else None,
    )
    if not routine.name.strip():
        raise ValueError("name is empty")
    ids.routines[slug] = routine
    ids.routine_rows[slug] = number
    if _boolean(row.get("tonight", False), "tonight") and routine.is_active:
        if routine.purpose != "bedtime":
            raise ValueError("only a bedtime routine can be tonight's")
        plan.tonight = routine
    _checked(routine, ["owner"])
    plan.objects.append(("routines", routine))


def _routine_step(person, row, plan, ids, report, number, from_csv):
    slug = row["routine"]
    if slug not in ids.routines:
        raise ValueError(f"routine {slug!r} is not in the routines table")
    order = _whole(row["order"], "order", minimum=1, maximum=1000)
    if (slug, order) in ids.routine_steps:
        raise ValueError(f"the routine {slug} has two steps numbered {order}")
    ids.routine_steps.add((slug, order))
    duration = _whole(row["duration"], "duration (whole seconds)")
    step = OwnStep(str(row["technique"]), duration, str(row.get("side") or ""))
    technique = Technique.objects.filter(slug=step.technique).first()
    if (problem := own_step_problem(step, technique)) is not None:
        raise ValueError(problem)
    plan.objects.append(
        (
            "routine_steps",
            RoutineStep(
                routine=ids.routines[slug],
                order=order,
                technique=technique,
                duration=duration,
                side=step.side,
            ),
        )
    )


def _profile(person, row, plan, ids, report, number, from_csv):
    """Of the profile only the bedtime routine is read, and only a library one (an own
    routine says so itself): the account's other settings stay as they are. Its time zone
    is the one the file's morning check-ins were given their nights in."""
    zone = row.get("time_zone")
    if isinstance(zone, str) and zone:
        try:
            ids.zone = zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"time_zone {zone!r} is not a time zone") from None
    slug = row.get("bedtime_routine") or ""
    if not slug or slug in ids.routines or plan.tonight is not None:
        return
    routine = Routine.objects.library().filter(slug=slug, is_active=True, purpose="bedtime")
    plan.tonight = routine.first()


def _reminder(person, row, plan, ids, report, number, from_csv):
    """A reminder is switched on again where it can be: the calendar (at a new secret
    address, to subscribe to again) and the e-mail. Notifications belong to a browser."""
    channel = row["channel"]
    if channel == "calendar":
        lead = _whole(row.get("lead_minutes"), "lead_minutes", minimum=0, maximum=180)
        if plan.calendar_lead is not None:
            raise ValueError("a second calendar reminder")
        plan.calendar_lead = lead
        report.notes.append(
            "The calendar reminder has a new address: subscribe to it again from Reminders."
        )
    elif channel == "email":
        plan.email_reminder = True
    elif channel == "push":
        report.notes.append(
            "Notifications were on in your old installation: switch them on again in "
            "Reminders, on each browser that should show them."
        )
    else:
        raise ValueError(f"unknown reminder channel {channel!r}")


def _routine_of(person, ids, slug) -> Routine | None:
    """The routine a practice or an experiment names: one of the file's own, or the
    library's (or one of the person's own already here)."""
    if not slug:
        return None
    if slug in ids.routines:
        return ids.routines[slug]
    return Routine.objects.visible_to(person).filter(slug=slug).first()


def _whole(value, name: str, **limits) -> int:
    try:
        return numbers.whole(value, **limits)
    except numbers.NumberRefused as exc:
        raise ValueError(f"{name} {exc}") from None


def _practice(person, row, plan, ids, report, number, from_csv):
    routine = _routine_of(person, ids, row.get("routine"))
    practice = Practice(
        id=ids.new(ids.practices, Practice, _uuid(row["id"], "id")),
        person=person,
        routine=routine,
        routine_name=_text_value(row["routine_name"], "routine_name", from_csv=from_csv),
        started_at=_moment(row["started_at"], "started_at"),
        ended_at=_moment(row["ended_at"], "ended_at"),
        status=row["status"],
        source=row.get("source") or Practice.Source.WEB,
        pain_before=row.get("pain_before"),
        tension_before=row.get("tension_before"),
        pain_after=row.get("pain_after"),
        tension_after=row.get("tension_after"),
        note=_text_value(row.get("note"), "note", from_csv=from_csv),
        clock_corrected_seconds=row.get("clock_corrected_seconds") or 0,
        skipped_cues=[] if row.get("skipped_cues") is None else row["skipped_cues"],
    )
    ids.practice_rows[practice.id] = number
    # The player's rules for an upload, less its age limit (an export brings years back).
    problems = [
        problem
        for problem in (
            practice_rules.times_problem(
                practice.started_at, practice.ended_at, now=timezone.now()
            ),
            *(
                practice_rules.rating_problem(name, getattr(practice, name))
                for name in practice_rules.RATINGS
            ),
        )
        if problem is not None
    ]
    _checked(practice, ["person", "routine", "id", *practice_rules.RATINGS], problems)
    plan.objects.append(("practices", practice))


def _step(person, row, plan, ids, report, number, from_csv):
    old = _uuid(row["practice"], "practice")
    if old not in ids.practices:
        raise ValueError(f"practice {old} is not in the practices table")
    technique = Technique.objects.filter(slug=row["technique"]).first()
    if technique is None:
        raise ValueError(f"no technique {row['technique']!r} in this library")
    order = _whole(row["order"], "order", minimum=1, maximum=MAX_STEPS)
    step = PracticeStep(
        practice_id=ids.practices[old],
        order=order,
        technique=technique,
        side=row.get("side") or "",
        planned_seconds=row["planned_seconds"],
        done_seconds=row["done_seconds"],
    )
    problem = practice_rules.step_problem(
        order,
        side=step.side,
        technique_sides=technique.sides,
        technique_name=technique.name,
        planned_seconds=step.planned_seconds,
        done_seconds=step.done_seconds,
    )
    exclude = ["practice", "technique", "order", "planned_seconds", "done_seconds"]
    _checked(step, exclude, [problem] if problem else [])
    plan.objects.append(("practice_steps", step))


# An answer the export writes for every check-in, whatever its kind holds (the columns are
# shared): these values in another kind's column are no answer.
NO_ANSWER = (None, "", [], False)


def _answers(kind: str, row: dict, from_csv: bool) -> dict:
    """The answers a check-in row gives, as the diary's rules take them: those its kind
    holds (absent ones empty), and any other answer column that is not empty."""
    values = {}
    for name in dict.fromkeys(a for answers in ANSWERS.values() for a in answers):
        value = row.get(name)
        if name not in ANSWERS[kind]:
            if value not in NO_ANSWER:
                values[name] = value
            continue
        if name == "note":
            value = _text_value(value, "note", from_csv=from_csv)
        elif value is None and name in ("pain_areas", "routine_feel", "new_symptom"):
            value = {"pain_areas": [], "routine_feel": "", "new_symptom": False}[name]
        values[name] = value
    return values


def _checkin(person, row, plan, ids, report, number, from_csv):
    kind = row["kind"]
    if kind not in Checkin.Kind.values:
        raise ValueError(f"kind must be one of {', '.join(Checkin.Kind.values)}, not {kind!r}")
    recorded_at = _moment(row["recorded_at"], "recorded_at")
    night = _day(row["night"], "night") if row.get("night") not in (None, "") else None
    values = _answers(kind, row, from_csv)
    problems = [
        problem
        for problem in (
            diary_rules.future_problem(recorded_at, now=timezone.now()),
            diary_rules.night_problem(kind, night, recorded_at, ids.zone),
        )
        if problem is not None
    ]
    problems += diary_rules.answers_problems(kind, values)
    if problems:
        raise RowProblems(problems)
    if night is not None:
        if night in ids.nights:
            raise ValueError(f"there is already a morning check-in for the night of {night}")
        ids.nights.add(night)
    old = _uuid(row["id"], "id")
    checkin = Checkin(
        id=ids.new(ids.checkins, Checkin, old),
        person=person,
        kind=kind,
        recorded_at=recorded_at,
        night=night,
        clock_corrected_seconds=row.get("clock_corrected_seconds") or 0,
        **values,
    )
    ids.checkin_kinds[old] = kind
    if row.get("created_at"):
        checkin.restore = {
            "created_at": _moment(row["created_at"], "created_at"),
            "updated_at": _moment(row.get("updated_at") or row["created_at"], "updated_at"),
        }
    _checked(checkin, ["person", "id"])
    plan.objects.append(("checkins", checkin))


def _revision(person, row, plan, ids, report, number, from_csv):
    """What a check-in said before an edit: its answers then, under the diary's rules."""
    old = _uuid(row["checkin"], "checkin")
    if old not in ids.checkins:
        raise ValueError(f"check-in {old} is not in the checkins table")
    values = row["values"]
    if not isinstance(values, dict):
        raise ValueError("values must be an object")
    if "recorded_at" in values:
        _moment(values["recorded_at"], "values.recorded_at")
    answers = {name: value for name, value in values.items() if name != "recorded_at"}
    problems = diary_rules.answers_problems(ids.checkin_kinds[old], answers)
    if problems:
        raise RowProblems([f"values: {problem}" for problem in problems])
    revision = CheckinRevision(checkin_id=ids.checkins[old], values=values)
    revision.restore = {"replaced_at": _moment(row["replaced_at"], "replaced_at")}
    plan.objects.append(("checkin_revisions", revision))


def _flare_up(person, row, plan, ids, report, number, from_csv):
    flare_up = FlareUp(
        person=person,
        started_at=_moment(row["started_at"], "started_at"),
        pain=row["pain"],
        note=_text_value(row.get("note"), "note", from_csv=from_csv),
    )
    _checked(flare_up, ["person"])
    plan.objects.append(("flare_ups", flare_up))


def _screen(person, row, plan, ids, report, number, from_csv):
    if not isinstance(row.get("answers"), dict):
        raise ValueError("answers must be an object")
    screen = Screen(
        person=person,
        answered_at=_moment(row["answered_at"], "answered_at"),
        reason=row["reason"],
        outcome=row["outcome"],
        answers=row["answers"],
        assessed_at=_moment(row["assessed_at"], "assessed_at") if row.get("assessed_at") else None,
    )
    _checked(screen, ["person"])
    plan.objects.append(("safety_checks", screen))


def _condition(person, row, plan, ids, report, number, from_csv):
    if row["condition"] not in CONTRAINDICATIONS:
        raise ValueError(f"unknown health condition {row['condition']!r}")
    plan.conditions = sorted({*(plan.conditions or []), row["condition"]})


def _experiment(person, row, plan, ids, report, number, from_csv):
    """An experiment comes back over (finished, or stopped if its schedule had nights
    left) with the record it was exported with: it never runs on here with a seed that
    the file chose (experiments/record.py)."""
    routines = {
        slug: _routine_of(person, ids, slug)
        for slug in (row.get("routine_a"), row.get("routine_b"))
    }
    status = row["status"]
    if status not in Experiment.Status.values:
        raise ValueError(f"status must be one of {', '.join(Experiment.Status.values)}")
    experiment = Experiment(
        person=person,
        question=row["question"],
        routine_a=routines.get(row.get("routine_a")),
        routine_b=routines.get(row.get("routine_b")),
        a_label=_text_value(row["a_label"], "a_label", from_csv=from_csv),
        b_label=_text_value(row["b_label"], "b_label", from_csv=from_csv),
        outcome=row["outcome"],
        secondary_outcomes=row.get("secondary_outcomes") or [],
        first_night=_day(row["first_night"], "first_night"),
        pairs=row["pairs"],
        seed=row["seed"],
        status=status,
        stopped_at=_moment(row["stopped_at"], "stopped_at") if row.get("stopped_at") else None,
    )
    problems = []
    if (
        problem := experiment_record.outcomes_problem(
            experiment.outcome, experiment.secondary_outcomes
        )
    ) is not None:
        problems.append(problem)
    _checked(experiment, ["person", "routine_a", "routine_b"], problems)
    today = nights.tonight(timezone.now(), person.zone)
    experiment.status = experiment_record.imported_status(
        status, last_night=experiment.last_night, today=today
    )
    if experiment.status != status:
        if experiment.status == Experiment.Status.STOPPED:
            experiment.stopped_at = timezone.now()
        report.notes.append(
            f"experiments, row {number}: it was running; it comes back "
            f"{experiment.get_status_display().lower()}, with its nights so far (a new one "
            "can be started here)."
        )
    if row.get("record") is not None:
        try:
            experiment.record, differences = experiment_record.imported_record(
                row["record"],
                first_night=experiment.first_night,
                pairs=experiment.pairs,
                seed=experiment.seed,
                outcome=experiment.outcome,
                secondary_outcomes=experiment.secondary_outcomes,
            )
        except experiment_record.BadDocument as exc:
            raise ValueError(f"record: {exc}") from None
        if differences:
            report.notes.append(
                f"experiments, row {number}: its analysis was re-run on its nights and "
                f"differs from the file's ({'; '.join(differences[:3])})."
            )
    else:
        plan.to_freeze.append(experiment)
    if row.get("started_at"):
        experiment.restore = {"started_at": _moment(row["started_at"], "started_at")}
    plan.objects.append(("experiments", experiment))


READERS: tuple[tuple[str, Callable], ...] = (
    ("routines", _routine),
    ("routine_steps", _routine_step),
    ("profile", _profile),
    ("health_conditions", _condition),
    ("safety_checks", _screen),
    ("flare_ups", _flare_up),
    ("practices", _practice),
    ("practice_steps", _step),
    ("checkins", _checkin),
    ("checkin_revisions", _revision),
    ("experiments", _experiment),
    ("reminders", _reminder),
)


@transaction.atomic
def plan_save(person, plan: Plan, *, site_url: str = "") -> None:
    """Write a checked plan, all of it or (on any database error) none of it."""
    by_kind: dict[str, list] = {}
    for kind, instance in plan.objects:
        by_kind.setdefault(kind, []).append(instance)
    for kind, _ in READERS:
        rows = by_kind.get(kind, [])
        if not rows:
            continue
        model = type(rows[0])
        model.objects.bulk_create(rows, batch_size=500)
        # Creating set the "made" and "changed" moments to now: the file's come back.
        restored = [row for row in rows if getattr(row, "restore", None)]
        if restored:
            names = list(restored[0].restore)
            for row in restored:
                for name, value in row.restore.items():
                    setattr(row, name, value)
            model.objects.bulk_update(restored, names, batch_size=500)
    if plan.conditions is not None:
        HealthConditions.objects.update_or_create(person=person, defaults={"keys": plan.conditions})
    if plan.calendar_lead is not None:
        CalendarFeed.objects.get_or_create(
            person=person, defaults={"lead_minutes": plan.calendar_lead}
        )
    if plan.email_reminder:
        reminder_switch_on(person=person, channel=Reminder.Channel.EMAIL, site_url=site_url)
    if plan.tonight is not None and person.bedtime_routine_id is None:
        person.bedtime_routine = plan.tonight
        person.save(update_fields=["bedtime_routine"])
    # An experiment from a file that did not carry its record (an older export): its
    # record is made now, from the practices and check-ins just imported, and kept.
    for experiment in plan.to_freeze:
        experiment.record = experiment_document(experiment)
        experiment.save(update_fields=["record"])


# A plain CSV of dated pain ratings ------------------------------------------------------

DATE_FORMATS = {"YYYY-MM-DD": "%Y-%m-%d", "DD/MM/YYYY": "%d/%m/%Y", "MM/DD/YYYY": "%m/%d/%Y"}


@dataclass(frozen=True)
class Mapping:
    """Which column of the person's CSV holds what."""

    date: str
    pain: str
    date_format: str = "YYYY-MM-DD"
    time: str = ""
    note: str = ""


# The moment of a CSV row that gives only a date: the middle of that day, which no clock
# change and no night (06:00 to 06:00) boundary moves to another date.
DATE_ONLY_TIME = dt.time(12)


def date_only_key(moment: dt.datetime, pain: int | None, zone: dt.tzinfo):
    """What makes a rating of a date without a time the same as one already kept: a pain
    rating of that date, by noon at the latest (a row of today imported in the morning was
    filed at that minute), or None for a later moment."""
    local = moment.astimezone(zone)
    return (local.date(), pain) if local.time() <= DATE_ONLY_TIME else None


def plan_pain_csv(
    person, header: list[str], rows: list[list[str]], mapping: Mapping, report: Report
) -> Plan:
    """Each row: an any-time check-in with its pain (and note), at the date (and time, or
    noon) in the person's time zone. A row of today without a time, imported before noon, is
    filed at this minute rather than in the future; on a later import of the same file it is
    the same rating (date_only_key)."""
    columns = {name: index for index, name in enumerate(header)}
    for role in ("date", "pain", "time", "note"):
        chosen = getattr(mapping, role)
        if chosen and chosen not in columns:
            raise ImportRefused(f"The CSV has no column {chosen!r} (for the {role}).")
    if mapping.date_format not in DATE_FORMATS:
        raise ImportRefused(f"Unknown date format {mapping.date_format!r}.")
    plan = Plan()
    seen: dict[tuple, int] = {}
    existing = set(person.checkins.filter(kind="anytime").values_list("recorded_at", "pain"))
    existing_dates = {date_only_key(moment, pain, person.zone) for moment, pain in existing}
    now = timezone.now()
    today = nights.today(now, person.zone)
    for number, row in enumerate(rows, start=2):  # the header is row 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            report.problem("CSV", number, f"has {len(row)} cells; the header has {len(header)}")
            continue

        def cell(role: str, row=row) -> str:
            chosen = getattr(mapping, role)
            return row[columns[chosen]].strip() if chosen else ""

        try:
            day = dt.datetime.strptime(cell("date"), DATE_FORMATS[mapping.date_format]).date()
        except ValueError:
            report.problem("CSV", number, f"date {cell('date')!r} is not {mapping.date_format}")
            continue
        moment_of_day = DATE_ONLY_TIME
        if mapping.time:
            try:
                moment_of_day = dt.time.fromisoformat(cell("time"))
            except ValueError:
                report.problem("CSV", number, f"time {cell('time')!r} is not HH:MM")
                continue
        recorded_at = dt.datetime.combine(day, moment_of_day, tzinfo=person.zone)
        if not mapping.time:
            recorded_at = min(recorded_at, now.replace(second=0, microsecond=0))
        try:
            if not EARLIEST.date() <= day <= today:
                raise ValueError(f"the date {day} is out of range (2000 until today)")
            try:
                low, high = diary_rules.WHOLE_NUMBERS["pain"]
                pain = numbers.whole_from_text(cell("pain"), minimum=low, maximum=high)
            except numbers.NumberRefused as exc:
                raise ValueError(f"pain {exc}") from None
            note = _text_value(cell("note"), "note", from_csv=True)[: diary_rules.MAX_NOTE]
        except ValueError as exc:
            report.problem("CSV", number, str(exc))
            continue
        problems = diary_rules.answers_problems("anytime", {"pain": pain, "note": note})
        if problem := diary_rules.future_problem(recorded_at, now=now):
            problems.append(problem)
        if problems:
            for problem in problems:
                report.problem("CSV", number, problem)
            continue
        if mapping.time:
            key, kept, same = (recorded_at, pain), existing, "same moment, same pain"
        else:
            key = date_only_key(recorded_at, pain, person.zone)
            kept, same = existing_dates, "same date, same pain"
        if key in seen:
            report.problem("CSV", number, f"repeats row {seen[key]} ({same})")
            continue
        if key in kept:
            report.problem("CSV", number, f"is already in your diary ({same})")
            continue
        seen[key] = number
        checkin = Checkin(
            person=person, kind="anytime", recorded_at=recorded_at, pain=pain, note=note
        )
        plan.objects.append(("checkins", checkin))
    report.counts["checkins"] = len(plan.objects)
    return plan
