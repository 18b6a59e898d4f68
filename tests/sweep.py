"""The access sweep: every URL pattern, requested by people who must not reach the owner's data.

It finds URL patterns by walking the resolver, so a view added later is swept without
editing this file. What it cannot do by itself is build a value for a URL parameter it has
never seen (a practice id, say): such a route fails with a message asking to teach it, in
PARAMETERS below, how to make that value from the owner's data.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize

from backcoach.accounts.models import Person
from backcoach.accounts.services import email_change_token
from backcoach.diary.models import CheckinRevision
from tests.clients import Browser
from tests.factories import PASSWORD, make_checkin, make_person, make_practice, make_routine

# Appears in every piece of text the owner owns; it must never reach anyone else.
MARKER = "owner-secret-5e1f"
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Models that record facts about requests rather than data a person owns.
NOT_OWNED = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "admin.logentry"}


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the regex of each level from the root down."""

    description: str
    regexes: tuple[str, ...]
    params: tuple[str, ...]
    callback: Callable = field(compare=False)

    def __str__(self) -> str:
        return self.description


def all_routes(urlconf: str | None = None) -> list[Route]:
    found: list[Route] = []

    def walk(patterns, regexes, names, namespace):
        for entry in patterns:
            regex = entry.pattern.regex.pattern
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                walk(entry.url_patterns, (*regexes, regex), names, ns)
            elif isinstance(entry, URLPattern):
                levels = (*regexes, regex)
                params = tuple(name for level in levels for name in re.compile(level).groupindex)
                label = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                route_text = "".join(strip_anchors(level) for level in levels)
                found.append(
                    Route(f"{label or 'unnamed'} /{route_text}", levels, params, entry.callback)
                )

    walk(get_resolver(urlconf).url_patterns, (), (), None)
    # Several patterns can share one address (an API path with a view per method): the
    # first one is what answers, so each address is swept once.
    unique, seen = [], set()
    for route in found:
        if route.regexes not in seen:
            seen.add(route.regexes)
            unique.append(route)
    return unique


def strip_anchors(regex: str) -> str:
    return regex.removeprefix("^").removesuffix(r"\Z").removesuffix("$")


def concrete_url(route: Route, values: dict[str, str]) -> str:
    parts = []
    for level in route.regexes:
        for fmt, names in normalize(strip_anchors(level)):
            if set(names) <= set(values):
                parts.append(fmt % {name: values[name] for name in names})
                break
        else:
            raise LookupError(f"cannot fill {level!r} from {sorted(values)}")
    return "/" + "".join(parts)


# How to make each URL parameter from the owner's data: name -> f(owner, data) -> value.
PARAMETERS: dict[str, Callable[[Person, dict], str]] = {
    # Password reset links: the stranger knows the owner's id, never the emailed token.
    "uidb64": lambda owner, data: urlsafe_base64_encode(force_bytes(owner.pk)),
    "token": lambda owner, data: "set-password",
    # The link that confirms a new e-mail address names its person: here, the owner.
    "email_token": lambda owner, data: email_change_token(owner, "new-address@example.org"),
    # The admin: its object pages, pointed at the owner's own rows.
    "app_label": lambda owner, data: "accounts",
    "object_id": lambda owner, data: str(owner.pk),
    "id": lambda owner, data: str(owner.pk),
    "content_type_id": lambda owner, data: str(ContentType.objects.get_for_model(Person).pk),
    "url": lambda owner, data: "no/such/admin/page/",
    # The API's answer for paths it does not have.
    "rest": lambda owner, data: "no/such/api/path",
    # The library is public content, not anyone's own: any existing slug will do.
    # The calendar feed's address is its secret: a stranger does not have the owner's.
    "feed_token": lambda owner, data: "not-the-owners-secret",
    # An e-mail's unsubscribe link is signed: a stranger cannot make the owner's.
    "unsubscribe_token": lambda owner, data: "not-the-owners-signed-token",
    "practice_id": lambda owner, data: str(data["practice"].pk),
    "checkin": lambda owner, data: str(data["checkin"].pk),
    "checkin_id": lambda owner, data: str(data["checkin"].pk),
    # Techniques are public content: any existing slug will do.
    "technique": lambda owner, data: data["routine"].steps.first().technique.slug,
    # The owner's own routine (built and saved): nobody else may see, play or change it.
    "routine": lambda owner, data: data["routine"].slug,
    "experiment": lambda owner, data: str(data["experiment"].pk),
    "access_token": lambda owner, data: str(data["access_token"].pk),
    # An audio track's name is a hash of what it says; tracks are not anyone's rows.
    "track": lambda owner, data: "0" * 64,
}


