"""One set of rules per row (issue 18 §3): each bad value goes down every path that can
carry it (a diary form posted with its CSRF token, the JSON API, our checkins.csv, a plain
CSV of pain ratings, the JSON export, the ZIP, the import page and the `backcoach import`
command) and is refused with a clear message that names its field (and, in a file, its
row), and nothing in the database changes.

The table is the proof that the rules live once: removing one rule from one path (for
example the diary's answer rules from the importer) makes the rows of that path fail."""

import datetime as dt
import html
import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from backcoach import cli, nights
from backcoach.diary.models import Checkin, CheckinRevision
from backcoach.experiments import selectors as experiment_selectors
from backcoach.experiments.models import Experiment
from backcoach.player.models import Practice, PracticeStep
from backcoach.portability import export
from backcoach.portability.services import Mapping, data_import
from tests.clients import Browser
from tests.factories import make_checkin, make_person, make_practice, make_routine, make_technique

NAN, INF = float("nan"), float("inf")
THREE = "\u0663"  # ٣, ARABIC-INDIC DIGIT THREE: int("٣") == 3 in Python

# The paths, and which ones read a value as text rather than as a JSON value.
FORM, API, CSV, PAIN_CSV, JSON, ZIP, PAGE, CLI = (
    "form",
    "api",
    "checkins.csv",
    "pain-csv",
    "json",
    "zip",
    "import-page",
    "cli",
)
IMPORTS = (JSON, ZIP, PAGE, CLI)  # the export, read back by each way in


@dataclass(frozen=True)
class Bad:
    """A bad value for one field of one row, and what each path says about it. `said`
    maps a path (or "import", for every way the export is read back) to the words of the
    refusal; `text` is the value as a person types it into a form or a CSV cell."""

    name: str
    table: str  # "checkins" (of `kind`), "practices" or "practice_steps"
    field: str
    value: object
    said: dict[str, str]
    kind: str = ""
    text: str | None = None
    paths: tuple[str, ...] = field(default=())

    def words(self, path: str) -> str:
        return self.said.get(path) or self.said["import"]


FINITE = "fingertip_floor_cm must be a finite number, not {}"
LENGTH_TEXT = "fingertip_floor_cm must be a number from 0 to 100, not {}"
RATING = "pain must be a whole number from 0 to 10, not {}"
EVERY_CHECKIN_PATH = (FORM, API, CSV, *IMPORTS)
RATING_PATHS = (FORM, API, CSV, PAIN_CSV, *IMPORTS)
PRACTICE_PATHS = (API, *IMPORTS)

