"""The PDF report read as a person reads it: its pages turned into pictures (pdftoppm) and
its text pulled out (pdftotext), both from Debian's poppler-utils, which `make test`
installs (scripts/ensure-test-tools). One or two pages, the figures in the words, no blank
page, charts in their colours."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from backcoach.experiments.models import Experiment
from backcoach.insights import report
from backcoach.insights.pdf import report_pdf
from backcoach.insights.ranges import DateRange, date_text
from tests.experiments.data import live_nights, make_experiment
from tests.factories import client_for, make_person, make_routine
from tests.insights.data import local_moment, weeks_of_diary
from tests.insights.test_report import experiment_answers

PDF = reverse("insights:report_pdf")
ACCENT = (11, 92, 173)  # the mean lines and the baseline band (pdf.CHART_STYLE)


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(
            f"{tool} is missing: run `make test`, which installs Debian's poppler-utils "
            f"(scripts/ensure-test-tools), or apt-get install poppler-utils"
        )
    return found


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text of every page, its white space made single spaces (lines wrap anywhere)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        [poppler("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return " ".join(done.stdout.decode().split())


def pdf_pages(data: bytes, tmp_path: Path, dpi: int = 50) -> list[Image.Image]:
    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    subprocess.run(
        [poppler("pdftoppm"), "-r", str(dpi), "-png", str(path), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    return [Image.open(page).convert("RGB") for page in sorted(tmp_path.glob("page-*.png"))]


def ink(page: Image.Image) -> float:
    """The share of the page that is not white paper."""
    grey = page.convert("L")
    histogram = grey.histogram()
    return sum(histogram[:240]) / (grey.width * grey.height)


def inked_height(page: Image.Image) -> float:
    """How far down the page the ink reaches, as a share of its height."""
    box = page.convert("L").point(lambda value: 255 if value < 240 else 0).getbbox()
    return 0 if box is None else box[3] / page.height


def accent_pixels(page: Image.Image) -> int:
    near = 40
    return sum(
        1
        for red, green, blue in page.get_flattened_data()
        if abs(red - ACCENT[0]) < near
        and abs(green - ACCENT[1]) < near
        and abs(blue - ACCENT[2]) < near
    )


def full_diary(person, days: int) -> Experiment:
    """`days` of morning check-ins, practices on two nights in three, weekly check-ins, and
    a finished personal experiment just before them (its mornings are its own)."""
    massage = make_routine(slug="bedtime-back-self-massage", name="Bedtime back self-massage")
    done = make_experiment(
        person,
        routine_a=massage,
        pairs=14,
        nights_ago=days + 29,
        status=Experiment.Status.FINISHED,
    )
    live_nights(
        done,
        answers=lambda index, condition: (
            experiment_answers(index, condition)
            | {"pain": experiment_answers(index, condition)["pain"] + 2}
        ),
    )
    # Pain from 6 down to 3: a change that matters against the experiment's first weeks.
    weeks_of_diary(person, days=days, pain=lambda day: 6 - day * 4 // days)
    return done


@pytest.mark.django_db
def test_twelve_weeks_of_a_full_diary_read_on_two_pages_with_their_figures(person, tmp_path):
    full_diary(person, 84)
    found = report.clinician_report(person, report.default_dates(person))
    data = report_pdf(found)
    pages = pdf_pages(data, tmp_path)
    for number, page in enumerate(pages, start=1):
        assert ink(page) > 0.03, f"page {number} is all but blank"
    assert 1 <= len(pages) <= 2
    text = pdf_text(data, tmp_path)
    today = local_moment(person, 0, 12).date()
    first = today - dt.timedelta(days=83)
    assert "Back pain diary of Olive Owner" in text
    assert f"{date_text(first)} to {date_text(today)} (84 days)" in text
    assert found.summary.pain.startswith("Pain down ")
    assert found.summary.pain in text
    assert found.summary.adherence in text
    pain = found.measures[0]
    first_week, latest_week = pain.week_texts()
    assert f"{pain.count} {first_week} {latest_week} {pain.mean} {pain.extremes}" in text
    assert found.experiment.sentence.startswith("Likely helps: about ")
    assert found.experiment.sentence in text
    assert found.experiment.estimate in text
    assert "Pain by day" in text and "Practices per week" in text
    assert f"Page {len(pages)} of {len(pages)}" in text
    # The first page is full, top to bottom; the charts' lines are drawn in their colour.
    assert inked_height(pages[0]) > 0.85
    assert accent_pixels(pages[0]) > 300


@pytest.mark.django_db
def test_five_years_of_a_full_diary_still_fit_two_pages(person, tmp_path):
    full_diary(person, 5 * 365)
    dates = DateRange(local_moment(person, 5 * 365, 12).date(), local_moment(person, 0, 12).date())
    data = report_pdf(report.clinician_report(person, dates))
    assert 1 <= len(pdf_pages(data, tmp_path, dpi=20)) <= 2
    assert "(1,826 days)" in pdf_text(data, tmp_path)


@pytest.mark.django_db
def test_a_name_in_any_european_script_prints_as_typed(tmp_path):
    person = make_person(name="Zoë Łukasiewicz-Παπαδοπούλου Жукова")
    weeks_of_diary(person, days=10)
    data = report_pdf(report.clinician_report(person, report.default_dates(person)))
    assert "Back pain diary of Zoë Łukasiewicz-Παπαδοπούλου Жукова" in pdf_text(data, tmp_path)


@pytest.mark.django_db
def test_dates_with_nothing_in_them_make_one_page_that_says_so(person, tmp_path):
    weeks_of_diary(person, days=10)
    dates = DateRange(dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    data = report_pdf(report.clinician_report(person, dates))
    pages = pdf_pages(data, tmp_path)
    assert len(pages) == 1
    assert "Nothing recorded No check-ins or practices fall in these dates." in pdf_text(
        data, tmp_path
    )


@pytest.mark.django_db
def test_a_strangers_pdf_holds_none_of_the_persons_diary(person, stranger, tmp_path):
    """The access sweep cannot read inside a PDF (its text is compressed and set in
    subset glyphs); this reads it."""
    weeks_of_diary(person, days=40, pain=lambda day: 9)
    weeks_of_diary(stranger, days=40, pain=lambda day: 2)
    own = pdf_text(client_for(person).get(PDF).content, tmp_path)
    theirs = pdf_text(client_for(stranger).get(PDF).content, tmp_path)
    assert "Olive Owner" in own and "pain 9.0 on average" in own
    assert "Olive Owner" not in theirs and "pain 9.0" not in theirs
    assert "Sam Stranger" in theirs and "pain 2.0 on average" in theirs
