"""Everything a person owns goes out: a ZIP of CSV files and JSON, the JSON alone, and
the measures as a FHIR Bundle that a FHIR library accepts."""

import csv
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from backcoach.portability.tables import TABLES
from tests.factories import client_for, make_checkin, make_practice, make_routine
from tests.insights.data import weeks_of_diary


def download(client, name: str) -> bytes:
    response = client.get(reverse(f"portability:{name}"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="backcoach-')
    return b"".join(response.streaming_content)


def csv_table(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))


@pytest.fixture
def diary(person):
    routine = make_routine(slug="wind-down")
    make_practice(person, routine=routine, days_ago=1, pain_before=6, note="stiff after the drive")
    make_checkin(person, kind="morning", days_ago=0.5, pain=4, note="slept ok")
    make_checkin(
        person,
        kind="weekly",
        days_ago=2,
        peg_pain=5,
        peg_enjoyment=4,
        peg_activity=3,
        fingertip_floor_cm=12.5,
    )
    return person


@pytest.mark.django_db
def test_the_zip_holds_every_table_as_csv_and_the_whole_as_json(person_client, diary):
    archive = zipfile.ZipFile(io.BytesIO(download(person_client, "zip")))
    names = set(archive.namelist())
    assert {"README.txt", "backcoach.json", "fhir.json"} <= names
    assert {f"{table.name}.csv" for table in TABLES} <= names
    assert archive.testzip() is None
    document = json.loads(archive.read("backcoach.json"))
    assert document["format"] == "backcoach-export"
    assert [t.name for t in TABLES] == list(document["tables"])
    practices = csv_table(archive, "practices")
    assert [p["note"] for p in practices] == ["stiff after the drive"]
    assert practices[0]["routine"] == "wind-down"
    assert len(csv_table(archive, "practice_steps")) == 1
    checkins = {c["kind"]: c for c in csv_table(archive, "checkins")}
    assert (checkins["morning"]["pain"], checkins["weekly"]["fingertip_floor_cm"]) == ("4", "12.5")
    assert (
        document["tables"]["checkins"][0]["id"]
        == json.loads(json.dumps(document["tables"]["checkins"]))[0]["id"]
    )
    assert csv_table(archive, "profile")[0]["email"] == diary.email


@pytest.mark.django_db
@pytest.mark.parametrize(
    "note", ["=cmd|' /C calc'!A0", "+SUM(A1:A9)", "-2+3", "@SUM(1)", "\tx", "'quoted"]
)
def test_no_csv_cell_starts_with_what_a_spreadsheet_would_run(person_client, person, note):
    make_practice(person, note=note, clock_corrected_seconds=-600)
    archive = zipfile.ZipFile(io.BytesIO(download(person_client, "zip")))
    (row,) = csv_table(archive, "practices")
    assert row["note"] == "'" + note
    assert row["clock_corrected_seconds"] == "-600"  # a number is not a formula
    for name in archive.namelist():
        if name.endswith(".csv"):
            for line in csv.reader(io.StringIO(archive.read(name).decode())):
                assert not any(c and c[0] in "=+@\t\r" for c in line), (name, line)


@pytest.mark.django_db
def test_the_fhir_bundle_is_valid_r4_with_loinc_pain(person_client, diary):
    data = json.loads(download(person_client, "fhir"))
    bundle = Bundle.model_validate(data)
    observations = [
        e.resource for e in bundle.entry if e.resource.__resource_type__ == "Observation"
    ]
    codes = {o.code.coding[0].code for o in observations}
    assert {
        "72514-3",
        "sleep-onset-minutes",
        "sleep-quality",
        "peg-3",
        "fingertip-to-floor",
    } <= codes
    pain = next(o for o in observations if o.code.coding[0].code == "72514-3")
    assert (pain.code.coding[0].system, pain.valueQuantity.value) == ("http://loinc.org", 4)
    peg = next(o for o in observations if o.code.coding[0].code == "peg-3")
    assert float(peg.valueQuantity.value) == 4.0
    assert len(peg.component) == 3
    patient = bundle.entry[0].resource
    assert all(o.subject.reference == bundle.entry[0].fullUrl for o in observations)
    assert patient.__resource_type__ == "Patient"


@pytest.mark.django_db
def test_a_broken_fhir_bundle_is_refused_by_the_validator(person_client, diary):
    """The test of the test: the validator does reject a wrong Observation."""
    data = json.loads(download(person_client, "fhir"))
    del data["entry"][1]["resource"]["status"]  # required
    with pytest.raises(ValueError, match="status"):
        Bundle.model_validate(data)
    data = json.loads(download(person_client, "fhir"))
    data["entry"][1]["resource"]["valueQuantity"]["value"] = "four"
    with pytest.raises(ValueError, match="value"):
        Bundle.model_validate(data)


@pytest.mark.django_db
def test_a_stranger_downloads_only_their_own(stranger, diary):
    stranger_client = client_for(stranger)
    archive = zipfile.ZipFile(io.BytesIO(download(stranger_client, "zip")))
    assert csv_table(archive, "practices") == []
    assert csv_table(archive, "profile")[0]["email"] == stranger.email
    assert diary.email.encode() not in download(stranger_client, "json")


@pytest.mark.django_db
def test_the_export_reads_with_the_same_queries_for_a_month_or_a_year(
    person_client, person, stranger
):
    weeks_of_diary(person, days=30)
    with CaptureQueriesContext(connection) as month:
        download(person_client, "zip")
    weeks_of_diary(stranger, days=365)
    stranger_client = client_for(stranger)
    with CaptureQueriesContext(connection) as year:
        download(stranger_client, "zip")
    assert len(month) == len(year)
