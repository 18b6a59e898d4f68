"""Diaries of any length for the progress tests, written with bulk_create: the diary's
service refuses check-ins more than 14 days back, and thousands of rows one by one are slow."""

import datetime as dt

from django.utils import timezone

from backcoach.diary.models import Checkin
from backcoach.player.models import Practice


def local_moment(person, days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    """`hour`:`minute` in the person's zone, `days_ago` days before today there."""
    today = timezone.now().astimezone(person.zone).date()
    day = today - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=person.zone)


def checkin(person, *, kind: str, at: dt.datetime, **values) -> Checkin:
    """An unsaved check-in; a morning one is about the night before `at`."""
    night = at.astimezone(person.zone).date() - dt.timedelta(days=1) if kind == "morning" else None
    return Checkin(person=person, kind=kind, recorded_at=at, night=night, **values)


def practice(person, *, at: dt.datetime, **values) -> Practice:
    fields = {"routine_name": "Bedtime", "status": "completed", **values}
    return Practice(person=person, started_at=at, ended_at=at + dt.timedelta(minutes=5), **fields)


def save(checkins=(), practices=()) -> None:
    Checkin.objects.bulk_create(list(checkins))
    Practice.objects.bulk_create(list(practices))


def weeks_of_diary(person, *, days: int, pain=lambda day: 4, practise=lambda day: day % 3 != 0):
    """`days` days up to yesterday: a morning check-in each day (pain, sleep), a practice
    at 22:30 on the nights `practise` picks (pain before and after), a weekly check-in
    every 7th day. `day` counts from 0, the oldest."""
    checkins, practices = [], []
    for day in range(days):
        days_ago = days - day
        checkins.append(
            checkin(
                person,
                kind="morning",
                at=local_moment(person, days_ago, 7, 30),
                pain=pain(day),
                sleep_onset_minutes=10 + day % 4 * 5,
                sleep_quality=2 + day % 3,
            )
        )
        if practise(day):
            before = pain(day)
            practices.append(
                practice(
                    person,
                    at=local_moment(person, days_ago, 22, 30),
                    pain_before=before,
                    pain_after=max(before - 1, 0),
                )
            )
        if day % 7 == 6:
            checkins.append(
                checkin(
                    person,
                    kind="weekly",
                    at=local_moment(person, days_ago, 9),
                    peg_pain=pain(day),
                    peg_enjoyment=3,
                    peg_activity=2,
                    # Never below 0, which the diary refuses: fingertips on the floor.
                    fingertip_floor_cm=max(20.0 - day / 3, 0.0),
                )
            )
    save(checkins, practices)
