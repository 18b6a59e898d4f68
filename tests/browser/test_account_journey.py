"""A new person signs up, logs out and in, changes their password and deletes the account."""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from backcoach.accounts.models import Person
from tests.browser.checks import assert_accessible
from tests.factories import make_person

PASSWORD = "a-long-good-password-42"
NEW_PASSWORD = "an-even-better-password-77"


def sign_up(page: Page, site: str, email: str = "robin@example.org") -> None:
    page.goto(site + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Create your account").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label("Usual bedtime").fill("23:00")
    page.get_by_role("button", name="Create account").click()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_new_person_goes_from_sign_up_to_account_deletion(page: Page, site):
    sign_up(page, site)
    expect(page.get_by_role("heading", name="A quick safety check")).to_be_visible()
    expect(page.get_by_text("Welcome to backcoach.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="No warning signs")).to_be_visible()
    page.get_by_role("link", name="backcoach").click()
    expect(page.get_by_role("heading", name="Good to see you, robin.")).to_be_visible()
    expect(page.get_by_text("23:00")).to_be_visible()
    assert_accessible(page)
    person = Person.objects.get(email="robin@example.org")
    assert person.time_zone == "Europe/Berlin"  # detected from the browser

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Create your account")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Log in").click()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("Robin@Example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Good to see you, robin.")).to_be_visible()

    page.get_by_role("link", name="Settings").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change your password").click()
    assert_accessible(page)
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    assert_accessible(page)
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Delete my account…").click()
    assert_accessible(page)
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.get_by_text("That is not your password. Nothing was deleted.")).to_be_visible()
    assert_accessible(page)
    assert Person.objects.filter(email="robin@example.org").exists()
    page.get_by_label("Your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.get_by_text("Your account and all your data are deleted.")).to_be_visible()
    assert not Person.objects.filter(email="robin@example.org").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("context", [{"timezone_id": "Asia/Tokyo"}], indirect=True)
def test_sign_up_detects_the_devices_time_zone(page: Page, site):
    sign_up(page, site, email="kenji@example.org")
    page.goto(site + "/")
    expect(page.get_by_text("Asia/Tokyo")).to_be_visible()
    assert Person.objects.get(email="kenji@example.org").time_zone == "Asia/Tokyo"


@pytest.mark.django_db(transaction=True)
def test_sign_up_errors_are_shown_next_to_their_fields(page: Page, site):
    make_person(email="taken@example.org")
    page.goto(site + "/accounts/signup/")
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password confirmation").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(page.get_by_text("This password is too short.")).to_be_visible()
    assert_accessible(page)
    assert Person.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_person_confirms_their_address_by_the_emailed_link(page: Page, site):
    make_person(email="owner@example.org")
    mail.outbox.clear()
    sign_up(page, site, email="sam@example.org")
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_accessible(page)
    (message,) = mail.outbox
    link = next(line for line in message.body.splitlines() if "/signup/confirm/" in line)
    page.goto(link)
    expect(page.get_by_role("heading", name="Confirm your account")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill("a-wrong-guess-000")
    page.keyboard.press("Enter")
    expect(page.get_by_text("That is not the password this sign-up was made with.")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm and start").click()
    expect(page.get_by_role("heading", name="A quick safety check")).to_be_visible()
    expect(page.get_by_text("Welcome to backcoach.")).to_be_visible()
    assert Person.objects.get(email="sam@example.org").is_active


@pytest.mark.django_db(transaction=True)
def test_the_whole_sign_up_works_by_keyboard_alone(page: Page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="backcoach")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Library")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Sign up")).to_be_focused()
    page.keyboard.press("Enter")
    # The e-mail field has focus on arrival; the rest is Tab and typing.
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.keyboard.type("kay@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Your time zone")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Usual bedtime")).to_be_focused()
    # A time input takes one Tab per part (hours, minutes, picker) before focus moves on.
    submit = page.get_by_role("button", name="Create account")
    for _ in range(5):
        page.keyboard.press("Tab")
        if submit.evaluate("button => button === document.activeElement"):
            break
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="A quick safety check")).to_be_visible()
    page.goto(site + "/")
    expect(page.get_by_role("heading", name="Good to see you, kay.")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    expect(page.locator("main")).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_pages_are_dark_at_bedtime_and_fit_a_phone(page: Page, site):
    page.goto(site + "/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(part) for part in background[4:-1].split(",")[:3])
    assert max(red, green, blue) < 40, background
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_other_pages_pass_the_accessibility_audit(page: Page, site):
    for path in ["/accounts/login/", "/accounts/password/reset/", "/no/such/page/"]:
        page.goto(site + path)
        assert_accessible(page)
    page.goto(site + "/accounts/password/reset/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_too_many_wrong_passwords_pause_logging_in(page: Page, site):
    make_person(email="pat@example.org")
    page.goto(site + "/accounts/login/")
    for _ in range(5):
        page.get_by_label("E-mail address").fill("pat@example.org")
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many attempts")).to_be_visible()
    assert_accessible(page)
