"""Test data, built per test. No global fixtures."""

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
