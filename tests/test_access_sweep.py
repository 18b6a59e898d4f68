"""Nobody but the owner reaches the owner's data, on any URL the project has or will have."""

import pytest
from django.test import override_settings

from backcoach.accounts.models import Person
from tests.sweep import MARKER, all_routes, owned_models, seed_owner_data, sweep_route


@pytest.mark.django_db
@pytest.mark.parametrize("route", all_routes(), ids=str)
def test_no_route_reveals_or_changes_the_owners_data(route):
    assert sweep_route(route) == []


def test_the_sweep_finds_the_projects_routes():
    found = {str(route).split(" ")[0] for route in all_routes()}
    assert {"home", "accounts:settings", "accounts:delete", "admin:index"} <= found


@pytest.mark.django_db
def test_the_sweep_seeds_every_kind_of_owned_data():
    """A new model owned by a person must get a row in seed_owner_data, or the sweep is blind."""
    owner, _ = seed_owner_data()
    for model, key in owned_models():
        rows = model._default_manager.filter(**{key: owner})
        assert rows.exists(), f"seed_owner_data makes no {model.__name__}; add one with {MARKER!r}"


# The test of the test: deliberately leaking views must be caught.
LEAKY = {str(route).split(" ")[0]: route for route in all_routes("tests.leaky_urls")}
PERSON_ID = {"person_id": lambda owner, data: str(owner.pk)}


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.leaky_urls")
def test_it_catches_a_view_that_shows_another_persons_data():
    problems = sweep_route(LEAKY["leak-show"], PERSON_ID)
    assert any("by a stranger revealed the owner's data" in problem for problem in problems)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.leaky_urls")
def test_it_catches_a_view_that_changes_another_persons_data():
    problems = sweep_route(LEAKY["leak-rename"], PERSON_ID)
    assert any(
        "POST" in problem and "by a stranger changed the owner's data" in problem
        for problem in problems
    )


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.leaky_urls")
def test_it_catches_a_patch_or_delete_that_changes_another_persons_data():
    problems = sweep_route(LEAKY["leak-api"], PERSON_ID)
    changed = [problem for problem in problems if "by a stranger changed" in problem]
    assert any(" PATCH " in problem for problem in changed), problems
    assert any(" DELETE " in problem for problem in changed), problems


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.leaky_urls")
def test_it_catches_a_read_that_writes():
    problems = sweep_route(LEAKY["leak-touch"])
    assert any("GET as the owner wrote to the database" in problem for problem in problems)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.leaky_urls")
def test_it_catches_a_server_error():
    problems = sweep_route(LEAKY["leak-crash"])
    assert any("answered 500" in problem for problem in problems)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.leaky_urls")
def test_it_asks_to_be_taught_an_unknown_parameter():
    problems = sweep_route(LEAKY["leak-show"])
    assert problems == [
        f"{LEAKY['leak-show']}: the sweep cannot build ['person_id']; "
        "teach it in tests/sweep.py PARAMETERS"
    ]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.leaky_urls")
def test_it_passes_the_real_views_in_the_same_urlconf():
    assert sweep_route(LEAKY["accounts:settings"]) == []
    assert Person.objects.filter(name__contains=MARKER).count() == 1
