import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from backcoach.accounts.models import Person

URL = reverse("accounts:delete")


@pytest.mark.django_db
def test_it_deletes_the_account_and_logs_out(person_client, person, password):
    response = person_client.post(URL, {"password": password})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    page = person_client.get(reverse("home")).content.decode()
    assert "all your data are deleted" in page
    assert "Create your account" in page


@pytest.mark.django_db
def test_it_leaves_other_people_alone(person_client, stranger, password):
    person_client.post(URL, {"password": password})
    assert Person.objects.filter(pk=stranger.pk).exists()


@pytest.mark.django_db
def test_it_forgets_failed_login_attempts_for_the_address(client, person, password):
    client.post(reverse("accounts:login"), {"username": person.email, "password": "nope-nope"})
    assert AccessAttempt.objects.filter(username=person.email).exists()
    client.force_login(person)
    client.post(URL, {"password": password})
    assert not AccessAttempt.objects.filter(username=person.email).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["", "wrong-password", "x" * 10_000])
def test_it_refuses_without_the_right_password(person_client, person, given):
    response = person_client.post(URL, {"password": given})
    assert response.status_code == 200
    assert Person.objects.filter(pk=person.pk).exists()
    assert response.context["form"].errors["password"]


@pytest.mark.django_db
def test_it_explains_what_will_be_deleted(person_client):
    page = person_client.get(URL).content.decode()
    assert "cannot be undone" in page