CASES = [
    Bad(
        "NaN",
        "checkins",
        "fingertip_floor_cm",
        NAN,
        {
            "import": FINITE.format("NaN"),
            API: "must be a finite number, not NaN",
            CSV: LENGTH_TEXT.format("'nan'"),
            FORM: "Enter a number.",
        },
        kind="weekly",
        text="nan",
        paths=EVERY_CHECKIN_PATH,
    ),
    Bad(
        "infinity",
        "checkins",
        "fingertip_floor_cm",
        INF,
        {
            "import": FINITE.format("infinity"),
            API: "must be a finite number, not infinity",
            CSV: LENGTH_TEXT.format("'inf'"),
            FORM: "Enter a number.",
        },
        kind="weekly",
        text="inf",
        paths=EVERY_CHECKIN_PATH,
    ),
    Bad(
        "-infinity",
        "checkins",
        "fingertip_floor_cm",
        -INF,
        {
            "import": FINITE.format("-infinity"),
            API: "must be a finite number, not -infinity",
            CSV: LENGTH_TEXT.format("'-Infinity'"),
            FORM: "Enter a number.",
        },
        kind="weekly",
        text="-Infinity",
        paths=EVERY_CHECKIN_PATH,
    ),
    Bad(
        "true-as-a-rating",
        "checkins",
        "pain",
        True,
        {
            "import": RATING.format("true"),
            API: "must be a whole number, not true",
            CSV: RATING.format("'true'"),
            PAIN_CSV: RATING.format("'true'"),
            FORM: "Select a valid choice",
        },
        kind="anytime",
        text="true",
        paths=RATING_PATHS,
    ),
    Bad(
        "arabic-indic-digit-as-a-rating",
        "checkins",
        "pain",
        THREE,
        {
            "import": f"pain must be written with the digits 0-9, not '{THREE}'",
            API: "must be written with the digits 0-9",
            FORM: "Select a valid choice",
        },
        kind="anytime",
        text=THREE,
        paths=RATING_PATHS,
    ),
    Bad(
        "arabic-indic-digit-as-a-length",
        "checkins",
        "fingertip_floor_cm",
        THREE,
        {
            "import": f"fingertip_floor_cm must be written with the digits 0-9, not '{THREE}'",
            API: "must be written with the digits 0-9",
            FORM: f"Write the number with the digits 0-9, not '{THREE}'.",
        },
        kind="weekly",
        text=THREE,
        paths=EVERY_CHECKIN_PATH,
    ),
    Bad(
        "rating-out-of-range",
        "checkins",
        "pain",
        11,
        {
            "import": RATING.format("11"),
            API: "less than or equal to 10",
            PAIN_CSV: RATING.format("'11'"),
            FORM: "Select a valid choice",
        },
        kind="anytime",
        text="11",
        paths=RATING_PATHS,
    ),
    Bad(
        "length-out-of-range",
        "checkins",
        "fingertip_floor_cm",
        101,
        {
            "import": "fingertip_floor_cm must be a number from 0 to 100, not 101",
            API: "less than or equal to 100",
            FORM: "less than or equal to 100",
        },
        kind="weekly",
        text="101",
        paths=EVERY_CHECKIN_PATH,
    ),
    Bad(
        "wrong-type",
        "checkins",
        "pain",
        "five",
        {
            "import": RATING.format("'five'"),
            API: "must be a whole number, not 'five'",
            FORM: "Select a valid choice",
        },
        kind="anytime",
        text="five",
        paths=RATING_PATHS,
    ),
    Bad(
        "a-morning-on-another-night",
        "checkins",
        "night",
        "30 nights before its own",
        {"import": "is not the night a morning check-in at", API: "is not the night"},
        kind="morning",
        text="30 nights before its own",
        paths=(API, CSV, *IMPORTS),
    ),
    Bad(
        "a-side-the-technique-does-not-have",
        "practice_steps",
        "side",
        "left",
        {"import": "is done on the side both, not 'left'"},
        paths=PRACTICE_PATHS,
    ),
    Bad(
        "a-practice-over-4-hours",
        "practices",
        "ended_at",
        dt.timedelta(hours=4, minutes=1),
        {"import": "A practice longer than 4 hours is not one practice."},
        paths=PRACTICE_PATHS,
    ),
    Bad(
        "a-check-in-in-the-future",
        "checkins",
        "recorded_at",
        dt.timedelta(days=1),
        {
            "import": "recorded_at is out of range (2000 until now)",
            API: "That moment is in the future.",
            FORM: "That moment is in the future.",
            PAIN_CSV: "is out of range (2000 until today)",
        },
        kind="anytime",
        text="tomorrow",
        paths=(FORM, API, CSV, PAIN_CSV, *IMPORTS),
    ),
    Bad(
        "a-practice-in-the-future",
        "practices",
        "started_at",
        dt.timedelta(days=1),
        {
            "import": "started_at is out of range (2000 until now)",
            API: "The practice is in the future",
        },
        paths=PRACTICE_PATHS,
    ),
]
ROWS = [pytest.param(case, path, id=f"{case.name}-{path}") for case in CASES for path in case.paths]


def test_every_bad_value_goes_down_every_path_that_can_carry_it():
    """The table leaves a path out only where the path cannot carry the field: the forms
    take no practices and no night (the day picks it), CSV files hold check-ins only, and
    a plain CSV only pain ratings."""
    for case in CASES:
        can = set(IMPORTS) | {API}
        if case.table == "checkins":
            can |= {CSV}
            if case.field != "night":
                can |= {FORM}
            if case.field in ("pain", "recorded_at"):
                can |= {PAIN_CSV}
        assert set(case.paths) == can, case.name


