"""What changes a person's account. Views call these; they hold the rules."""

import datetime as dt

from django.db import transaction

from .models import Person


@transaction.atomic
def person_signup(*, email: str, password: str, time_zone: str, bedtime: dt.time) -> Person:
    return Person.objects.create_user(
        email=email, password=password, time_zone=time_zone, bedtime=bedtime
    )


@transaction.atomic
def person_delete(*, person: Person) -> None:
    """Delete the person and, through the database's cascades, everything they own."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username__iexact=person.email).delete()
    person.delete()
