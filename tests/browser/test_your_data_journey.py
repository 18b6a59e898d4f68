"""A person with three weeks of diary takes their data out from Settings, brings pain
ratings in from a spreadsheet, and makes an access token for a script."""

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import assert_accessible
from tests.browser.test_player_journey import log_in
from tests.factories import make_person
from tests.insights.data import weeks_of_diary

# Its data goes through the database as a real one would (see tests/conftest.py).
pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_a_person_downloads_everything_and_imports_a_spreadsheet(page: Page, site, tmp_path):
    person = make_person(email="data@example.org")
    weeks_of_diary(person, days=21)
    mornings = person.checkins.filter(kind="morning").count()
    log_in(page, site, person)
    page.goto(site + "/accounts/settings/")
    page.get_by_role("link", name="Download everything").click()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Everything, as a ZIP").click()
    assert download.value.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    checkins = archive.read("checkins.csv").decode().splitlines()
    assert sum(",morning," in line for line in checkins) == mornings

    page.get_by_role(
        "link", name="Import a backcoach export, or pain ratings from a CSV file"
    ).click()
    assert_accessible(page)
    sheet = tmp_path / "pain.csv"
    sheet.write_text("Day,Pain,Comment\n01/11/2026,6,after the move\n02/11/2026,4,\n")
    page.get_by_label("The file").set_input_files(str(sheet))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Which column holds what")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Dates are written").select_option("DD/MM/YYYY")
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    assert person.checkins.filter(kind="anytime", note="after the move", pain=6).exists()


@pytest.mark.django_db(transaction=True)
def test_an_access_token_is_shown_once(page: Page, site):
    person = make_person(email="script@example.org")
    log_in(page, site, person)
    page.goto(site + "/accounts/settings/")
    page.get_by_role("link", name="Tokens for scripts and other tools").click()
    page.get_by_label("Name").fill("nightly export")
    page.get_by_role("button", name="Make the token").click()
    token = page.locator("[data-token]").inner_text()
    assert token.startswith("bc_")
    assert_accessible(page)
    page.reload()
    expect(page.locator("[data-token]")).to_have_count(0)
    assert token not in page.content()
    page.get_by_role("button", name="Revoke nightly export").click()
    expect(page.get_by_text("is revoked")).to_be_visible()
