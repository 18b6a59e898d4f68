import pytest

from tests.sweep import library_slug


@pytest.fixture
def routine(db):
    """A one-step library routine (sweep-routine, 60 s of sweep-technique)."""
    from backcoach.library.models import Routine

    return Routine.objects.get(slug=library_slug("routine"))
