"""Test data, built per test. No global fixtures."""

import datetime as dt
import itertools

from backcoach.accounts.models import Person

PASSWORD = "correct-horse-battery-9"
_numbers = itertools.count(1)


def make_person(*, email: str | None = None, password: str = PASSWORD, **fields) -> Person:
    number = next(_numbers)
    fields.setdefault("name", f"Person {number}")
    return Person.objects.create_user(
        email=email or f"person{number}@example.org", password=password, **fields
    )


def record_pain(person, *, days_ago: float, pain: int):
    """A finished practice `days_ago`, with its pain rating before it."""
    from django.utils import timezone

    from backcoach.player.models import Practice

    started = timezone.now() - dt.timedelta(days=days_ago)
    return Practice.objects.create(
        person=person,
        routine_name="Bedtime",
        started_at=started,
        ended_at=started + dt.timedelta(minutes=5),
        status="completed",
        pain_before=pain,
    )
