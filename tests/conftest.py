import os

import pytest

from tests.clients import visitor
from tests.factories import PASSWORD, client_for, make_person

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL leg of `make test` runs only what touches the test database (or is
    marked `postgres`): pure logic, and commands that make their own SQLite data folder,
    ran in the SQLite leg and would only run again the same way. Of the browser journeys it
    runs those marked `postgres`, whose data goes through the database in a way the engine
    may change (uploads sent twice, a whole diary, an export, an account deleted); the rest
    test the page, which the database does not change."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    keep, drop = [], []
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("postgres"):
            drop.append(item)
            continue
        touches = (
            item.get_closest_marker("django_db")
            or item.get_closest_marker("postgres")
            or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if touches else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def client(db):
    """pytest-django's `client`, held to the CSRF check as every test client is
    (tests/clients.py): a visitor who has the log-in page open, and so holds the CSRF
    cookie that its forms and the sign-up, reset and log-in forms send back."""
    return visitor()


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


@pytest.fixture
def voice(settings, tmp_path, monkeypatch):
    """Audio tracks in a data folder of this test's own, spoken by a fake voice (tone
    bursts, tests/player/audio_helpers.py) that renders in a fraction of a second."""
    from backcoach.player.audio import store
    from tests.player.audio_helpers import ToneVoice

    settings.DATA_DIR = tmp_path
    voice = ToneVoice()
    monkeypatch.setattr(store, "track_voice", lambda: voice)
    return voice