def seed_owner_data() -> tuple[Person, dict]:
    """The owner and one of everything they can own, each carrying MARKER in its text,
    and a library routine (public content) for their experiment."""
    from backcoach.diary.services import checkin_edit
    from backcoach.experiments.models import Experiment
    from backcoach.reminders.models import CalendarFeed, PushSubscription
    from backcoach.reminders.services import reminder_switch_on
    from backcoach.safety.models import FlareUp, HealthConditions, Screen

    owner = make_person(email=f"{MARKER}@example.org", name=f"Olive {MARKER}")
    routine = make_routine()
    own_routine = make_routine(
        slug="mine-0123456789ab",
        name=f"Evening {MARKER}",
        purpose="bedtime",
        owner=owner,
        saved=True,
    )
    owner.bedtime_routine = own_routine
    owner.save(update_fields=["bedtime_routine"])
    practice = make_practice(
        owner, routine=own_routine, days_ago=1 / 24, pain_before=6, note=f"felt {MARKER}"
    )
    CalendarFeed.objects.create(person=owner, lead_minutes=17)
    reminder_switch_on(person=owner, channel="email", site_url=f"https://{MARKER}.example.org/")
    PushSubscription.objects.create(
        person=owner,
        endpoint=f"https://fcm.googleapis.com/fcm/send/{MARKER}",
        p256dh="BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        auth="tBHItJI5svbpez7KI4CCXg",
        server_key="owner's browser's server key",
    )
    reminder_switch_on(person=owner, channel="push")
    HealthConditions.objects.create(person=owner, keys=["pregnancy"])
    Screen.objects.create(person=owner, answers={"fever": True}, outcome="soon", reason="signup")
    FlareUp.objects.create(person=owner, pain=7, note=f"after lifting {MARKER}")
    checkin = make_checkin(owner, note=f"slept badly {MARKER}")
    checkin_edit(checkin=checkin, values={"pain": 5})
    experiment = Experiment.objects.create(
        person=owner,
        question=Experiment.Question.TWO_ROUTINES,
        routine_a=routine,
        a_label=f"massage {MARKER}",
        b_label=f"stretch {MARKER}",
        outcome="pain",
        first_night=practice.started_at.date(),
        pairs=7,
        seed=42,
    )
    from backcoach.api.tokens import token_create

    access_token, _ = token_create(person=owner, name=f"script {MARKER}", scope="write")
    return owner, {
        "access_token": access_token,
        "practice": practice,
        "routine": own_routine,
        "checkin": checkin,
        "experiment": experiment,
    }


def owned_models() -> list[tuple[type[models.Model], str]]:
    """Every model with a foreign key to Person, with that key's name."""
    owned = []
    for model in apps.get_models():
        if model._meta.label_lower in NOT_OWNED or model is Person:
            continue
        for model_field in model._meta.get_fields():
            if (
                isinstance(model_field, models.ForeignKey | models.OneToOneField)
                and model_field.related_model is Person
            ):
                owned.append((model, model_field.name))
    return owned


def snapshot(owner: Person) -> dict[str, list]:
    """Every row the owner owns, as plain values, to compare before and after."""
    state = {"accounts.person": list(Person.objects.filter(pk=owner.pk).values())}
    for model, key in owned_models():
        rows = model._default_manager.filter(**{key: owner}).order_by("pk").values()
        state[f"{model._meta.label_lower}.{key}"] = list(rows)
    # Rows owned through a parent row.
    state["diary.checkinrevision"] = list(
        CheckinRevision.objects.filter(checkin__person=owner).order_by("pk").values()
    )
    return state


