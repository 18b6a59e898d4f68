"""Every part counts the same nights (backcoach/nights.py): the progress page, the report,
the practice history, the diary's morning question, the experiment and the API, for
practices at the edges of a night, across daylight saving and a change of time zone."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach import nights
from backcoach.diary import selectors as diary
from backcoach.experiments import selectors as experiments
from backcoach.experiments.models import Experiment
from backcoach.insights import report as reports
from backcoach.insights import selectors as insights
from backcoach.insights.ranges import DateRange
from backcoach.player.models import Practice
from tests.experiments.data import make_experiment
from tests.factories import client_for, make_person, make_practice, make_routine

DAY = dt.timedelta(days=1)
# (days after the first night, local clock) of each practice, and the night it is for.
EDGES = [
    ((0, dt.time(15, 59)), 0),  # an afternoon: that day's night
    ((1, dt.time(16, 0)), 1),
    ((2, dt.time(23, 59)), 2),
    ((4, dt.time(0, 30)), 3),  # after midnight: the night before
    ((5, dt.time(5, 59)), 4),
    ((6, dt.time(6, 0)), 6),  # 06:00 begins the next day; night 5 has none
]


def nights_seen(person, *, first: dt.date, last: dt.date, experiment=None) -> dict[str, set]:
    """The nights with a practice between `first` and `last`, as each part sees them."""
    dates = DateRange(first, last)
    seen = {
        "progress": {
            night
            for night in insights.diary_of(person, dates=dates).practice_nights
            if first <= night <= last
        },
        "diary": {
            first + n * DAY
            for n in range((last - first).days + 1)
            if diary.practised_that_night(person, first + n * DAY)
        },
    }
    client = client_for(person)
    response = client.get("/api/practices/", {"limit": 500})
    assert response.status_code == 200
    seen["api"] = {
        dt.date.fromisoformat(record["night"])
        for record in response.json()
        if first <= dt.date.fromisoformat(record["night"]) <= last
    }
    response = client.get("/play/history/")
    assert response.status_code == 200
    seen["history"] = {
        dt.date.fromisoformat(found)
        for found in re.findall(r'data-night="([\d-]+)"', response.content.decode())
        if first <= dt.date.fromisoformat(found) <= last
    }
    # The report says its count in words: as many nights practised as the others see.
    report = reports.clinician_report(person, dates)
    match = re.search(r"You practised on (\d+) of the", report.summary.adherence)
    seen["report (count)"] = len(seen["progress"]) if match is None else int(match[1])
    seen["progress (count)"] = len(seen["progress"])
    if experiment is not None:
        seen["experiment"] = {
            dt.date.fromisoformat(row["night"])
            for row in experiments.experiment_nights(experiment, today=last + DAY)
            if row["done"] == "A" and first <= dt.date.fromisoformat(row["night"]) <= last
        }
    return seen


def practise_at(person, routine, moments) -> None:
    for moment in moments:
        make_practice(person, routine=routine, started_at=moment.astimezone(dt.UTC))


def assert_all_see(seen: dict, expected: set) -> None:
    counts = {part: nights for part, nights in seen.items() if isinstance(nights, int)}
    sets = {part: nights for part, nights in seen.items() if not isinstance(nights, int)}
    assert sets == dict.fromkeys(sets, expected)
    assert counts == dict.fromkeys(counts, len(expected))


@pytest.mark.django_db
def test_practices_at_the_edges_of_a_night_count_alike_everywhere_also_after_a_change_of_zone():
    person = make_person(time_zone="Europe/Berlin")
    routine = make_routine(purpose="bedtime")
    first = experiments.today_of(person) - 10 * DAY
    experiment = make_experiment(person, routine_a=routine, pairs=7, nights_ago=10)
    # Started the morning of its first night, so that every practice below is in it.
    started = nights.night_start(first, person.zone)
    Experiment.objects.filter(pk=experiment.pk).update(started_at=started)
    experiment.refresh_from_db()
    moments = [
        dt.datetime.combine(first + offset * DAY, clock, tzinfo=person.zone)
        for (offset, clock), _ in EDGES
    ]
    practise_at(person, routine, moments)
    last = first + 7 * DAY
    expected = {first + night * DAY for _, night in EDGES}
    assert_all_see(nights_seen(person, first=first, last=last, experiment=experiment), expected)

    # Moving to New York: every part reads the same moments in the new zone, alike.
    person.time_zone = "America/New_York"
    person.save()
    experiment.person = person
    expected = {nights.night_of(moment, person.zone) for moment in moments}
    assert expected != {first + night * DAY for _, night in EDGES}  # the move shifts some
    assert_all_see(nights_seen(person, first=first, last=last, experiment=experiment), expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "first"),
    [
        ("Europe/Berlin", dt.date(2026, 3, 26)),  # clocks forward on the 29th
        ("Europe/Berlin", dt.date(2026, 10, 22)),  # back on the 25th
        ("America/New_York", dt.date(2026, 10, 29)),  # back on 1 November
    ],
)
def test_nights_across_a_daylight_saving_change_count_alike_everywhere(zone, first):
    person = make_person(time_zone=zone)
    routine = make_routine(purpose="bedtime")
    moments = [
        dt.datetime.combine(first + offset * DAY, clock, tzinfo=person.zone)
        for (offset, clock), _ in EDGES
    ]
    practise_at(person, routine, moments)
    expected = {first + night * DAY for _, night in EDGES}
    assert_all_see(nights_seen(person, first=first, last=first + 7 * DAY), expected)


@pytest.mark.django_db
def test_a_practice_before_the_experiment_started_is_not_its_first_nights():
    person = make_person(time_zone="Europe/Berlin")
    routine = make_routine(purpose="bedtime")
    experiment = make_experiment(person, routine_a=routine, pairs=7, nights_ago=3)
    first = experiment.first_night
    # That afternoon, before the schedule was drawn at 16:00; and that evening, after it.
    practise_at(person, routine, [dt.datetime.combine(first, dt.time(15), tzinfo=person.zone)])
    rows = experiments.experiment_nights(experiment)
    assert rows[0]["done"] == "B"  # not done: the practice came before the experiment
    practise_at(person, routine, [dt.datetime.combine(first, dt.time(22), tzinfo=person.zone)])
    rows = experiments.experiment_nights(experiment)
    assert rows[0]["done"] == "A"


ZONES = st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kathmandu", "UTC"])


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    zone=ZONES,
    minutes=st.integers(min_value=0, max_value=40 * 24 * 60),
)
def test_any_moment_in_any_zone_is_the_same_night_for_every_part(zone, minutes):
    person = make_person(time_zone=zone)
    try:
        moment = timezone.now() - dt.timedelta(minutes=minutes)
        make_practice(person, started_at=moment)
        night = nights.night_of(moment, zoneinfo.ZoneInfo(zone))
        seen = nights_seen(person, first=night - DAY, last=night + DAY)
        assert_all_see(seen, {night})
    finally:
        Practice.objects.filter(person=person).delete()
        person.delete()
