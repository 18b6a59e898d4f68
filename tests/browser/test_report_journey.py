"""A person with three weeks of diary takes a report to their clinician: the PDF from the
progress page and from Settings, the HTML report for other dates, all by keyboard too."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import assert_accessible
from tests.clients import Browser
from tests.factories import make_person
from tests.insights.data import local_moment, weeks_of_diary


def log_in(page: Page, site: str, person) -> None:
    client = Browser()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}]
    )


def three_weeks(email: str):
    person = make_person(email=email, name="Rita Report", time_zone="Europe/Berlin")
    weeks_of_diary(person, days=21, pain=lambda day: 6 - day // 7)
    return person


def assert_pdf(download, first: dt.date, last: dt.date) -> None:
    assert download.suggested_filename == (
        f"backcoach-report-{first.isoformat()}-to-{last.isoformat()}.pdf"
    )
    with open(download.path(), "rb") as saved:
        data = saved.read()
    assert data.startswith(b"%PDF-")
    assert len(data) > 10_000


@pytest.mark.django_db(transaction=True)
def test_a_person_downloads_the_pdf_from_the_progress_page_and_from_settings(page: Page, site):
    person = three_weeks("report@example.org")
    today = local_moment(person, 0, 12).date()
    twelve_weeks_ago = today - dt.timedelta(days=83)
    log_in(page, site, person)
    page.goto(site + "/progress/")
    with page.expect_download() as from_progress:
        page.get_by_role("link", name="download it as a PDF").click()
    assert_pdf(from_progress.value, twelve_weeks_ago, today)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    with page.expect_download() as from_settings:
        page.get_by_role("link", name="Download a report for your clinician").click()
    assert_pdf(from_settings.value, twelve_weeks_ago, today)


@pytest.mark.django_db(transaction=True)
def test_a_person_reads_the_report_and_chooses_its_dates_by_keyboard(page: Page, site):
    person = three_weeks("report-keys@example.org")
    today = local_moment(person, 0, 12).date()
    log_in(page, site, person)
    page.goto(site + "/progress/")
    page.get_by_role("link", name="the report").click()

    expect(
        page.get_by_role("heading", level=1, name="Back pain diary of Rita Report")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Pain by day, 0 to 10")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("21 days")
    expect(page.locator("[data-summary=pain]")).to_contain_text("rated your pain on 21 days")
    # Measured once the page's stylesheets are in: a layout asked for before that (a busy
    # machine) is one without the report's own styles.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.evaluate(
        """() => [...document.querySelectorAll("main *")]
          .filter((e) => e.getBoundingClientRect().right > 390)
          .slice(0, 5).map((e) => e.tagName + "." + e.className)"""
    )
    assert_accessible(page)

    # By keyboard. The order of a date field's parts (day, month, year) is the browser's
    # own, so the dates are filled in whole; Enter in a field sends the form, and Tab goes
    # from the button to the download link.
    week_ago = today - dt.timedelta(days=6)
    page.get_by_label("First day").fill(week_ago.isoformat())
    page.get_by_label("Last day").fill(today.isoformat())
    page.get_by_label("Last day").press("Enter")
    expect(page).to_have_url(re.compile(rf"from={week_ago.isoformat()}&to={today.isoformat()}"))
    expect(page.locator(".report-meta")).to_contain_text("(7 days)")
    page.get_by_role("button", name="Show these dates").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Download the PDF")).to_be_focused()
    with page.expect_download() as chosen:
        page.keyboard.press("Enter")
    assert_pdf(chosen.value, week_ago, today)

    # Dates the wrong way round: the reason, on the same form, and no report.
    page.get_by_label("First day").fill(today.isoformat())
    page.get_by_label("Last day").fill(week_ago.isoformat())
    page.get_by_label("Last day").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("comes after the last day")
    assert page.get_by_role("img").count() == 0
    assert_accessible(page)
