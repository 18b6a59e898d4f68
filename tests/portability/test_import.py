"""Importing: the export reads back into a fresh account as it was; bad files are
reported row by row and nothing is half-imported."""

import datetime as dt
import io
import json
import zipfile
import zoneinfo

import pytest
from django.utils import timezone

from backcoach.diary.models import Checkin
from backcoach.diary.services import checkin_edit
from backcoach.experiments.models import Experiment
from backcoach.player.models import Practice
from backcoach.portability import export
from backcoach.portability.services import ImportRefused, Mapping, data_import
from backcoach.safety.models import FlareUp, HealthConditions, Screen
from tests.factories import make_checkin, make_person, make_practice, make_routine


def exported(person) -> dict:
    return json.loads("".join(export.json_document(person)))


def without(document: dict, *names: str) -> dict:
    """The tables, less the profile and the given columns (ids a new row may not keep)."""
    return {
        table: [{k: v for k, v in row.items() if k not in names} for row in rows]
        for table, rows in document["tables"].items()
        if table not in ("profile", "reminders")
    }


@pytest.fixture
def owner(db):
    person = make_person(email="owner@example.org")
    routine = make_routine(slug="wind-down")
    mine = make_routine(
        slug="mine-0a1b2c3d4e5f",
        name="=Sunday night",
        purpose="bedtime",
        owner=person,
        saved=True,
        created_at=dt.datetime(2026, 11, 1, 21, 0, tzinfo=dt.UTC),
    )
    make_practice(person, routine=mine, days_ago=3, pain_before=5)
    make_practice(person, routine=routine, days_ago=2, pain_before=6, pain_after=3, note="=ok")
    make_practice(
        person,
        routine=routine,
        days_ago=1,
        steps=2,
        note="after the drive",
        skipped_cues=[{"step": 2, "at": 30, "say": "=Breathe out, slowly."}],
    )
    checkin = make_checkin(person, kind="morning", days_ago=0.5, pain=4, note="slept ok")
    checkin_edit(checkin=checkin, values={"pain": 5})
    make_checkin(person, kind="weekly", days_ago=3, fingertip_floor_cm=12.5)
    make_checkin(person, kind="anytime", days_ago=4, pain=7, tension=6)
    FlareUp.objects.create(person=person, pain=8, note="lifting")
    Screen.objects.create(person=person, answers={"fever": False}, outcome="none", reason="signup")
    HealthConditions.objects.create(person=person, keys=["pregnancy"])
    Experiment.objects.create(
        person=person,
        question="two-routines",
        routine_a=routine,
        a_label="Wind down",
        b_label="Nothing",
        outcome="pain",
        first_night="2026-10-01",
        pairs=7,
        seed=9,
        status="stopped",
        routine_b=mine,
    )
    # Their own routines: kept and tonight's, only started, and removed.
    person.bedtime_routine = mine
    person.save()
    make_routine(slug="mine-started", name="My 2-minute routine", owner=person, duration=45)
    make_routine(slug="mine-removed", name="Old one", owner=person, saved=False, is_active=False)
    return person


@pytest.mark.django_db
def test_an_export_imported_into_a_fresh_installation_exports_the_same(owner):
    before = exported(owner)
    owner.delete()  # as if on a fresh installation
    fresh = make_person(email="owner@example.org")
    report = data_import(person=fresh, data=json.dumps(before).encode())
    assert report.ok, report.problems
    assert report.counts["checkins"] == 3
    assert report.counts["routines"] == 3
    assert without(exported(fresh)) == without(before)
    assert fresh.bedtime_routine.slug == "mine-0a1b2c3d4e5f"
    assert exported(fresh)["tables"]["profile"][0]["bedtime_routine"] == "mine-0a1b2c3d4e5f"


@pytest.mark.django_db
def test_a_zip_imported_into_a_second_account_here_gives_the_same_data_with_new_ids(owner):
    archive = b"".join(export.zip_stream(owner))
    second = make_person(email="second@example.org")
    report = data_import(person=second, data=archive)
    assert report.ok, report.problems
    # The owner's routines keep their slugs here: the second person's own get new ones.
    ids = ("id", "practice", "checkin", "slug", "routine", "routine_b")
    assert without(exported(second), *ids) == without(exported(owner), *ids)
    assert Practice.objects.filter(person=second).count() == 3
    theirs = second.practices.get(routine__owner=second).routine
    assert (theirs.name, theirs.saved, theirs.owner) == ("=Sunday night", True, second)
    assert theirs.slug.startswith("mine-") and theirs.slug != "mine-0a1b2c3d4e5f"
    second.refresh_from_db()
    assert second.bedtime_routine == theirs
    assert second.experiments.get().routine_b == theirs
    assert [s.technique for s in theirs.steps.all()] == [
        s.technique for s in owner.own_routines.get(slug="mine-0a1b2c3d4e5f").steps.all()
    ]


