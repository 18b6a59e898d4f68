"""A fingertip-to-floor distance that is not a finite number, stored before the row rules
(an import let `NaN` through; PostgreSQL keeps it, SQLite keeps an infinity), is set to
NULL by migration diary 0004; and one that gets in by hand afterwards reads as no answer,
so that no page, report or export breaks on it, and none writes invalid JSON."""

import json
import math

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from backcoach.diary.models import Checkin
from backcoach.portability import export, fhir
from tests.factories import client_for, make_checkin, make_person

BEFORE = [("diary", "0003_checkin_clock_corrected_seconds")]
NON_FINITE = [float("nan"), float("inf"), float("-inf")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def db_id(pk):
    """A check-in's id as the database keeps it (SQLite: 32 hex digits, PostgreSQL: uuid)."""
    return Checkin._meta.pk.get_db_prep_value(pk, connection)


def stored(pk) -> float | None:
    """The value as the database holds it, past any field's conversion."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT fingertip_floor_cm FROM diary_checkin WHERE id = %s", [db_id(pk)])
        return cursor.fetchone()[0]


def store(pk, value: float) -> None:
    """Write `value` straight into the column, as an older import or a hand did."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE diary_checkin SET fingertip_floor_cm = %s WHERE id = %s", [value, db_id(pk)]
        )


@pytest.mark.django_db(transaction=True)
def test_the_migration_sets_each_non_finite_length_to_null_and_keeps_the_rest():
    old = migrate(BEFORE)
    OldCheckin = old.get_model("diary", "Checkin")
    person = make_person(email="kept@example.org")  # accounts stays at its latest
    rows = [
        OldCheckin.objects.create(
            person_id=person.pk, kind="weekly", recorded_at=timezone.now(), fingertip_floor_cm=12.5
        )
        for _ in range(len(NON_FINITE) + 1)
    ]
    good, *bad = rows
    kept_by_the_database = []
    for checkin, value in zip(bad, NON_FINITE, strict=True):
        store(checkin.pk, value)
        before = stored(checkin.pk)
        # SQLite turns a NaN into NULL as it stores it (it keeps infinities); PostgreSQL
        # keeps all three. What the database kept is what the migration must repair.
        if before is None:
            assert connection.vendor == "sqlite" and math.isnan(value)
        else:
            assert not math.isfinite(before)
            kept_by_the_database.append(checkin.pk)
    assert kept_by_the_database, "the database kept no non-finite value: nothing was tested"

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert [stored(checkin.pk) for checkin in bad] == [None] * len(bad)
    assert stored(good.pk) == 12.5


@pytest.mark.django_db
@pytest.mark.parametrize("value", NON_FINITE, ids=["NaN", "infinity", "-infinity"])
def test_one_non_finite_length_breaks_no_page_report_or_export(value):
    person = make_person(email="measured@example.org")
    checkin = make_checkin(person, kind="weekly", days_ago=1, fingertip_floor_cm=12.5)
    make_checkin(person, kind="weekly", days_ago=8, fingertip_floor_cm=14.0)
    store(checkin.pk, value)
    if stored(checkin.pk) is None:
        pytest.skip(f"{connection.vendor} stores {value} as NULL")
    checkin.refresh_from_db()
    assert checkin.fingertip_floor_cm is None  # read as no answer

    def strict(text: str):
        def refuse(constant):
            raise AssertionError(f"{constant} in JSON")

        return json.loads(text, parse_constant=refuse)

    client = client_for(person)
    for name in ("insights:progress", "insights:report", "insights:report_pdf"):
        assert client.get(reverse(name)).status_code == 200, name
    listed = client.get("/api/checkins/")
    assert listed.status_code == 200
    assert [row["fingertip_floor_cm"] for row in strict(listed.content.decode())] == [None, 14.0]
    document = strict("".join(export.json_document(person)))
    assert {row["fingertip_floor_cm"] for row in document["tables"]["checkins"]} == {None, 14.0}
    strict("".join(fhir.bundle(person)))
    assert b"".join(export.zip_stream(person))
