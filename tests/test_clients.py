"""Every test's client is held to the CSRF check (tests/clients.py), so that no test can
pass where a real browser or script would be refused."""

import ast
import pathlib

import pytest
from django.urls import reverse

from tests.clients import Browser

TESTS = pathlib.Path(__file__).parent
# Django's clients that skip the CSRF check, and pytest-django's fixtures that hand them out.
UNCHECKED = {"Client", "AsyncClient"}
UNCHECKED_FIXTURES = {"admin_client", "async_client"}


def uses_of_unchecked_clients(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.test"):
            found += [
                f"line {node.lineno}: imports {a.name}" for a in node.names if a.name in UNCHECKED
            ]
        if isinstance(node, ast.Attribute) and node.attr in UNCHECKED:
            found.append(f"line {node.lineno}: uses {node.attr}")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = {a.arg for a in node.args.args + node.args.kwonlyargs}
            found += [
                f"line {node.lineno}: asks for {n}" for n in sorted(names & UNCHECKED_FIXTURES)
            ]
    return found


def test_no_test_uses_a_client_that_skips_the_csrf_check():
    problems = [
        f"{path.relative_to(TESTS)} {use}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "clients.py"
        for use in uses_of_unchecked_clients(path.read_text())
    ]
    assert problems == []


def test_the_check_of_the_check_finds_a_plain_client():
    planted = "from django.test import Client\n\ndef test_x(admin_client):\n    Client()\n"
    assert len(uses_of_unchecked_clients(planted)) == 2
    assert uses_of_unchecked_clients("import django.test\ndjango.test.Client()\n")


@pytest.mark.django_db
def test_a_browser_that_never_loaded_a_page_is_refused_and_one_that_did_is_not(person):
    signed_in = Browser()
    signed_in.force_login(person)
    del signed_in.cookies["csrftoken"]
    refused = signed_in.post(reverse("accounts:settings"), {"name": "Changed"})
    assert refused.status_code == 403
    signed_in.get(reverse("accounts:settings"))  # the page gives the browser its token
    form = signed_in.get(reverse("accounts:settings")).context["form"]
    data = {**form.initial, "name": "Changed"}
    data = {key: value for key, value in data.items() if value is not None}
    assert signed_in.post(reverse("accounts:settings"), data).status_code == 302
    person.refresh_from_db()
    assert person.name == "Changed"