# The person whose export is read back, and the one it is read into ------------------------


@pytest.fixture
def owner(db):
    """A person in Tokyo with one check-in of each kind, a practice of the knee hug
    (done on both sides at once) and a stopped experiment."""
    person = make_person(email="owner@example.org", time_zone="Asia/Tokyo")
    routine = make_routine(
        slug="wind-down",
        name="Wind-down",
        techniques=[make_technique(slug="knee-hug", sides="both")],
    )
    make_checkin(person, kind="morning", days_ago=1, pain=4)
    make_checkin(person, kind="anytime", days_ago=2, pain=3, tension=4)
    make_checkin(person, kind="weekly", days_ago=3, fingertip_floor_cm=12.5)
    make_practice(person, routine=routine, days_ago=1, pain_before=5)
    today = nights.today(timezone.now(), person.zone)
    Experiment.objects.create(
        person=person,
        question="massage-pain",
        routine_a=routine,
        a_label="Wind-down",
        b_label="No routine",
        outcome="pain",
        first_night=today - dt.timedelta(days=20),
        pairs=7,
        seed=4,
        status="stopped",
        stopped_at=timezone.now() - dt.timedelta(days=2),
    )
    return person


@pytest.fixture
def reader(db):
    """The person the files are imported into (and who posts the forms and the API)."""
    return make_person(email="reader@example.org")


def exported(person) -> dict:
    return json.loads("".join(export.json_document(person)))


def everything() -> dict:
    """What the database holds of the rows these paths write."""
    return {
        model.__name__: sorted(map(str, model.objects.values_list("pk", flat=True)))
        for model in (Checkin, CheckinRevision, Practice, PracticeStep, Experiment)
    }


def shifted(moment: str, by: dt.timedelta) -> str:
    return (dt.datetime.fromisoformat(moment) + by).isoformat()


def bad_document(owner, case: Bad) -> tuple[dict, int]:
    """The owner's export with the case's bad value in its row; the row's number."""
    document = exported(owner)
    tables = document["tables"]
    if case.table == "checkins":
        number, row = next(
            (n, r) for n, r in enumerate(tables["checkins"], start=1) if r["kind"] == case.kind
        )
    else:
        number, row = 1, tables[case.table][0]
    if case.field == "night":
        row["night"] = (dt.date.fromisoformat(row["night"]) - dt.timedelta(days=30)).isoformat()
    elif case.field == "ended_at":  # the practice's length
        row["ended_at"] = shifted(row["started_at"], case.value)
    elif isinstance(case.value, dt.timedelta):  # a moment that far from now
        by = timezone.now() + case.value - dt.datetime.fromisoformat(row[case.field])
        row[case.field] = shifted(row[case.field], by)
        if case.field == "started_at":
            row["ended_at"] = shifted(row["ended_at"], by)
    else:
        row[case.field] = case.value
    return document, number


def assert_named(problems: list[str], where: str, words: str) -> None:
    """One problem names the file's table (or file) and row, and says `words`."""
    assert any(p.startswith(f"{where}: ") and words in p for p in problems), problems


# The paths ------------------------------------------------------------------------------


def strict_client(person) -> tuple[Browser, str]:
    """A client that checks CSRF as a browser's requests are checked, and its token."""
    client = Browser()
    client.force_login(person)
    page = client.get(reverse("diary:anytime"))
    return client, page.cookies["csrftoken"].value


FORM_DATA = {
    "anytime": {"pain": "3", "tension": "4", "note": ""},
    "weekly": {"peg_pain": "3", "peg_enjoyment": "2", "peg_activity": "2", "posture": "6"},
}


