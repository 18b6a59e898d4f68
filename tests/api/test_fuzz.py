"""The API fuzzed from its own OpenAPI schema with schemathesis: requests that fit the
schema and requests that break it, sent in-process to the WSGI application as a logged-in
person. Whatever is sent, no answer is a server error, and every answer is one the schema
lists, in the shape it gives, refusals included; the operations refuse requests without a
login, and refuse what breaks the schema.

Bounded (a fixed number of examples per operation, the same ones every run) so that it
costs seconds in each leg of `make test`."""

import uuid

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from backcoach.diary.services import checkin_record
from backcoach.wsgi import application
from tests.clients import Browser
from tests.factories import make_person, make_practice, make_routine, make_technique

EXAMPLES = 30
# The person's practice and check-in that every generated change is sent to, so that
# changes reach the database rather than stop at a 404.
PRACTICE_ID = uuid.UUID("0f0c2a51-5d3e-4c53-9d0e-4f1f8c9a0001")
CHECKIN_ID = uuid.UUID("0f0c2a51-5d3e-4c53-9d0e-4f1f8c9a0002")

# Loaded when the module is (schemathesis's `from_fixture` fails on pytest 9); asking for
# the schema reads nothing from the database.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema",
    application,
    config=schemathesis.Config.from_dict(
        {
            "seed": 20261129,
            "parameters": {
                "path.practice_id": str(PRACTICE_ID),
                "path.checkin_id": str(CHECKIN_ID),
            },
            "generation": {
                "max-examples": EXAMPLES,
                "deterministic": True,
                # The session cookie comes from LoggedIn below, not from the generator.
                "with-security-parameters": False,
            },
            "checks": {
                # Data the schema calls valid may be refused for what a schema cannot say
                # (400: an unknown routine, an end before the start; 404, 409), but never
                # as invalid (422), which would mean that the schema and server disagree.
                "positive_data_acceptance": {"expected-statuses": ["2XX", 400, 401, 403, 404, 409]},
            },
        }
    ),
)

# The signed-in browser of the test running now (see `signed_in`).
browser: dict[str, dict[str, str]] = {}


@schema.auth(refresh_interval=None)
class LoggedIn:
    """The session cookie and CSRF token of the person `signed_in` logged in. Known to
    schemathesis as the schema's SessionAuth, so that it can also try each operation
    without them."""

    def get(self, case, ctx):
        return browser or None

    def set(self, case, data, ctx):
        case.cookies = {**(case.cookies or {}), **data["cookies"]}
        case.headers = {**(case.headers or {}), **data["headers"]}


@pytest.fixture
def signed_in(db):
    person = make_person(email="fuzz@example.org")
    routine = make_routine(slug="wind-down", techniques=[make_technique(slug="knee-hug")])
    make_practice(person, routine=routine, id=PRACTICE_ID)
    checkin_record(
        person=person,
        kind="anytime",
        recorded_at=timezone.now(),
        values={"pain": 3},
        checkin_id=CHECKIN_ID,
    )
    client = Browser()
    client.force_login(person)
    client.get("/play/history/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    browser["cookies"] = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: token,
    }
    browser["headers"] = {"X-CSRFToken": token}
    # As Django's test client does while it sends a request (so only once done with it):
    # the end of a request must not close the connection that holds the test's transaction.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)
    browser.clear()


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, signed_in):
    # Cases of the coverage phase come without the provider's auth; they get it here.
    schema.auth.set(case, schemathesis.AuthContext(operation=case.operation, app=application))
    # Answers uncompressed: the WSGI transport does not unzip them.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})


def test_the_answers_to_good_requests_fit_the_schema_too(signed_in):
    """Generated requests rarely get past the server's own checks (a routine it has, a
    time in the last year), so the answers to successful ones are checked here."""
    from tests.diary.test_checkin_api import body as checkin_body
    from tests.player.test_practice_api import practice_body

    def sent(path, method, expected, **data):
        case = schema[path][method].Case(**data)
        schema.auth.set(case, schemathesis.AuthContext(operation=case.operation, app=application))
        response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
        assert response.status_code == expected, response.text
        return response.json()

    practice = practice_body(note="stiff")
    sent("/api/practices/", "POST", 201, body=practice)
    sent("/api/practices/", "POST", 200, body=practice)
    sent("/api/practices/", "POST", 409, body={**practice, "note": "other"})
    ratings = {"pain_after": 2}
    sent(
        "/api/practices/{practice_id}",
        "PATCH",
        200,
        path_parameters={"practice_id": practice["id"]},
        body=ratings,
    )
    checkin = sent("/api/checkins/", "POST", 201, body=checkin_body())
    sent("/api/checkins/", "POST", 409, body=checkin_body())
    sent(
        "/api/checkins/{checkin_id}",
        "PATCH",
        200,
        path_parameters={"checkin_id": checkin["id"]},
        body={"pain": 5},
    )
    assert len(sent("/api/practices/", "GET", 200)) == 2
    assert len(sent("/api/checkins/", "GET", 200, query={"kind": "morning"})) == 1


def test_a_planted_server_error_is_caught(signed_in, monkeypatch):
    """The test of the test: an operation that breaks must fail the checks above."""
    from schemathesis.core.failures import FailureGroup

    from backcoach.player import services
    from tests.player.test_practice_api import practice_body

    def broken(**kwargs):
        raise RuntimeError("planted fault")

    monkeypatch.setattr(services, "practice_record", broken)
    case = schema["/api/practices/"]["POST"].Case(body=practice_body())
    schema.auth.set(case, schemathesis.AuthContext(operation=case.operation, app=application))
    with pytest.raises(FailureGroup, match="Server error"):
        case.call_and_validate(headers={"Accept-Encoding": "identity"})
