import pytest

from tests.factories import make_routine, make_technique


@pytest.fixture
def routine(db):
    """A one-step library routine, wind-down: 60 s of the knee-hug stretch."""
    return make_routine(
        slug="wind-down", name="Wind-down", techniques=[make_technique(slug="knee-hug")]
    )
