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