@pytest.mark.django_db
def test_our_own_checkins_csv_imports_too(owner):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.zip_stream(owner))))
    second = make_person(email="second@example.org")
    report = data_import(person=second, data=archive.read("checkins.csv"))
    assert report.ok, report.problems
    assert Checkin.objects.filter(person=second).count() == 3


@pytest.mark.django_db
def test_importing_the_same_file_twice_reports_the_duplicates_and_adds_nothing(owner):
    data = json.dumps(exported(owner)).encode()
    second = make_person(email="second@example.org")
    assert data_import(person=second, data=data).ok
    again = data_import(person=second, data=data)
    assert not again.ok
    assert any("already a morning check-in" in p for p in again.problems)
    assert Checkin.objects.filter(person=second).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["tables"]["checkins"][0].update(pain=11), "checkins, row 1: pain"),
        (
            lambda d: d["tables"]["checkins"][0].update(recorded_at="yesterday"),
            "not a date and time",
        ),
        (
            lambda d: d["tables"]["checkins"][0].update(recorded_at="2026-01-01T08:00:00"),
            "time zone",
        ),
        (
            lambda d: d["tables"]["checkins"][0].update(recorded_at="2099-01-01T08:00:00+00:00"),
            "out of range",
        ),
        (lambda d: d["tables"]["practices"][0].update(note="bad\u0000note"), "control character"),
        (lambda d: d["tables"]["practices"][0].pop("started_at"), "missing 'started_at'"),
        (
            lambda d: d["tables"]["practices"][2]["skipped_cues"][0].update(at=-5),
            "skipped_cues: Skipped cue 1: at must be whole seconds",
        ),
        (
            lambda d: d["tables"]["practices"][2]["skipped_cues"][0].update(step=3),
            "practices, row 3: a skipped cue names step 3, and the practice has 2",
        ),
        (
            lambda d: d["tables"]["practices"][2].update(skipped_cues="Breathe out."),
            "skipped_cues: Skipped cues must be a list",
        ),
        (
            lambda d: d["tables"]["practice_steps"][0].update(
                practice="0f0c2a51-5d3e-4c53-9d0e-4f1f8c9a0001"
            ),
            "not in the practices table",
        ),
        (
            lambda d: d["tables"]["checkins"].append(dict(d["tables"]["checkins"][0])),
            "appears twice",
        ),
        (
            lambda d: d["tables"]["health_conditions"].append({"condition": "werewolf"}),
            "unknown health condition",
        ),
        (lambda d: d["tables"].update(flare_ups="many"), "must be a list"),
        (
            lambda d: d["tables"]["routines"][0].update(slug="wind-down"),
            "is not one of a person's own routines",
        ),
        (
            lambda d: d["tables"]["routines"].append(dict(d["tables"]["routines"][0])),
            "appears twice",
        ),
        (lambda d: d["tables"]["routines"][0].update(saved="yes"), "saved must be true or false"),
        (lambda d: d["tables"]["routines"][0].update(purpose="lunch"), "unknown purpose"),
        (
            lambda d: next(
                r for r in d["tables"]["routines"] if r["slug"] == "mine-started"
            ).update(tonight=True),
            "only a bedtime routine can be tonight's",
        ),
        (
            lambda d: d["tables"]["routine_steps"][0].update(technique="no-such-move"),
            "There is no technique called",
        ),
        (lambda d: d["tables"]["routine_steps"][0].update(duration=5), "takes 30 s to"),
        (lambda d: d["tables"]["routine_steps"][0].update(duration="60"), "whole number"),
        (
            lambda d: d["tables"]["routine_steps"].append(dict(d["tables"]["routine_steps"][0])),
            "two steps numbered 1",
        ),
        (
            lambda d: d["tables"]["routine_steps"][0].update(routine="mine-unknown"),
            "not in the routines table",
        ),
        (
            lambda d: d["tables"].update(routine_steps=d["tables"]["routine_steps"][1:]),
            "has no steps",
        ),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_imported(owner, change, problem):
    document = exported(owner)
    change(document)
    second = make_person(email="second@example.org")
    report = data_import(person=second, data=json.dumps(document).encode())
    assert not report.ok
    assert any(problem in p for p in report.problems), report.problems
    assert not Checkin.objects.filter(person=second).exists()
    assert not Practice.objects.filter(person=second).exists()
    assert not FlareUp.objects.filter(person=second).exists()
    assert not second.own_routines.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        ("pain,date\n5,2026-01-01\n".encode("utf-16"), "not UTF-8"),
        (b"PK\x03\x04 not really a zip", "damaged or incomplete"),
        (b'{"format": "other"}', "not a backcoach export"),
        (b'{"format": "backcoach-export", "version": 7}', "version 7"),
        (b"{broken json", "cannot be read"),
        (b"x" * (51 * 1024 * 1024), "larger than"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(person, data, message):
    with pytest.raises(ImportRefused, match=message):
        data_import(person=person, data=data)


PAIN_CSV = """Date,Pain score,Comment
2026-11-01,5,fine
2026-11-02,7,after gardening
"""


@pytest.mark.django_db
def test_a_plain_csv_of_pain_ratings_imports_with_its_columns_chosen(person):
    mapping = Mapping(date="Date", pain="Pain score", note="Comment")
    report = data_import(person=person, data=PAIN_CSV.encode(), mapping=mapping)
    assert report.ok, report.problems
    pains = list(person.checkins.order_by("recorded_at").values_list("kind", "pain", "note"))
    assert pains == [("anytime", 5, "fine"), ("anytime", 7, "after gardening")]
    assert person.checkins.first().recorded_at.astimezone(person.zone).hour == 12


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("csv_text", "problem"),
    [
        ("Date,Pain score,Comment\n2026-13-45,5,x\n", "row 2: date '2026-13-45' is not YYYY-MM-DD"),
        (
            "Date,Pain score,Comment\n2026-11-01,eleven,x\n",
            "row 2: pain must be a whole number from 0 to 10, not 'eleven'",
        ),
        ("Date,Pain score,Comment\n2026-11-01,12,x\n", "must be a whole number from 0 to 10"),
        (
            "Date,Pain score,Comment\n2026-11-01,5,=cmd|' /C calc'!A0\n",
            "as a spreadsheet formula does",
        ),
        ("Date,Pain score,Comment\n2026-11-01,5,a\n2026-11-01,5,b\n", "row 3: repeats row 2"),
        ("Date,Pain score,Comment\n2099-11-01,5,a\n", "out of range"),
        ("Date,Pain score,Comment\n2026-11-01\n", "has 1 cells"),
    ],
)
def test_a_bad_pain_csv_is_reported_row_by_row_and_adds_nothing(person, csv_text, problem):
    mapping = Mapping(date="Date", pain="Pain score", note="Comment")
    report = data_import(person=person, data=csv_text.encode(), mapping=mapping)
    assert any(problem in p for p in report.problems), report.problems
    assert not person.checkins.exists()


