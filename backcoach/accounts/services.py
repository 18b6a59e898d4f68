"""What changes a person's account. Views call these; they hold the rules."""

import datetime as dt

from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.utils import timezone

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
    from django.contrib.sessions.models import Session

    from .models import LoginFailures, PasswordResetEmail

    AccessAttempt.objects.filter(username__iexact=person.email).delete()
    LoginFailures.objects.filter(email=person.email).delete()
    PasswordResetEmail.objects.filter(email=person.email).delete()
    # Sessions are rows that name their person only inside their encoded data.
    key = str(person.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == key:
            session.delete()
    person.delete()