def through_the_form(reader, case: Bad) -> str:
    client, token = strict_client(reader)
    today = nights.today(timezone.now(), reader.zone)
    data = {**FORM_DATA[case.kind], "csrfmiddlewaretoken": token}
    if case.kind == "weekly":
        data["day"] = today.isoformat()
    if case.field == "fingertip_floor_cm":
        data["fingertip_floor"] = case.text
    elif case.field == "recorded_at":
        data["when"] = (timezone.now().astimezone(reader.zone) + case.value).strftime(
            "%Y-%m-%dT%H:%M"
        )
    else:
        data[case.field] = case.text
    response = client.post(reverse(f"diary:{case.kind}"), data)
    assert response.status_code == 400, response.status_code
    return html.unescape(response.content.decode())


def checkin_body(case: Bad) -> dict:
    answers = {
        "anytime": {"pain": 3, "tension": 4},
        "weekly": {"peg_pain": 3, "peg_enjoyment": 2, "peg_activity": 2},
        "morning": {"pain": 3, "sleep_onset_minutes": 15, "sleep_quality": 4},
    }[case.kind]
    body = {
        "id": str(uuid.uuid4()),
        "kind": case.kind,
        "recorded_at": timezone.now().isoformat(),
        **answers,
    }
    if case.field == "night":
        described = nights.night_described_at(timezone.now(), dt.UTC)
        body["night"] = (described - dt.timedelta(days=30)).isoformat()
    elif case.field == "recorded_at":
        body["recorded_at"] = (timezone.now() + case.value).isoformat()
    else:
        body[case.field] = case.value
    return body


def practice_body(case: Bad) -> dict:
    ended = timezone.now() - dt.timedelta(minutes=1)
    started = ended - dt.timedelta(seconds=75)
    step = {"technique": "knee-hug", "side": "both", "planned_seconds": 60, "done_seconds": 60}
    if case.field == "side":
        step["side"] = case.value
    elif case.field == "ended_at":
        ended = started + case.value
    elif case.field == "started_at":
        started, ended = started + case.value, ended + case.value
    return {
        "id": str(uuid.uuid4()),
        "routine": "wind-down",
        "started_at": started.isoformat(),
        "ended_at": ended.isoformat(),
        "status": "completed",
        "steps": [step],
    }


def through_the_api(reader, case: Bad) -> str:
    client, token = strict_client(reader)
    url, body = (
        ("/api/checkins/", checkin_body(case))
        if case.table == "checkins"
        else ("/api/practices/", practice_body(case))
    )
    # json.dumps writes NaN and Infinity as JavaScript does: what a buggy client sends.
    response = client.post(
        url, json.dumps(body), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code in (400, 422), response.content
    return json.dumps(response.json(), ensure_ascii=False)


def our_csv(owner, case: Bad) -> tuple[bytes, int]:
    """checkins.csv of the owner's ZIP with the case's text in its cell; the file's row."""
    import csv

    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.zip_stream(owner))))
    rows = list(csv.reader(io.StringIO(archive.read("checkins.csv").decode())))
    header = rows[0]
    number = next(n for n, row in enumerate(rows) if row[header.index("kind")] == case.kind)
    row = rows[number]
    column = header.index(case.field)
    if case.field == "night":
        row[column] = (dt.date.fromisoformat(row[column]) - dt.timedelta(days=30)).isoformat()
    elif case.field == "recorded_at":
        row[column] = (timezone.now() + case.value).isoformat()
    else:
        row[column] = case.text
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(), number + 1


def through_the_command(capsys, monkeypatch, tmp_path, reader, data: bytes) -> str:
    """`backcoach import --person EMAIL FILE`, as the `backcoach` command runs it (its
    entry point, in this process, on the test database)."""
    path = tmp_path / "backcoach.json"
    path.write_bytes(data)
    code = run_cli(monkeypatch, "import", "--person", reader.email, str(path))
    output = capsys.readouterr()
    assert code == 2, (code, output)
    assert "problem(s); nothing was imported" in output.err.splitlines()[-1]
    return output.err


