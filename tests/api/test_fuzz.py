"""The API fuzzed from its own OpenAPI schema with schemathesis, sent in-process to the WSGI
application, where nothing skips the CSRF check as Django's test client does. Whatever is
sent, no answer is a server error, and every answer is one the schema lists, in the shape it
gives, refusals included.

Two runs:
- one operation at a time, signed in with the session: requests that fit the schema and
  requests that break it; the operations refuse requests without a login, and refuse what
  breaks the schema;
- stateful: a state machine over the schema with OpenAPI links (fuzz_helpers.py), which
  records practices and check-ins and then changes them by the ids their answers give,
  signed in once with a read-and-write token (Authorization: Bearer, no cookie) and once
  with the session and its CSRF token. A signed-in person is never refused as signed out
  or forbidden (401, 403).

Bounded (a fixed number of examples per operation, of scenarios and of steps in each, the
same ones every run) so that it costs seconds in each leg of `make test`."""

import contextlib
import json
import uuid
from collections import Counter
from typing import ClassVar

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from ninja import NinjaAPI
from ninja.responses import NinjaJSONEncoder
from schemathesis.core.failures import FailureGroup

from backcoach.api import openapi
from backcoach.api.tokens import token_create
from backcoach.api.urls import api
from backcoach.diary.services import checkin_record
from backcoach.wsgi import application
from tests.api import fuzz_helpers
from tests.clients import Browser
from tests.factories import make_person, make_practice, make_routine, make_technique

EXAMPLES = 30
# The stateful run: scenarios of at most STEPS requests each.
SCENARIOS = 40
STEPS = 8
# The person's practice and check-in, to which the run one operation at a time sends every
# change, so that changes reach the database rather than stop at a 404.
PRACTICE_ID = uuid.UUID("0f0c2a51-5d3e-4c53-9d0e-4f1f8c9a0001")
CHECKIN_ID = uuid.UUID("0f0c2a51-5d3e-4c53-9d0e-4f1f8c9a0002")
SEED = 20261129

# Loaded when the module is (schemathesis's `from_fixture` fails on pytest 9), before any
# database: the schema /api/schema serves while the library holds what `fuzzed` puts in it,
# built by the same code (openapi.describe).
served_schema = json.loads(
    json.dumps(
        openapi.describe(
            NinjaAPI.get_openapi_schema(api),
            techniques=[fuzz_helpers.TECHNIQUE],
            routines=[fuzz_helpers.ROUTINE],
        ),
        cls=NinjaJSONEncoder,
    )
)
schema = schemathesis.openapi.from_dict(
    served_schema,
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "parameters": {
                "path.practice_id": str(PRACTICE_ID),
                "path.checkin_id": str(CHECKIN_ID),
            },
            "generation": {
                "max-examples": EXAMPLES,
                "deterministic": True,
                # The credentials come from SignedIn below, not from the generator.
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
# As `from_wsgi` does: the requests go to the application, in-process.
schema.app = application
schema.location = "/api/schema"

# The stateful run's: the ids come from the links, not from fixed parameters, and only
# the links given (schemathesis's own guesses also replay a change's answer as an upload).
workflow_schema = schemathesis.openapi.from_dict(
    fuzz_helpers.with_links(schema.raw_schema),
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"deterministic": True, "with-security-parameters": False},
            "phases": {"stateful": {"inference": {"algorithms": []}}},
            # A signed-in person's request that fits the schema is refused for nothing but
            # what the server checks beyond it (400, 404, 409): not 401 or 403.
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ["2XX", 400, 404, 409]},
                # That an operation refuses a request without credentials, or with made-up
                # ones, the run one operation at a time checks; here it would send every
                # successful request three times more.
                "ignored_auth": {"enabled": False},
            },
        }
    ),
)
# As `from_wsgi` does: the requests go to the application, in-process.
workflow_schema.app = application
workflow_schema.location = "/api/schema"
workflow_schema.hook("flatmap_case")(fuzz_helpers.fitting_case)

# The credentials of the test running now: the cookies and headers a signed-in client
# sends (see `signed_in` and `with_token`).
credentials: dict[str, dict[str, str]] = {}


