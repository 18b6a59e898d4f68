"""`backcoach import`, run as a person would run it, given files it must refuse whole: each
says why in one line, as the import page does (the same list, tests/portability/refused_files.py),
and changes nothing."""

import sqlite3

import pytest

from backcoach.portability.importer import MAX_BYTES
from tests.commands import assert_one_clear_line, run
from tests.portability.refused_files import refused_cases
from tests.portability.test_export_command import import_pain_csv, with_person


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """A data folder whose one person has two check-ins, and their export ZIP."""
    data_dir = tmp_path_factory.mktemp("installation")
    with_person(data_dir)
    ratings = data_dir / "pain.csv"
    ratings.write_text("day,score\n2026-11-01,5\n2026-11-02,4\n")
    assert import_pain_csv(ratings, data_dir).returncode == 0
    target = data_dir / "export.zip"
    made = run("export", "--person", "kim@example.org", "--to", str(target), data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    return data_dir, target.read_bytes()


def database_of(data_dir) -> list[str]:
    with sqlite3.connect(data_dir / "backcoach.sqlite3") as database:
        return list(database.iterdump())


def import_file(data_dir, content: bytes, name: str):
    path = data_dir / name
    path.write_bytes(content)
    try:
        return run("import", str(path), "--person", "kim@example.org", data_dir=data_dir)
    finally:
        path.unlink()


@pytest.mark.parametrize("refused", refused_cases())
def test_a_file_that_cannot_be_imported_is_refused_in_one_line_and_changes_nothing(
    installation, refused
):
    data_dir, export_zip = installation
    before = database_of(data_dir)
    result = import_file(data_dir, refused.build(export_zip), refused.name)
    assert_one_clear_line(result, "backcoach:", *refused.says)
    assert result.returncode == 1
    assert database_of(data_dir) == before


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(installation):
    data_dir, _ = installation
    result = import_file(data_dir, b"x" * (MAX_BYTES + 1), "huge.csv")
    assert_one_clear_line(result, "backcoach:", "larger than 50 MB")
