"""The rules a check-in keeps (diary/rules.py), as plain values: what the forms, the
service (and the API through it) and the import all ask."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from backcoach.diary import rules

NOW = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("kind", "values", "problems"),
    [
        ("anytime", {"pain": 3, "tension": 4, "new_symptom": False, "note": ""}, []),
        ("weekly", {"fingertip_floor_cm": 12.5, "peg_pain": None}, []),
        ("weekly", {"fingertip_floor_cm": 0}, []),
        ("anytime", {"pain": True}, ["pain must be a whole number from 0 to 10, not true"]),
        ("anytime", {"pain": 3.5}, ["pain must be a whole number from 0 to 10, not 3.5"]),
        ("morning", {"sleep_quality": 0}, ["sleep_quality must be a whole number from 1 to 5"]),
        ("morning", {"stiffness_minutes": 721}, ["stiffness_minutes must be a whole number"]),
        ("weekly", {"fingertip_floor_cm": float("nan")}, ["fingertip_floor_cm must be a finite"]),
        ("weekly", {"fingertip_floor_cm": "12"}, ["fingertip_floor_cm must be a number"]),
        ("morning", {"new_symptom": 1}, ["new_symptom must be true or false, not 1"]),
        ("morning", {"leg_below_knee": None}, []),
        ("morning", {"pain_areas": ["elbow"]}, ["pain_areas: unknown body area 'elbow'"]),
        ("morning", {"pain_areas": "neck"}, ["pain_areas must be a list of body areas"]),
        ("morning", {"routine_feel": "great"}, ["routine_feel must be one of"]),
        ("anytime", {"note": "x" * 501}, ["note is longer than 500 characters"]),
        ("weekly", {"pain": 3}, ["a weekly check-in does not hold: pain"]),
        ("hourly", {}, ["kind must be one of morning, anytime, weekly"]),
    ],
)
def test_each_answer_keeps_its_type_and_range(kind, values, problems):
    found = rules.answers_problems(kind, values)
    assert len(found) == len(problems), found
    for problem, words in zip(found, problems, strict=True):
        assert problem.startswith(words), found


@pytest.mark.parametrize(
    ("moment", "problem"),
    [
        (NOW, None),
        (NOW + dt.timedelta(minutes=5), None),  # a fast clock
        (NOW + dt.timedelta(minutes=6), "That moment is in the future."),
        (NOW - dt.timedelta(days=14), None),
        (NOW - dt.timedelta(days=14, seconds=1), "Check-ins can go back 14 days at most."),
        (NOW.replace(tzinfo=None), "The moment needs a time zone."),
    ],
)
def test_a_check_in_is_about_the_last_14_days_and_not_the_future(moment, problem):
    assert rules.moment_problem(moment, now=NOW) == problem


def test_an_import_restores_older_moments_but_not_future_ones():
    assert rules.future_problem(NOW - dt.timedelta(days=400), now=NOW) is None
    assert rules.future_problem(NOW + dt.timedelta(hours=1), now=NOW) is not None


def test_a_morning_check_in_belongs_to_the_night_its_moment_describes():
    # 00:30 on 30 November in Berlin is still the morning after the night of the 29th.
    moment = dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC)
    assert rules.checkin_night("morning", moment, BERLIN) == dt.date(2026, 11, 29)
    assert rules.night_problem("morning", dt.date(2026, 11, 29), moment, BERLIN) is None
    wrong = rules.night_problem("morning", dt.date(2026, 10, 30), moment, BERLIN)
    assert "night 2026-10-30 is not the night" in wrong
    assert "(2026-11-29, in the time zone Europe/Berlin)" in wrong
    assert rules.night_problem("anytime", None, moment, BERLIN) is None
    assert "only a morning check-in has a night" in rules.night_problem(
        "weekly", dt.date(2026, 11, 29), moment, BERLIN
    )
