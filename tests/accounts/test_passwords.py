import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import client_for


@pytest.mark.django_db
def test_changing_the_password_keeps_this_device_logged_in(person_client, person, password):
    response = person_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "brand-new-secret-77",
            "new_password2": "brand-new-secret-77",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    person.refresh_from_db()
    assert person.check_password("brand-new-secret-77")
    assert person_client.get(reverse("home")).context["user"] == person


@pytest.mark.django_db
def test_changing_the_password_logs_out_other_devices(person, password):
    phone, laptop = client_for(person), client_for(person)
    phone.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "brand-new-secret-77",
            "new_password2": "brand-new-secret-77",
        },
    )
    assert laptop.get(reverse("accounts:settings")).status_code == 302


@pytest.mark.django_db
def test_it_refuses_a_wrong_old_password(person_client, person, password):
    response = person_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "not-it",
            "new_password1": "brand-new-secret-77",
            "new_password2": "brand-new-secret-77",
        },
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.check_password(password)


@pytest.mark.django_db
def test_a_reset_link_by_email_sets_a_new_password(client, person):
    response = client.post(reverse("accounts:password_reset"), {"email": "Owner@Example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "reset-secret-4242", "new_password2": "reset-secret-4242"}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    person.refresh_from_db()
    assert person.check_password("reset-secret-4242")
    # A used link does not work twice.
    assert "does not work" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_a_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_forged_reset_link_is_refused(client, person):
    response = client.get(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "set-password"})
    )
    assert response.status_code == 200
    assert "does not work" in response.content.decode()
