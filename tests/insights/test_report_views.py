"""The report's pages: /progress/report/ (HTML, with the form for the dates) and
/progress/report.pdf (a download). Every bad range gets a 400 with its reason; a GET writes
nothing; the reads take the same queries for a week of a short diary as for five years of
a long one."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backcoach.experiments.models import Experiment
from tests.experiments.data import live_nights, make_experiment
from tests.factories import client_for, make_person, make_routine
from tests.insights.data import local_moment, weeks_of_diary
from tests.insights.test_report import experiment_answers

HTML = reverse("insights:report")
PDF = reverse("insights:report_pdf")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def today_of(person) -> dt.date:
    return local_moment(person, 0, 12).date()


def writes(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if WRITE.match(query["sql"])]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [HTML, PDF])
def test_it_asks_anonymous_visitors_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [HTML, PDF])
def test_it_answers_only_get(person_client, url):
    assert person_client.post(url).status_code == 405


@pytest.mark.django_db
def test_the_page_shows_the_last_twelve_weeks_with_the_form_and_the_pdf_link(person, person_client):
    weeks_of_diary(person, days=20, pain=lambda day: 5)
    today = today_of(person)
    first = today - dt.timedelta(days=83)
    response = person_client.get(HTML)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Back pain diary of Olive Owner</h1>" in html
    assert f'name="from" max="{today.isoformat()}" value="{first.isoformat()}"' in html
    assert f'name="to" max="{today.isoformat()}" value="{today.isoformat()}"' in html
    assert f'href="{PDF}?from={first.isoformat()}&amp;to={today.isoformat()}"' in html
    assert "You have rated your pain on 20 days." in html
    assert "Pain (0-10), mean of the day, lower is better</th><td>20 days</td>" in html
    assert 'role="img"' in html


@pytest.mark.django_db
def test_the_pdf_is_an_attachment_named_by_its_dates(person, person_client):
    weeks_of_diary(person, days=30)
    response = person_client.get(PDF, {"from": "2026-01-01", "to": "2026-03-31"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="backcoach-report-2026-01-01-to-2026-03-31.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")


def bad_ranges(today: dt.date) -> list[tuple[dict, str]]:
    tomorrow = today + dt.timedelta(days=1)
    return [
        ({"from": "2026-03-10", "to": "2026-03-01"}, "comes after the last day, 1 Mar 2026"),
        ({"from": "", "to": ""}, "Choose the first day."),
        ({"from": "2026-03-01", "to": ""}, "Choose the last day."),
        ({"to": tomorrow.isoformat()}, "is still to come"),
        ({"from": tomorrow.isoformat()}, "is still to come"),
        ({"from": "2015-01-01", "to": "2026-01-01"}, "a report covers at most 5 years"),
        ({"from": "31/12/2025"}, "is not a date: write it as year-month-day"),
        ({"from": "2026-02-29"}, "is not a day of the calendar"),
        ({"to": "<script>alert(1)</script>"}, "“&lt;script&gt;alert(1)&lt;/sc…”, is not a date"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [HTML, PDF])
@pytest.mark.parametrize("case", range(9))
def test_each_bad_range_gets_its_reason_and_writes_nothing(person, person_client, url, case):
    weeks_of_diary(person, days=10)
    params, reason = bad_ranges(today_of(person))[case]
    with CaptureQueriesContext(connection) as queries:
        response = person_client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert reason in html
    assert 'role="alert"' in html
    assert "<svg" not in html
    assert writes(queries) == []


@pytest.mark.django_db
def test_a_bad_range_keeps_what_was_sent_and_marks_the_field(person, person_client):
    html = person_client.get(HTML, {"from": "2026-13-01", "to": "2026-01-31"}).content.decode()
    assert 'value="2026-13-01" aria-invalid="true" aria-describedby="report-range-error"' in html
    assert 'value="2026-01-31">' in html
    # A date not sent shows its default: today, for the last day.
    html = person_client.get(HTML, {"from": "2026-13-01"}).content.decode()
    assert f'value="{today_of(person).isoformat()}">' in html


def big_diary_with_experiment(person, days: int) -> None:
    massage = make_routine()
    done = make_experiment(
        person, routine_a=massage, pairs=7, nights_ago=days + 20, status=Experiment.Status.FINISHED
    )
    live_nights(done, answers=experiment_answers)
    weeks_of_diary(person, days=days)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [HTML, PDF])
def test_the_reads_take_the_same_queries_for_a_week_or_five_years_and_write_nothing(url):
    small, large = make_person(), make_person()
    big_diary_with_experiment(small, 7)
    big_diary_with_experiment(large, 5 * 365)
    today = today_of(large)
    ranges = [
        (small, {"from": (today - dt.timedelta(days=6)).isoformat()}),
        (large, {"from": (today - dt.timedelta(days=5 * 365)).isoformat()}),
    ]
    counts = []
    for person, params in ranges:
        client = client_for(person)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        assert writes(queries) == []
        counts.append(len(queries))
    assert large.checkins.count() + large.practices.count() > 3000
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_progress_page_links_to_the_report_and_its_pdf(person, person_client):
    weeks_of_diary(person, days=3)
    html = person_client.get(reverse("insights:progress")).content.decode()
    assert f'href="{HTML}"' in html
    assert f'href="{PDF}"' in html


@pytest.mark.django_db
def test_settings_link_to_the_pdf(person_client):
    html = person_client.get(reverse("accounts:settings")).content.decode()
    assert f'href="{PDF}"' in html