class SignedIn:
    """Sends `credentials`. Known to schemathesis as the schema's SessionAuth and
    TokenAuth, so that its `ignored_auth` check also tries an operation without them, or
    with made-up ones."""

    def get(self, case, ctx):
        return credentials or None

    def set(self, case, data, ctx):
        case.cookies = {**(case.cookies or {}), **data["cookies"]}
        case.headers = {**(case.headers or {}), **data["headers"]}


schema.auth(refresh_interval=None)(SignedIn)
workflow_schema.auth(refresh_interval=None)(SignedIn)


def sign_in(case) -> None:
    case.operation.schema.auth.set(
        case, schemathesis.AuthContext(operation=case.operation, app=application)
    )


@pytest.fixture
def fuzzed(db):
    """The person the requests are sent as, with the test's library (the wind-down routine
    of one knee-hug), a practice and a check-in."""
    person = make_person(email="fuzz@example.org")
    routine = make_routine(
        slug=fuzz_helpers.ROUTINE, techniques=[make_technique(slug=fuzz_helpers.TECHNIQUE)]
    )
    make_practice(person, routine=routine, id=PRACTICE_ID)
    checkin_record(
        person=person,
        kind="anytime",
        recorded_at=timezone.now(),
        values={"pain": 3},
        checkin_id=CHECKIN_ID,
    )
    return person


@contextlib.contextmanager
def sending_as(cookies: dict[str, str], headers: dict[str, str]):
    """Requests through the WSGI application carry these credentials, and run on the test's
    own database connection."""
    credentials.update(cookies=cookies, headers=headers)
    # As Django's test client does while it sends a request (so only once done with it):
    # the end of a request must not close the connection that holds the test's transaction.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)
        credentials.clear()


@pytest.fixture
def signed_in(fuzzed):
    """Signed in with the session, as the web app is: its cookie, and the CSRF token that
    a page of the site gives, sent back in the X-CSRFToken header."""
    client = Browser()
    client.force_login(fuzzed)
    client.get("/play/history/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: token,
    }
    with sending_as(cookies, {"X-CSRFToken": token}):
        yield


@pytest.fixture
def with_token(fuzzed):
    """Signed in as a script is: a read-and-write token, and no cookie."""
    _, token = token_create(person=fuzzed, name="fuzz", scope="write")
    with sending_as({}, {"Authorization": f"Bearer {token}"}):
        yield


def test_the_schema_fuzzed_is_the_one_served(fuzzed):
    served = Browser().get("/api/schema")
    assert served.json() == served_schema


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
    sign_in(case)
    # Answers uncompressed: the WSGI transport does not unzip them.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})


def test_the_answers_to_good_requests_fit_the_schema_too(signed_in):
    """Requests generated one operation at a time rarely get past the server's own checks
    (a routine it has, a time in the last year), so the answers to successful ones are
    checked here too."""
    from tests.diary.test_checkin_api import body as checkin_body
    from tests.player.test_practice_api import practice_body

    def sent(path, method, expected, **data):
        case = schema[path][method].Case(**data)
        sign_in(case)
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
    from backcoach.player import services
    from tests.player.test_practice_api import practice_body

    def broken(**kwargs):
        raise RuntimeError("planted fault")

    monkeypatch.setattr(services, "practice_record", broken)
    case = schema["/api/practices/"]["POST"].Case(body=practice_body())
    sign_in(case)
    with pytest.raises(FailureGroup, match="Server error"):
        case.call_and_validate(headers={"Accept-Encoding": "identity"})


def not_refused_while_signed_in(ctx, response, case):
    """A request sent with the person's credentials is never refused as signed out (401)
    or forbidden (403): a write token writes, and so does a session that sends its CSRF
    token. (schemathesis's own `ignored_auth` check tries the same request without them.)"""
    if response.status_code in (401, 403):
        raise AssertionError(
            f"Refused although signed in: {response.status_code} {response.text[:200]}"
        )