class FormFields(HTMLParser):
    """Collects the fields of the POST forms on a page, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.in_post_form = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        if tag == "form":
            self.in_post_form = (attr.get("method") or "get").lower() == "post"
        if not self.in_post_form:
            return
        name = attr.get("name")
        if tag == "input" and name:
            kind = (attr.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attr:
                    self.fields[name] = attr.get("value") or "on"
            elif kind == "password":
                self.fields[name] = PASSWORD
            elif kind not in {"submit", "button", "file"}:
                self.fields[name] = attr.get("value") or "sweep"
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            if self.select not in self.fields or "selected" in attr:
                self.fields[self.select] = attr.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data or "sweep"


def form_fields(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    return parser.fields


@dataclass
class Visit:
    who: str
    method: str
    status: int
    body: str
    writes: list[str]


def visit(client: Browser, who: str, method: str, url: str, data: dict | None = None) -> Visit:
    """One request; a form POST for POST, a JSON body for PATCH and PUT, none for the rest."""
    with CaptureQueriesContext(connection) as queries:
        if method == "GET":
            response = client.get(url)
        elif method == "POST":
            response = client.post(url, data or {})
        elif method in ("PATCH", "PUT"):
            response = client.generic(
                method, url, json.dumps(data or {}), content_type="application/json"
            )
        else:
            response = client.generic(method, url)
    body = response.content.decode(errors="replace") if not response.streaming else ""
    writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
    return Visit(who, method, response.status_code, body, writes)


# What a stranger sends with PATCH and PUT when the owner's page has no form to replay: the
# fields of the JSON API's writes.
JSON_WRITE = {"pain_after": 9, "tension_after": 9, "note": "changed", "name": "changed"}


def sweep_route(route: Route, parameters: dict | None = None) -> list[str]:
    """Request one route as the owner, a stranger and an anonymous visitor; list the problems."""
    parameters = {**PARAMETERS, **(parameters or {})}
    owner, data = seed_owner_data()
    stranger = make_person(email="stranger@example.org", name="Sam Stranger")
    missing = [name for name in route.params if name not in parameters]
    if missing:
        return [f"{route}: the sweep cannot build {missing}; teach it in tests/sweep.py PARAMETERS"]
    values = {name: parameters[name](owner, data) for name in route.params}
    url = concrete_url(route, values)
    if resolve(url).func != route.callback:
        return [f"{route}: {url} resolves to another view; fix its PARAMETERS entry"]

    problems = []
    owner_client = Browser(raise_request_exception=False)
    owner_client.force_login(owner)
    as_owner = visit(owner_client, "owner", "GET", url)
    if as_owner.status >= 500:
        problems.append(f"{route}: GET as the owner answered {as_owner.status}")
    if as_owner.writes:
        problems.append(f"{route}: GET as the owner wrote to the database: {as_owner.writes[0]}")
    # The owner's own form, as an attacker would replay it; without the marker, so that a
    # page echoing the attacker's own input is not mistaken for a leak.
    posted = {
        key: value.replace(MARKER, "replayed") for key, value in form_fields(as_owner.body).items()
    }

    stranger_client = Browser(raise_request_exception=False)
    stranger_client.force_login(stranger)
    before = snapshot(owner)
    for who, client in (
        ("a stranger", stranger_client),
        ("an anonymous visitor", Browser(raise_request_exception=False)),
    ):
        requests = [("GET", None), ("POST", {}), ("PATCH", JSON_WRITE), ("PUT", JSON_WRITE)]
        requests += [("DELETE", None)]
        if posted:
            requests += [("POST", posted), ("PATCH", posted)]
        for method, data in requests:
            attempt = visit(client, who, method, url, data)
            where = f"{route}: {attempt.method} {url} by {attempt.who}"
            if attempt.status >= 500:
                problems.append(f"{where} answered {attempt.status}")
            if MARKER in attempt.body:
                problems.append(f"{where} revealed the owner's data")
            if attempt.method == "GET" and attempt.writes:
                problems.append(f"{where} wrote to the database: {attempt.writes[0]}")
            if snapshot(owner) != before:
                problems.append(f"{where} changed the owner's data")
                before = snapshot(owner)
    return problems
