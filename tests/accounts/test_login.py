import pytest
from axes.models import AccessAttempt
from django.urls import reverse

LOGIN = reverse("accounts:login")


@pytest.mark.django_db
def test_it_logs_in_with_email_in_any_case(client, person, password):
    response = client.post(LOGIN, {"username": "OWNER@example.org", "password": password})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == person


@pytest.mark.django_db
def test_it_refuses_a_wrong_password_with_a_clear_message(client, person):
    response = client.post(LOGIN, {"username": person.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_pauses_logins_after_five_failures(client, person, password):
    for _ in range(5):
        client.post(LOGIN, {"username": person.email, "password": "wrong-password"})
    response = client.post(LOGIN, {"username": person.email, "password": password})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_lockout_for_one_account_does_not_lock_out_another(client, person, stranger, password):
    for _ in range(5):
        client.post(LOGIN, {"username": person.email, "password": "wrong-password"})
    response = client.post(LOGIN, {"username": stranger.email, "password": password})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(client, person, password):
    for _ in range(3):
        client.post(LOGIN, {"username": person.email, "password": "wrong-password"})
    client.post(LOGIN, {"username": person.email, "password": password})
    assert not AccessAttempt.objects.filter(username=person.email).exists()


@pytest.mark.django_db
def test_it_follows_next_only_within_the_site(client, person, password):
    response = client.post(
        LOGIN + "?next=https://evil.example/",
        {"username": person.email, "password": password, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_logging_out_needs_a_post(person_client):
    assert person_client.get(reverse("accounts:logout")).status_code == 405
    response = person_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in person_client.session


@pytest.mark.django_db
def test_session_cookies_are_http_only_and_same_site(client, person, password):
    response = client.post(LOGIN, {"username": person.email, "password": password})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_failures_count_per_address_whatever_its_case(client, person, password):
    for variant in [
        "OWNER@example.org",
        "Owner@Example.org ",
        "owner@EXAMPLE.org",
        "owner@example.org",
        "OWNER@EXAMPLE.ORG",
    ]:
        client.post(LOGIN, {"username": variant, "password": "wrong-password"})
    assert AccessAttempt.objects.get().username == "owner@example.org"
    response = client.post(LOGIN, {"username": person.email, "password": password})
    assert response.status_code == 429