@pytest.mark.django_db
def test_a_mapping_to_a_missing_column_is_refused(person):
    with pytest.raises(ImportRefused, match="no column 'When'"):
        data_import(
            person=person, data=PAIN_CSV.encode(), mapping=Mapping(date="When", pain="Pain score")
        )
    with pytest.raises(ImportRefused, match="say which columns"):
        data_import(person=person, data=PAIN_CSV.encode())


@pytest.mark.django_db
def test_a_dry_run_checks_everything_and_writes_nothing(owner):
    second = make_person(email="second@example.org")
    report = data_import(person=second, data=json.dumps(exported(owner)).encode(), dry_run=True)
    assert report.ok
    assert not Checkin.objects.filter(person=second).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("pain", "five", "pain must be a whole number from 0 to 10, not 'five'"),
        ("pain_areas", "[broken", "pain_areas must be a list of body areas, not '[broken'"),
        ("fingertip_floor_cm", "x", "fingertip_floor_cm must be a number from 0 to 100, not 'x'"),
    ],
)
def test_a_broken_cell_in_our_checkins_csv_names_its_row(owner, column, value, problem):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.zip_stream(owner))))
    lines = archive.read("checkins.csv").decode().splitlines()
    header = lines[0].split(",")
    import csv as csv_module

    rows = list(csv_module.reader(lines))
    # The cell goes into the row of the kind that holds that answer.
    kind = "weekly" if column == "fingertip_floor_cm" else "morning"
    number = next(n for n, row in enumerate(rows) if row[header.index("kind")] == kind)
    rows[number][header.index(column)] = value
    out = io.StringIO()
    csv_module.writer(out).writerows(rows)
    second = make_person(email="second@example.org")
    report = data_import(person=second, data=out.getvalue().encode())
    assert f"checkins.csv, row {number + 1}: {problem}" in report.problems, report.problems
    assert not Checkin.objects.filter(person=second).exists()


@pytest.fixture
def reminded(owner):
    from backcoach.reminders.models import CalendarFeed, PushSubscription
    from backcoach.reminders.services import reminder_switch_on

    CalendarFeed.objects.create(person=owner, lead_minutes=17)
    reminder_switch_on(person=owner, channel="email", site_url="https://old.example.org/")
    PushSubscription.objects.create(
        person=owner,
        endpoint="https://push.example.net/send/secret-endpoint",
        p256dh="BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        auth="tBHItJI5svbpez7KI4CCXg",
        server_key="the old server's key",
    )
    reminder_switch_on(person=owner, channel="push")
    return owner