def run_cli(monkeypatch, *args: str) -> int:
    """The `backcoach` command's entry point with `args`, in this process."""
    # cli.main installs its own error reporting on BaseCommand, and a command run from the
    # command line closes the database connections as it ends (the test's database here):
    # both are put back, or left alone.
    monkeypatch.setattr(BaseCommand, "run_from_argv", BaseCommand.run_from_argv)
    monkeypatch.setattr(connections, "close_all", lambda: None)
    return cli.main(list(args))


def zipped(document: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("backcoach.json", json.dumps(document))
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "path"), ROWS)
def test_a_bad_value_is_refused_clearly_and_changes_nothing(
    case, path, owner, reader, capsys, monkeypatch, tmp_path
):
    before = everything()
    words = case.words(path)
    if path == FORM:
        assert words in through_the_form(reader, case)
    elif path == API:
        assert words in through_the_api(reader, case)
    elif path == CSV:
        # checkins.csv names no time zone: its mornings' nights are read in the reader's.
        reader.time_zone = owner.time_zone
        reader.save()
        data, number = our_csv(owner, case)
        report = data_import(person=reader, data=data)
        assert_named(report.problems, f"checkins.csv, row {number}", words)
    elif path == PAIN_CSV:
        day = nights.today(timezone.now(), reader.zone)
        pain = case.text
        if case.field == "recorded_at":
            day, pain = day + case.value, "3"
        data = f"Date,Pain\n{day.isoformat()},{pain}\n".encode()
        report = data_import(person=reader, data=data, mapping=Mapping(date="Date", pain="Pain"))
        assert_named(report.problems, "CSV, row 2", words)
    else:
        document, number = bad_document(owner, case)
        where = f"{case.table}, row {number}"
        data = json.dumps(document).encode()  # NaN and Infinity as Python writes them
        if path == JSON:
            assert_named(data_import(person=reader, data=data).problems, where, words)
        elif path == ZIP:
            assert_named(data_import(person=reader, data=zipped(document)).problems, where, words)
        elif path == PAGE:
            client, token = strict_client(reader)
            response = client.post(
                reverse("portability:import"),
                {
                    "file": SimpleUploadedFile("backcoach.zip", zipped(document)),
                    "csrfmiddlewaretoken": token,
                },
            )
            assert response.status_code == 400
            page = html.unescape(response.content.decode())
            assert any(f"{where}: " in line and words in line for line in page.splitlines()), page
        else:
            output = through_the_command(capsys, monkeypatch, tmp_path, reader, data)
            assert_named(output.splitlines(), where, words)
    assert everything() == before


@pytest.mark.django_db
def test_the_files_without_the_bad_value_import_on_every_path(
    owner, reader, capsys, monkeypatch, tmp_path
):
    """So that each refusal above is the bad value's, not the file's."""
    document = exported(owner)
    for data in (json.dumps(document).encode(), zipped(document)):
        second = make_person()
        report = data_import(person=second, data=data, dry_run=True)
        assert report.ok, report.problems
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.zip_stream(owner))))
    in_tokyo = make_person(time_zone=owner.time_zone)
    assert data_import(person=in_tokyo, data=archive.read("checkins.csv")).ok
    plain = f"Date,Pain\n{nights.today(timezone.now(), reader.zone)},3\n".encode()
    assert data_import(person=make_person(), data=plain, mapping=Mapping("Date", "Pain")).ok
    path = tmp_path / "backcoach.json"
    path.write_text(json.dumps(document))
    assert run_cli(monkeypatch, "import", "--person", reader.email, str(path)) == 0, (
        capsys.readouterr()
    )
    assert reader.checkins.count() == 3 and reader.practices.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["anytime", "weekly"])
