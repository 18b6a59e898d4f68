"""The report's contents (insights/report.py): the progress page's summary for the chosen
dates, the table of measures, the practices and the latest personal experiment."""

import dataclasses
import datetime as dt

import pytest

from backcoach.charts import day_text
from backcoach.experiments.models import Experiment
from backcoach.insights import progress, report, selectors
from backcoach.insights.ranges import DateRange
from tests.experiments.data import live_nights, make_experiment
from tests.factories import make_routine
from tests.insights.data import checkin, local_moment, practice, save, weeks_of_diary


def today_of(person) -> dt.date:
    return local_moment(person, 0, 12).date()


def days_back(person, first: int, last: int = 0) -> DateRange:
    """From `first` days ago to `last` days ago."""
    today = today_of(person)
    return DateRange(today - dt.timedelta(days=first), today - dt.timedelta(days=last))


def experiment_answers(index: int, condition: str) -> dict:
    """Pain about two points lower after A nights, with a little noise."""
    return {
        "pain": (3 if condition == "A" else 5) + (index * 7 % 3) - 1,
        "sleep_onset_minutes": 20 + index % 4 * 5,
        "sleep_quality": 3,
    }


@pytest.fixture
def massage(db):
    return make_routine(slug="bedtime-back-self-massage", name="Bedtime back self-massage")


@pytest.mark.django_db
def test_the_default_report_says_what_the_progress_page_says(person):
    weeks_of_diary(person, days=120, pain=lambda day: 6 if day < 40 else 3)
    found = report.clinician_report(person, report.default_dates(person))
    page = progress.progress_page(person)
    # The same, but on paper the first night has its year.
    assert dataclasses.replace(found.summary, adherence=page.summary.adherence) == page.summary
    assert found.summary.adherence != page.summary.adherence
    assert found.dates.days == 84
    assert found.has_entries
    assert [chart.key for chart in found.charts] == list(report.REPORT_CHARTS)
    assert found.title == "Back pain diary of Olive Owner"


@pytest.mark.django_db
def test_a_past_range_leaves_out_what_came_after_its_last_day(person):
    # 40 days: pain 6 until 11 days ago, then 2; the range ends 13 days ago, a night
    # without a practice (weeks_of_diary skips every third).
    weeks_of_diary(person, days=40, pain=lambda day: 6 if day < 30 else 2)
    dates = days_back(person, 30, 13)
    found = report.clinician_report(person, dates)
    pain = found.measures[0]
    assert (pain.count, pain.mean, pain.extremes) == ("18 days", "6.0", "6 to 6")
    # Each night of the range is over: the last one counts, though it had no practice.
    assert found.summary.adherence.startswith("You practised on 12 of the 18 nights since")
    # On paper the first night has its year: a report may span the turn of one.
    since = records_since(person, dates)
    assert f" since {day_text(since)} {since.year} (" in found.summary.adherence
    records = selectors.diary_of(person, dates=dates)
    assert max(day for day, _ in records.pain) == dates.last
    assert max(records.onset) == dates.last - dt.timedelta(days=1)


@pytest.mark.django_db
def test_the_table_gives_each_measure_its_first_and_latest_week(person):
    monday = today_of(person) - dt.timedelta(days=today_of(person).weekday() + 14)
    at = [
        dt.datetime.combine(monday + dt.timedelta(days=d), dt.time(12), person.zone)
        for d in (0, 1, 7, 14)
    ]
    save(
        [
            checkin(person, kind="anytime", at=moment, pain=pain)
            for moment, pain in zip(at, (4, 6, 3, 9), strict=True)
        ]
        + [checkin(person, kind="weekly", at=at[0], peg_pain=6, peg_enjoyment=4, peg_activity=5)]
    )
    rows = {
        row.name: row for row in report.clinician_report(person, days_back(person, 30)).measures
    }
    pain = rows["Pain (0-10), mean of the day"]
    assert pain.count == "4 days"
    assert (pain.first_week, pain.first_week_of) == ("5.0", f"{monday.day} {monday:%b}")
    assert pain.latest_week == "9.0"
    assert pain.week_texts()[0] == f"5.0 ({monday.day} {monday:%b})"
    assert (pain.mean, pain.extremes, pain.better) == ("5.5", "3 to 9", "lower is better")
    assert rows["PEG-3 (0-10)"].count == "1 week"
    assert rows["PEG-3 (0-10)"].mean == "5.0"
    assert rows["Minutes to fall asleep"].count == "none"
    assert rows["Fingertip to floor (cm)"].first_week == ""