@pytest.mark.django_db
def test_reminders_are_exported_without_their_secrets(reminded):
    document = exported(reminded)
    assert document["tables"]["reminders"] == [
        {"channel": "calendar", "lead_minutes": 17, "browsers": None},
        {"channel": "email", "lead_minutes": None, "browsers": None},
        {"channel": "push", "lead_minutes": None, "browsers": 1},
    ]
    text = json.dumps(document)
    secrets = [
        reminded.calendar_feed.token,
        reminded.reminders.get(channel="email").unsubscribe_key,
        "secret-endpoint",
        "tBHItJI5svbpez7KI4CCXg",
    ]
    assert [secret for secret in secrets if secret in text] == []


@pytest.mark.django_db
def test_reminders_come_back_where_they_can_and_the_rest_is_said(reminded):
    from backcoach.reminders.models import CalendarFeed, Reminder

    data = json.dumps(exported(reminded)).encode()
    second = make_person(email="second@example.org")
    report = data_import(person=second, data=data, site_url="https://new.example.org/")
    assert report.ok, report.problems
    feed = CalendarFeed.objects.get(person=second)
    assert feed.lead_minutes == 17 and feed.token != reminded.calendar_feed.token
    email = Reminder.objects.get(person=second)  # the e-mail only: push needs a browser
    assert (email.channel, email.site_url) == ("email", "https://new.example.org/")
    assert any("subscribe to it again" in note for note in report.notes)
    assert any("Notifications were on" in note for note in report.notes)

    # From the command line, no address for the e-mail's links: it says so instead.
    third = make_person(email="third@example.org")
    report = data_import(person=third, data=data)
    assert report.ok, report.problems
    assert not Reminder.objects.filter(person=third).exists()
    assert any("e-mail reminder was on" in note for note in report.notes)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"channel": "pigeon"}, "unknown reminder channel 'pigeon'"),
        ({"channel": "calendar", "lead_minutes": 999}, "from 0 to 180"),
        ({"channel": "calendar", "lead_minutes": "17"}, "from 0 to 180"),
        ({"channel": "calendar", "lead_minutes": 5}, "a second calendar reminder"),
    ],
)
def test_a_bad_reminder_row_is_reported_and_nothing_is_imported(reminded, row, problem):
    from backcoach.reminders.models import CalendarFeed

    document = exported(reminded)
    document["tables"]["reminders"].append(row)
    second = make_person(email="second@example.org")
    report = data_import(person=second, data=json.dumps(document).encode(), site_url="https://x/")
    assert any(problem in p for p in report.problems), report.problems
    assert not CalendarFeed.objects.filter(person=second).exists()
    assert not Practice.objects.filter(person=second).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_todays_rating_without_a_time_imports_in_the_morning_and_only_once(
    person, monkeypatch, zone
):
    """A row of today imported at 08:15 (noon is still to come) is filed at 08:15; the same
    file again that afternoon, or next week, adds nothing."""
    person.time_zone = zone
    person.save()
    local = zoneinfo.ZoneInfo(zone)
    morning = dt.datetime(2026, 12, 8, 8, 15, 30, tzinfo=local)
    csv_text = "Date,Pain score\n2026-12-07,4\n2026-12-08,3\n"
    mapping = Mapping(date="Date", pain="Pain score")
    monkeypatch.setattr(timezone, "now", lambda: morning)
    report = data_import(person=person, data=csv_text.encode(), mapping=mapping)
    assert report.ok, report.problems
    filed = [c.astimezone(local) for c in person.checkins.values_list("recorded_at", flat=True)]
    assert sorted(filed) == [
        dt.datetime(2026, 12, 7, 12, tzinfo=local),
        dt.datetime(2026, 12, 8, 8, 15, tzinfo=local),
    ]
    for later in (morning.replace(hour=15), morning + dt.timedelta(days=7)):
        monkeypatch.setattr(timezone, "now", lambda later=later: later)
        again = data_import(person=person, data=csv_text.encode(), mapping=mapping)
        assert again.problems == [
            "CSV, row 2: is already in your diary (same date, same pain)",
            "CSV, row 3: is already in your diary (same date, same pain)",
        ]
        assert person.checkins.count() == 2
    monkeypatch.setattr(timezone, "now", lambda: morning)
    tomorrow = data_import(person=person, data=b"Date,Pain score\n2026-12-09,3\n", mapping=mapping)
    assert tomorrow.problems == [
        "CSV, row 2: the date 2026-12-09 is out of range (2000 until today)"
    ]
