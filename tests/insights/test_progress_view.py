"""The progress page: the summary on known data, helpful empty states, the person's own
zone and unit, and a fixed number of queries however long the diary."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backcoach.charts import day_text
from backcoach.insights import progress, selectors
from backcoach.insights.summary import span_text
from tests.factories import client_for, make_person
from tests.insights.data import checkin, local_moment, practice, save, weeks_of_diary

URL = "/progress/"


def pain_days(person, values: list[int], *, kind: str = "anytime") -> None:
    """One check-in a day at noon, the last one yesterday."""
    count = len(values)
    save(
        checkin(person, kind=kind, at=local_moment(person, count - i, 12), pain=value)
        for i, value in enumerate(values)
    )


def summary_of(person):
    return progress.progress_page(person).summary


@pytest.mark.django_db
def test_it_asks_anonymous_visitors_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_it_answers_only_get(person_client):
    assert person_client.post(URL).status_code == 405


@pytest.mark.django_db
def test_a_new_person_sees_what_to_do_instead_of_empty_axes(person_client):
    response = person_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" not in html
    assert "Nothing in your diary yet." in html
    assert "Check in for a few mornings and your sleep shows here." in html
    assert "Rate your pain in a check-in, or before tonight&#x27;s routine" in html
    assert "each night you practise fills a square here" in html
    assert "fingertip-to-floor test in your weekly check-in" in html


@pytest.mark.django_db
def test_pain_six_for_two_weeks_then_three_reads_down_three_points(person, person_client):
    pain_days(person, [6] * 14 + [3] * 14)
    response = person_client.get(URL)
    assert response.status_code == 200
    assert "Pain down 3.0 points, a change that matters" in response.content.decode()
    assert 'role="img"' in response.content.decode()


@pytest.mark.django_db
def test_morning_and_any_time_ratings_and_pain_before_practices_all_count(person):
    pain_days(person, [6] * 10, kind="morning")
    pain_days(person, [6] * 4)  # the same days as the last four mornings
    save(
        practices=[
            practice(person, at=local_moment(person, 20 - i, 21), pain_before=3, pain_after=1)
            for i in range(10)
        ]
    )
    page = progress.progress_page(person)
    # Days 20..11 ago: 3 before practices; days 10..1 ago: 6 from check-ins.
    assert page.summary.pain.startswith("You have rated your pain on 20 days. After 8 more days")
    pain_days(person, [6] * 8)  # adds nothing new: the same eight latest days
    assert "After 8 more days" in summary_of(person).pain


@pytest.mark.django_db
def test_too_little_data_says_how_many_more_days(person, person_client):
    pain_days(person, [5] * 9)
    html = person_client.get(URL).content.decode()
    assert "You have rated your pain on 9 days. After 19 more days with a rating" in html
    assert "Your best and worst weeks show once two weeks" in html


@pytest.mark.django_db
def test_nights_with_and_without_a_practice_are_counted_from_the_next_mornings(person):
    # Mornings after the nights of 10..1 days ago; practices on the nights of 10, 8, 6 days ago.
    save(
        [
            checkin(
                person,
                kind="morning",
                at=local_moment(person, days_ago - 1, 7),
                pain=2 if days_ago in (10, 8, 6) else 5,
                sleep_onset_minutes=10 if days_ago in (10, 8, 6) else 30,
            )
            for days_ago in range(10, 0, -1)
        ],
        [practice(person, at=local_moment(person, days_ago, 22, 45)) for days_ago in (10, 8, 6)]
        # A practice at lunchtime counts for that day's night (backcoach.nights), and one
        # before 06:00 for the night before: the night of 2 days ago.
        + [practice(person, at=local_moment(person, 4, 12))]
        + [practice(person, at=local_moment(person, 1, 5, 59))],
    )
    with_practice, without, caveat = summary_of(person).nights
    assert with_practice == (
        "After nights with a practice: pain 3.2 on average (5 nights) and 18 minutes to fall "
        "asleep (5 nights)."
    )
    assert without == (
        "After nights without: pain 5.0 on average (5 nights) and 30 minutes to fall asleep "
        "(5 nights)."
    )
    assert "not a fair test" in caveat


@pytest.mark.django_db
def test_nights_and_days_are_the_persons_own_in_their_time_zone():
    person = make_person(time_zone="Pacific/Auckland")
    # 00:30 in Auckland is the previous day in UTC; the practice belongs to the night before.
    save(
        [checkin(person, kind="morning", at=local_moment(person, 2, 7), pain=4)],
        [practice(person, at=local_moment(person, 2, 0, 30), pain_before=6, pain_after=4)],
    )
    records = selectors.diary_of(person)
    today = local_moment(person, 0, 12).date()
    night = today - dt.timedelta(days=3)
    assert dict(records.practice_nights) == {night: 1}
    assert records.mornings == [(night, 4.0, None)]
    assert records.before_after == [(today - dt.timedelta(days=2), 6.0, 4.0)]
    assert (
        "After nights with a practice: pain 4.0 on average (1 night)"
        in (summary_of(person).nights[0])
    )


@pytest.mark.django_db
def test_fingertip_to_floor_is_shown_in_the_persons_unit():
    person = make_person(length_unit="in")
    save([checkin(person, kind="weekly", at=local_moment(person, 3, 9), fingertip_floor_cm=25.4)])
    html = client_for(person).get(URL).content.decode()
    assert "Fingertip-to-floor distance in in" in html
    assert "<td>10</td>" in html


@pytest.mark.django_db
def test_peg_three_is_the_mean_of_its_three_answers(person, person_client):
    save(
        [
            checkin(
                person,
                kind="weekly",
                at=local_moment(person, 3, 9),
                peg_pain=6,
                peg_enjoyment=4,
                peg_activity=3,
            )
        ]
    )
    assert "<td>4.3</td>" in person_client.get(URL).content.decode()


@pytest.mark.django_db
def test_it_shows_only_the_persons_own_diary(person, person_client, stranger):
    weeks_of_diary(stranger, days=30)
    html = person_client.get(URL).content.decode()
    assert "Nothing in your diary yet." in html
    assert "<svg" not in html


def big_diary(person, days: int) -> None:
    weeks_of_diary(person, days=days, pain=lambda day: 3 + day % 5)
    save(
        [
            checkin(person, kind="anytime", at=local_moment(person, d, 15), pain=4)
            for d in range(1, days)
        ]
    )


@pytest.mark.django_db
def test_the_page_takes_the_same_number_of_queries_for_ten_and_two_thousand_entries():
    small, large = make_person(), make_person()
    big_diary(small, 4)  # 4 mornings, 3 any-time check-ins, 2 practices
    big_diary(large, 730)  # over 1,500 check-ins and 480 practices
    counts = []
    for person in (small, large):
        client = client_for(person)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        assert "<svg" in response.content.decode()
        counts.append(len(queries))
    entries = large.checkins.count() + large.practices.count()
    assert entries > 2000
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_years_of_diary_show_recent_weeks_against_the_first_weeks(person):
    weeks_of_diary(person, days=2 * 365, pain=lambda day: 7 if day < 60 else 3)
    page = progress.progress_page(person)
    assert "down 4.0 points" in page.summary.pain
    window_start = selectors.diary_of(person).since
    assert window_start == local_moment(person, 0, 12).date() - dt.timedelta(weeks=12, days=-1)
    assert f"since {day_text(window_start)}" in page.summary.adherence
    pain = next(chart for chart in page.charts if chart.key == "pain")
    assert len(pain.rows) <= selectors.WINDOW_WEEKS + 1
    records = selectors.diary_of(person)
    assert min(day for day, _ in records.pain) >= window_start
    assert max(day for day, _ in records.early_pain) < window_start


@pytest.mark.django_db
def test_the_page_reads_the_same_rows_for_one_year_as_for_five(person, stranger):
    weeks_of_diary(person, days=365)
    weeks_of_diary(stranger, days=5 * 365)
    one, five = selectors.diary_of(person), selectors.diary_of(stranger)
    assert len(one.pain) == len(five.pain)
    assert len(one.early_pain) == len(five.early_pain)


def test_table_cells_are_escaped():
    chart = progress.Chart(
        key="k",
        heading="h",
        how_to_read="",
        empty="",
        action=("/", "x"),
        rows=[("<b>Mon</b>", "<script>1</script>", "3 & 4")],
    )
    assert str(chart.table_body()) == (
        '<tr><th scope="row">&lt;b&gt;Mon&lt;/b&gt;</th>'
        "<td>&lt;script&gt;1&lt;/script&gt;</td><td>3 &amp; 4</td></tr>"
    )


@pytest.mark.django_db
def test_a_baseline_before_the_first_day_shown_is_named_not_shaded(person):
    weeks_of_diary(person, days=200)
    pain = progress.progress_page(person).charts[0]
    assert 'class="chart-band"' not in pain.svg
    assert "Baseline" not in pain.svg
    assert pain.how_to_read.endswith(
        "Your baseline, your first 14 days with a rating "
        f"({span_text(*first_and_fourteenth(person, 200))}), came before these dates."
    )


def first_and_fourteenth(person, days: int) -> tuple[dt.date, dt.date]:
    first = local_moment(person, days, 12).date()
    return first, first + dt.timedelta(days=13)


@pytest.mark.django_db
def test_a_baseline_in_the_window_is_shaded(person):
    weeks_of_diary(person, days=40)
    pain = progress.progress_page(person).charts[0]
    assert 'class="chart-band"' in pain.svg
    assert "the shaded band your first 14 days with a rating, your baseline." in pain.how_to_read
