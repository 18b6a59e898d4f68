"""Upgrades keep every row: migrations that move data between apps, run on real data."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migrations before safety took over sources and health conditions.
BEFORE_SAFETY_OWNED_ITS_NOUNS = [
    ("accounts", "0002_person_conditions"),
    ("library", "0002_alter_technique_cautions_alter_technique_excludes"),
    ("safety", "0001_initial"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_sources_and_health_conditions_move_to_safety_with_every_row():
    old = migrate(BEFORE_SAFETY_OWNED_ITS_NOUNS)
    Person = old.get_model("accounts", "Person")
    Source = old.get_model("library", "Source")
    Technique = old.get_model("library", "Technique")
    careful = Person.objects.create(
        email="careful@example.org", password="!", conditions=["pregnancy", "osteoporosis"]
    )
    Person.objects.create(email="carefree@example.org", password="!", conditions=[])
    source = Source.objects.create(key="cochrane-2015", citation="A review.", url="https://x.org")
    technique = Technique.objects.create(
        slug="press",
        name="Press",
        summary="Press.",
        kind="massage",
        position="lying-on-back",
        intensity="gentle",
        intensity_guidance="Gently.",
        default_duration=60,
        min_duration=30,
        max_duration=120,
        sides="both",
        evidence_note="Some.",
    )
    technique.sources.add(source)

    new = migrate(latest())
    HealthConditions = new.get_model("safety", "HealthConditions")
    assert list(HealthConditions.objects.values_list("person_id", "keys")) == [
        (careful.pk, ["osteoporosis", "pregnancy"])
    ]
    moved = new.get_model("safety", "Source").objects.get()
    assert (moved.pk, moved.key, moved.url) == (source.pk, "cochrane-2015", "https://x.org")
    technique = new.get_model("library", "Technique").objects.get(slug="press")
    assert [s.key for s in technique.sources.all()] == ["cochrane-2015"]
    assert "safety_source" in connection.introspection.table_names()
    assert "library_source" not in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_without_losing_conditions():
    current = migrate(latest())
    Person = current.get_model("accounts", "Person")
    person = Person.objects.create(email="back@example.org", password="!")
    current.get_model("safety", "HealthConditions").objects.create(
        person_id=person.pk, keys=["knee-problem"]
    )
    old = migrate(BEFORE_SAFETY_OWNED_ITS_NOUNS)
    assert old.get_model("accounts", "Person").objects.get(pk=person.pk).conditions == [
        "knee-problem"
    ]
    migrate(latest())
