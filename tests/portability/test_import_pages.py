"""The import pages: upload, choose the columns of a plain CSV, read the result."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from backcoach.portability import export
from tests.factories import make_checkin, make_person, make_practice
from tests.portability.refused_files import refused_cases

IMPORT = reverse("portability:import")
COLUMNS = reverse("portability:columns")


def upload(client, content: bytes, name: str = "data.csv", **extra):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content), **extra})


@pytest.mark.django_db
def test_a_plain_csv_goes_through_the_columns_to_the_diary(person_client, person):
    csv_text = b"When,Pain,Comment\n2026-11-01,5,ok\n2026-11-02,6,\n"
    response = upload(person_client, csv_text)
    assert response["Location"] == COLUMNS
    page = person_client.get(COLUMNS)
    assert page.context["form"].fields["pain"].initial == "Pain"
    done = person_client.post(
        COLUMNS, {"date": "When", "pain": "Pain", "note": "Comment", "date_format": "YYYY-MM-DD"}
    )
    assert done.status_code == 200
    assert done.context["report"].ok
    assert person.checkins.count() == 2
    assert person_client.get(COLUMNS)["Location"] == IMPORT  # the file is gone from the session


@pytest.mark.django_db
def test_an_export_with_a_bad_row_lists_it_and_imports_nothing(person_client, person):
    owner = make_person(email="other@example.org")
    make_checkin(owner, kind="anytime", pain=3)
    document = json.loads("".join(export.json_document(owner)))
    document["tables"]["checkins"][0]["pain"] = 42
    response = upload(person_client, json.dumps(document).encode(), "backcoach.json")
    assert response.status_code == 400
    assert "checkins, row 1: pain" in response.content.decode()
    assert not person.checkins.exists()


@pytest.fixture
def export_zip(db):
    """A real export ZIP of another account's data, whole, for the files made from it."""
    owner = make_person(email="other@example.org")
    make_checkin(owner, kind="anytime", pain=3, note="after the walk")
    make_practice(owner)
    return b"".join(export.zip_stream(owner))


def everything_of(person) -> dict:
    """All of the person's data, as their export has it (less the moment it was made)."""
    document = json.loads("".join(export.json_document(person)))
    del document["exported_at"]
    return document


@pytest.mark.django_db
@pytest.mark.parametrize("refused", refused_cases())
def test_a_file_that_cannot_be_imported_is_refused_on_the_form_and_changes_nothing(
    person_client, person, export_zip, refused
):
    make_checkin(person, kind="anytime", pain=4)
    before = everything_of(person)
    response = upload(person_client, refused.build(export_zip), refused.name)
    assert response.status_code == 400
    assert response.templates[0].name == "portability/import.html"
    said = " ".join(response.context["form"].errors["file"])
    page = response.content.decode()
    for words in refused.says:
        assert words in said
        assert escape(words) in page
    assert 'enctype="multipart/form-data"' in page  # the form, to choose another file
    assert everything_of(person) == before


@pytest.mark.django_db
def test_a_huge_upload_is_refused_before_it_is_read(person_client, person):
    response = person_client.generic(
        "POST",
        IMPORT,
        b"x",
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "50 MB" in response.content.decode()


@pytest.mark.django_db
def test_a_dry_run_imports_nothing(person_client, person):
    owner = make_person(email="other@example.org")
    make_checkin(owner, kind="anytime", pain=3)
    data = "".join(export.json_document(owner)).encode()
    response = upload(person_client, data, "backcoach.json", dry_run="on")
    assert response.context["report"].ok
    assert "The file is fine" in response.content.decode()
    assert not person.checkins.exists()
