"""`backcoach serve` removes expired sessions: Django never does by itself."""

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from backcoach.management.commands.serve import clear_expired_sessions


@pytest.mark.django_db(transaction=True)
def test_expired_sessions_are_cleared_and_live_ones_kept():
    for expire in (timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(days=1)):
        store = SessionStore()
        store["marker"] = str(expire)
        store.set_expiry(expire)
        store.create()
    assert Session.objects.count() == 2
    clear_expired_sessions()
    assert list(Session.objects.values_list("expire_date", flat=True)) == [
        Session.objects.get().expire_date
    ]
    assert Session.objects.get().expire_date > timezone.now()
