"""`backcoach export`, run as a person would run it."""

import io
import json
import zipfile

from tests.commands import PASSWORD, assert_one_clear_line, run


def with_person(data_dir):
    assert run("migrate", "--verbosity=0", data_dir=data_dir).returncode == 0
    made = run(
        "createuser",
        "kim@example.org",
        "--password-stdin",
        data_dir=data_dir,
        input=PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr


def test_it_writes_each_format(tmp_path):
    with_person(tmp_path)
    for fmt in ("zip", "json", "fhir"):
        target = tmp_path / f"out.{fmt}"
        result = run(
            "export",
            "--person",
            "KIM@example.org",
            "--format",
            fmt,
            "--to",
            str(target),
            data_dir=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        assert f"Wrote {target}" in result.stdout
        data = target.read_bytes()
        if fmt == "zip":
            assert "profile.csv" in zipfile.ZipFile(io.BytesIO(data)).namelist()
        elif fmt == "json":
            assert json.loads(data)["tables"]["profile"][0]["email"] == "kim@example.org"
        else:
            assert json.loads(data)["resourceType"] == "Bundle"


def test_it_refuses_to_overwrite_and_names_unknown_people(tmp_path):
    with_person(tmp_path)
    target = tmp_path / "out.zip"
    target.write_text("keep me")
    kept = run("export", "--person", "kim@example.org", "--to", str(target), data_dir=tmp_path)
    assert_one_clear_line(kept, "backcoach:", "exists; add --force")
    assert target.read_text() == "keep me"
    unknown = run("export", "--person", "nobody@example.org", "--to", "x.zip", data_dir=tmp_path)
    assert_one_clear_line(unknown, "backcoach:", "no person with the e-mail address")
    bad = run(
        "export", "--person", "kim@example.org", "--format", "xls", "--to", "x", data_dir=tmp_path
    )
    assert bad.returncode != 0
    assert "invalid choice" in bad.stderr
    unwritable = run(
        "export", "--person", "kim@example.org", "--to", "/proc/nope/x.zip", data_dir=tmp_path
    )
    assert_one_clear_line(unwritable, "backcoach:")


def test_an_export_goes_back_in_with_import(tmp_path):
    with_person(tmp_path)
    target = tmp_path / "out.zip"
    run("export", "--person", "kim@example.org", "--to", str(target), data_dir=tmp_path)
    dry = run("import", str(target), "--person", "kim@example.org", "--dry-run", data_dir=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("Would import")
    plain = tmp_path / "pain.csv"
    plain.write_text("day,score\n2026-11-01,5\n2026-11-01,5\n")
    refused = import_pain_csv(plain, tmp_path)
    assert refused.returncode == 2
    assert "CSV, row 3: repeats row 2" in refused.stderr
    assert "backcoach: 1 problem(s); nothing was imported" in refused.stderr
    unmapped = run("import", str(plain), "--person", "kim@example.org", data_dir=tmp_path)
    assert_one_clear_line(unmapped, "backcoach:", "--date-column and --pain-column")
    fine = tmp_path / "fine.csv"
    fine.write_text("day,score\n2026-11-01,5\n2026-11-02,4\n")
    done = import_pain_csv(fine, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Imported: 2 checkins." in done.stdout


def import_pain_csv(path, data_dir):
    """`backcoach import` of a plain CSV of pain ratings, its columns named "day" and "score"."""
    return run(
        "import",
        str(path),
        "--person",
        "kim@example.org",
        "--date-column",
        "day",
        "--pain-column",
        "score",
        data_dir=data_dir,
    )