def test_the_forms_and_the_api_take_good_values(reader, kind):
    client, token = strict_client(reader)
    data = {**FORM_DATA[kind], "csrfmiddlewaretoken": token}
    if kind == "weekly":
        data.update(
            day=nights.today(timezone.now(), reader.zone).isoformat(), fingertip_floor="12.5"
        )
    assert client.post(reverse(f"diary:{kind}"), data).status_code == 302
    body = checkin_body(Bad("good", "checkins", "note", "fine", {}, kind=kind))
    response = client.post(
        "/api/checkins/",
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content
    assert reader.checkins.count() == 2


@pytest.mark.django_db
def test_a_checkins_csv_from_another_time_zone_says_in_which_zone_its_nights_were_read(
    owner, reader
):
    """checkins.csv names no zone: a morning made at 01:40 in Tokyo is not the night
    before that date in UTC, and the message says which zone it was read in."""
    morning = owner.checkins.get(kind="morning")
    local = morning.recorded_at.astimezone(owner.zone)
    owner.checkins.filter(pk=morning.pk).update(
        recorded_at=local.replace(hour=1, minute=40), night=local.date() - dt.timedelta(days=1)
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.zip_stream(owner))))
    report = data_import(person=reader, data=archive.read("checkins.csv"))
    assert any("in the time zone UTC" in problem for problem in report.problems), report.problems
    reader.time_zone = owner.time_zone
    reader.save()
    assert data_import(person=reader, data=archive.read("checkins.csv")).ok


# An experiment comes back over ------------------------------------------------------------


@pytest.fixture
def running(owner):
    """The owner's experiment, running now, from a fortnight ago."""
    experiment = owner.experiments.get()
    today = nights.today(timezone.now(), owner.zone)
    experiment.status = "running"
    experiment.stopped_at = None
    experiment.first_night = today - dt.timedelta(days=5)
    experiment.save()
    return experiment


@pytest.mark.django_db
@pytest.mark.parametrize("path", [JSON, ZIP, CLI])
def test_an_experiment_marked_running_arrives_stopped_with_its_record(
    running, owner, reader, path, capsys, monkeypatch, tmp_path
):
    document = exported(owner)
    row = document["tables"]["experiments"][0]
    assert row["status"] == "running"
    data = json.dumps(document).encode()
    if path == CLI:
        file = tmp_path / "backcoach.json"
        file.write_bytes(data)
        assert run_cli(monkeypatch, "import", "--person", reader.email, str(file)) == 0
        assert "it comes back stopped" in capsys.readouterr().out
    else:
        report = data_import(person=reader, data=zipped(document) if path == ZIP else data)
        assert report.ok, report.problems
        assert any("it comes back stopped" in note for note in report.notes)
    imported = reader.experiments.get()
    assert imported.status == "stopped" and imported.stopped_at is not None
    assert not reader.experiments.filter(status="running").exists()
    assert experiment_selectors.running_experiment(reader) is None
    assert experiment_selectors.tonight(reader) is None
    # Its record is the one exported, analysis and all, and no longer follows the diary.
    assert imported.record == document["tables"]["experiments"][0]["record"]
    reader.checkins.all().delete()
    assert experiment_selectors.experiment_document(imported) == imported.record
    page = Browser()
    page.force_login(reader)
    detail = page.get(reverse("experiments:detail", args=[imported.pk]))
    assert detail.status_code == 200
    assert "Stop the experiment" not in detail.content.decode()


@pytest.mark.django_db
def test_an_experiment_with_a_record_that_is_not_its_own_is_refused(running, owner, reader):
    document = exported(owner)
    row = document["tables"]["experiments"][0]
    row["seed"] = 12345
    report = data_import(person=reader, data=json.dumps(document).encode())
    assert "experiments, row 1: record: its schedule is not the experiment's" in " ".join(
        report.problems
    ), report.problems
    row["seed"] = running.seed
    row["record"]["nights"][0]["pain"] = NAN
    report = data_import(person=reader, data=json.dumps(document).encode())
    assert any("must be a finite number, not NaN" in p for p in report.problems), report.problems
    assert not reader.experiments.exists()


@pytest.mark.django_db
def test_an_older_export_without_records_freezes_the_experiment_on_import(owner, reader):
    document = exported(owner)
    expected = document["tables"]["experiments"][0].pop("record")
    assert data_import(person=reader, data=json.dumps(document).encode()).ok
    imported = reader.experiments.get()
    assert imported.status == "stopped"
    assert imported.record["analysis"] == expected["analysis"]