class Workflow(workflow_schema.as_state_machine()):
    """Scenarios of requests in which a change goes to an id an earlier answer gave. Each
    starts from the fixture's rows: what it recorded is rolled back at its end, so that a
    scenario runs the same whichever ran before it (and when Hypothesis runs it again)."""

    # The operations whose PATCH changed a practice or check-in that the same scenario
    # had recorded (201), and how many answers of each status each operation gave.
    changed_what_it_made: ClassVar[set[str]] = set()
    answers: ClassVar[Counter] = Counter()

    def setup(self):
        self.made: set[str] = set()
        self.savepoint = transaction.savepoint()

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def before_call(self, case):
        sign_in(case)

    def get_call_kwargs(self, case):
        # Answers uncompressed: the WSGI transport does not unzip them.
        return {"headers": {"Accept-Encoding": "identity"}}

    def after_call(self, response, case):
        super().after_call(response, case)
        label = case.operation.label
        Workflow.answers[label, response.status_code] += 1
        if case.method == "POST" and response.status_code == 201:
            self.made.add(response.json()["id"])
        ids = {str(value) for value in (case.path_parameters or {}).values()}
        if case.method == "PATCH" and response.status_code == 200 and ids & self.made:
            Workflow.changed_what_it_made.add(label)

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        checks = [not_refused_while_signed_in, *(additional_checks or [])]
        super().validate_response(response, case, additional_checks=checks, **kwargs)


def scenarios(*, shrink: bool = True):
    """Hypothesis's settings for the stateful run: the same scenarios every run; a
    failure's is shrunk to the fewest steps that show it."""
    return hypothesis_settings(
        max_examples=SCENARIOS,
        stateful_step_count=STEPS,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink] if shrink else [Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def run_workflow(*, shrink: bool = True) -> None:
    Workflow.changed_what_it_made.clear()
    Workflow.answers.clear()
    Workflow.run(settings=scenarios(shrink=shrink))


def assert_it_changed_what_it_made() -> None:
    """The run got past the server's checks: it recorded a practice and a check-in, and
    changed each by the id its answer gave."""
    reached = {f"PATCH {fuzz_helpers.PRACTICE}", f"PATCH {fuzz_helpers.CHECKIN}"}
    assert Workflow.changed_what_it_made == reached, sorted(Workflow.answers.items())


def posted_checkin(**headers):
    case = workflow_schema["/api/checkins/"]["POST"].Case(
        body={"kind": "anytime", "recorded_at": timezone.now().isoformat(), "pain": 2},
        cookies=credentials["cookies"],
        headers=headers,
    )
    return case.call(headers={"Accept-Encoding": "identity"})


def test_a_session_and_its_csrf_token_work_through_the_api_statefully(signed_in):
    # The CSRF check is live where the run's requests go: the session's cookie alone does
    # not write.
    refused = posted_checkin()
    assert refused.status_code == 403, refused.text
    assert posted_checkin(**credentials["headers"]).status_code == 201
    run_workflow()
    assert_it_changed_what_it_made()


def test_a_write_token_works_through_the_api_statefully(with_token):
    assert credentials["cookies"] == {}
    run_workflow()
    assert_it_changed_what_it_made()


def test_the_stateful_run_catches_a_token_refused_as_a_csrf_failure(with_token, monkeypatch):
    """The test of the test: the fault that the token's CSRF failure was, planted again."""
    from ninja.errors import HttpError

    from backcoach.api.tokens import SAFE_METHODS, TokenAuth

    authenticate = TokenAuth.authenticate

    def refused_on_writes(self, request, token):
        if request.method not in SAFE_METHODS:
            raise HttpError(403, "CSRF check Failed")
        return authenticate(self, request, token)

    monkeypatch.setattr(TokenAuth, "authenticate", refused_on_writes)
    with pytest.raises(FailureGroup, match="Refused although signed in: 403"):
        run_workflow(shrink=False)


def test_the_stateful_run_catches_a_server_error_in_rating_a_practice(signed_in, monkeypatch):
    """The test of the test: a fault that only a PATCH of a practice that exists reaches
    (the operation finds the practice before it rates it) fails the run."""
    from backcoach.player import services

    def broken(**kwargs):
        raise RuntimeError("planted fault")

    monkeypatch.setattr(services, "practice_rate_after", broken)
    with pytest.raises(FailureGroup, match="Server error"):
        run_workflow(shrink=False)
