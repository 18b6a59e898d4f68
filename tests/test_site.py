import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_welcome_page_says_what_backcoach_is(client):
    page = client.get("/").content.decode()
    assert "bedtime self-massage" in page
    assert reverse("accounts:signup") in page


@pytest.mark.django_db
def test_the_home_page_says_what_comes_next(person_client, person):
    page = person_client.get("/").content.decode()
    assert "Good to see you, Olive Owner" in page
    assert "22:30" in page
    assert "Start tonight&#x27;s routine" in page or "Start tonight's routine" in page


@pytest.mark.django_db
def test_an_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_health_answers_ok(client):
    response = client.get(reverse("health"))
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_a_form_without_a_csrf_token_is_refused_politely(person):
    from tests.clients import Browser

    client = Browser(cross_site=True)
    client.force_login(person)
    response = client.post(reverse("accounts:settings"), {"name": "Hacked"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    person.refresh_from_db()
    assert person.name == "Olive Owner"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles(client, person_client):
    import re

    for page_client, url in [
        (client, "/"),
        (client, reverse("accounts:signup")),
        (person_client, "/"),
        (person_client, reverse("accounts:settings")),
    ]:
        html = page_client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html, url
        assert " style=" not in html, url


@pytest.mark.django_db
def test_pages_are_compressed_for_browsers_that_accept_it(person_client):
    response = person_client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