@pytest.mark.django_db
def test_the_practices_are_counted_with_their_routines(person):
    save(
        practices=[
            practice(person, at=local_moment(person, d, 22), routine_name="Bedtime")
            for d in range(1, 6)
        ]
        + [
            practice(
                person, at=local_moment(person, 3, 21), routine_name="Hips", status="abandoned"
            )
        ]
    )
    practices = report.clinician_report(person, days_back(person, 30)).practices
    assert (practices.count, practices.completed, practices.stopped_early) == (6, 5, 1)
    assert practices.routines == [("Bedtime", 5), ("Hips", 1)]


@pytest.mark.django_db
def test_the_latest_ended_experiment_is_reported_with_its_verdict(person, massage):
    older = make_experiment(
        person, routine_a=massage, pairs=7, nights_ago=60, status=Experiment.Status.FINISHED
    )
    live_nights(older, answers=experiment_answers)
    stopped = make_experiment(person, routine_a=massage, pairs=7, nights_ago=30, seed=7)
    live_nights(stopped, answers=experiment_answers, until=today_of(person) - dt.timedelta(days=25))
    stopped.status = Experiment.Status.STOPPED
    stopped.stopped_at = local_moment(person, 24, 12)
    stopped.save()
    result = report.clinician_report(person, days_back(person, 84)).experiment
    assert result.state == Experiment.Status.STOPPED
    assert result.state_text.startswith("Stopped early on ")
    assert "Stopped early after" in result.sentence


@pytest.mark.django_db
def test_a_finished_experiment_shows_its_sentence_estimate_and_interval(person, massage):
    done = make_experiment(person, routine_a=massage, pairs=14)
    live_nights(done, answers=experiment_answers)
    result = report.clinician_report(person, days_back(person, 84)).experiment
    assert result.state == Experiment.Status.FINISHED
    assert not result.running
    assert result.sentence.startswith("Likely helps: about ")
    assert result.estimate.startswith("A minus B: -")
    assert "(95 % interval -" in result.estimate
    assert ": 28 nights, 28 with a morning check-in, 28 done as drawn." in result.nights_text


@pytest.mark.django_db
def test_a_running_experiment_alone_is_shown_marked_as_running(person, massage):
    running = make_experiment(person, routine_a=massage, pairs=14, nights_ago=10)
    live_nights(running, answers=experiment_answers)
    result = report.clinician_report(person, days_back(person, 84)).experiment
    assert result.running
    assert result.state_text.startswith("Still running")
    assert "10 nights so far" in result.nights_text


@pytest.mark.django_db
def test_an_ended_experiment_comes_before_a_newer_running_one(person, massage):
    done = make_experiment(
        person, routine_a=massage, pairs=7, nights_ago=40, status=Experiment.Status.FINISHED
    )
    make_experiment(person, routine_a=massage, pairs=14, nights_ago=10)
    assert report.latest_experiment(person, days_back(person, 84)) == done


@pytest.mark.django_db
def test_an_experiment_begun_after_the_range_is_not_in_it(person, massage):
    make_experiment(person, routine_a=massage, pairs=7, nights_ago=5)
    assert report.clinician_report(person, days_back(person, 84, 20)).experiment is None
    assert report.clinician_report(person, days_back(person, 84)).experiment is not None


@pytest.mark.django_db
def test_a_range_with_nothing_in_it_says_so(person):
    weeks_of_diary(person, days=10)
    found = report.clinician_report(person, days_back(person, 200, 100))
    assert not found.has_entries
    assert found.charts == []
    assert found.practices.count == 0


@pytest.mark.django_db
def test_it_reports_only_the_persons_own_diary(person, stranger, massage):
    weeks_of_diary(stranger, days=30)
    make_experiment(stranger, routine_a=massage, pairs=7)
    found = report.clinician_report(person, days_back(person, 84))
    assert not found.has_entries
    assert found.experiment is None
    assert all(row.count == "none" for row in found.measures)


def records_since(person, dates) -> dt.date:
    return selectors.diary_of(person, dates=dates).since
