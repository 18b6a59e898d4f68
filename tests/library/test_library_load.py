"""Loading the content files into the database: idempotent, all or nothing, edit-aware."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backcoach.library import content, services
from backcoach.library.models import LibraryState, Routine, RoutineStep, Technique
from backcoach.safety import content as safety_content
from backcoach.safety.models import Source

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)", re.I)


def database_rows():
    return (
        list(Technique.objects.order_by("slug").values()),
        list(Routine.objects.order_by("slug").values()),
        list(
            RoutineStep.objects.order_by("routine__slug", "order").values(
                "routine__slug", "order", "technique__slug", "duration", "side"
            )
        ),
        list(Source.objects.order_by("key").values()),
    )


@pytest.mark.django_db
def test_loading_creates_techniques_routines_and_sources(content_dir):
    library = content.load_library(content_dir)
    result = services.library_load(library=library)
    assert result.changed
    assert Technique.objects.count() == 2
    routine = Routine.objects.get(slug="massage-and-stretch")
    assert [(s.technique.slug, s.duration, s.side) for s in routine.steps.all()] == [
        ("bedtime-back-self-massage", 210, "both"),
        ("knee-to-chest", 45, "left"),
        ("knee-to-chest", 45, "right"),
    ]
    assert Routine.objects.get(is_default=True).slug == "bedtime-back-self-massage"
    assert services.database_checksum() == library.checksum


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_writes_nothing(content_dir):
    library = content.load_library(content_dir)
    services.library_load(library=library)
    before = database_rows()
    with CaptureQueriesContext(connection) as queries:
        result = services.library_load(library=content.load_library(content_dir))
    assert not result.changed
    assert [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])] == []
    assert database_rows() == before


@pytest.mark.django_db
def test_a_changed_file_is_loaded_and_a_removed_technique_is_hidden(content_dir):
    services.library_load(library=content.load_library(content_dir))
    path = content_dir / "techniques" / "bedtime-back-self-massage.yaml"
    path.write_text(
        path.read_text().replace("name: Bedtime back self-massage", "name: Bedtime back massage")
    )
    (content_dir / "techniques" / "knee-to-chest.yaml").unlink()
    (content_dir / "routines" / "massage-and-stretch.yaml").unlink()
    result = services.library_load(library=content.load_library(content_dir))
    assert result.changed
    assert Technique.objects.get(slug="bedtime-back-self-massage").name == "Bedtime back massage"
    assert not Technique.objects.get(slug="knee-to-chest").is_active
    assert not Routine.objects.get(slug="massage-and-stretch").is_active


@pytest.mark.django_db
def test_an_admin_edit_is_noticed_and_not_overwritten_without_force(content_dir):
    services.library_load(library=content.load_library(content_dir))
    Technique.objects.filter(slug="knee-to-chest").update(name="Knee hug (edited)")
    library = content.load_library(content_dir)
    assert "edited in the admin" in services.library_status(library)
    with pytest.raises(services.LibraryEdited):
        services.library_load(library=library)
    assert Technique.objects.get(slug="knee-to-chest").name == "Knee hug (edited)"
    services.library_load(library=library, force=True)
    assert Technique.objects.get(slug="knee-to-chest").name == "Knee to chest"
    assert services.library_status(library) == "The database matches the content files."


@pytest.mark.django_db
def test_a_malformed_file_changes_nothing_in_the_database(content_dir):
    services.library_load(library=content.load_library(content_dir))
    before = database_rows()
    state = list(LibraryState.objects.values())
    path = content_dir / "routines" / "massage-and-stretch.yaml"
    path.write_text(path.read_text().replace("technique: knee-to-chest", "technique: nope", 1))
    with pytest.raises(CommandError, match=r"massage-and-stretch.yaml:.*steps\[1\].technique"):
        call_command("library", "load", "--dir", str(content_dir))
    assert database_rows() == before
    assert list(LibraryState.objects.values()) == state


@pytest.mark.django_db
def test_a_failure_half_way_through_writing_rolls_everything_back(content_dir, monkeypatch):
    services.library_load(library=content.load_library(content_dir))
    before = database_rows()
    path = content_dir / "techniques" / "knee-to-chest.yaml"
    path.write_text(path.read_text().replace("name: Knee to chest", "name: Knee hug"))
    library = content.load_library(content_dir)

    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(RoutineStep.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        services.library_load(library=library)
    assert database_rows() == before


@pytest.mark.django_db
def test_the_command_reports_load_check_and_status(content_dir, capsys):
    call_command("library", "check", "--dir", str(content_dir))
    sources = len(safety_content.sources())
    assert f"2 techniques, 2 routines and {sources} sources are valid." in capsys.readouterr().out
    call_command("library", "status", "--dir", str(content_dir))
    assert "never been loaded" in capsys.readouterr().out
    call_command("library", "load", "--dir", str(content_dir))
    assert "Loaded 2 techniques" in capsys.readouterr().out
    call_command("library", "load", "--dir", str(content_dir))
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_shipped_library_loads_and_matches_its_checksum(library):
    assert services.database_checksum() == library.checksum
    assert Technique.objects.filter(is_active=True).count() == len(library.techniques)
