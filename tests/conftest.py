import pytest

from tests.factories import PASSWORD, client_for, make_person


@pytest.fixture
def person(db):
    """The person whose data a test is about."""
    return make_person(email="owner@example.org", name="Olive Owner")


@pytest.fixture
def stranger(db):
    """Another person, who must never see or change the first one's data."""
    return make_person(email="stranger@example.org", name="Sam Stranger")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def person_client(person):
    return client_for(person)


@pytest.fixture
def stranger_client(stranger):
    return client_for(stranger)
