"""The red-flag screen in the browser: urgent stops, caution slows, rising pain asks again."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from backcoach.library import content, services
from backcoach.safety.models import Screen
from tests.browser.checks import assert_accessible
from tests.factories import record_pain

PASSWORD = "a-long-good-password-42"


@pytest.fixture
def library(transactional_db):
    services.library_load(library=content.load_library())


def sign_up(page: Page, site: str, email: str) -> None:
    page.goto(site + "/accounts/signup/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="A quick safety check")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_an_urgent_flag_at_sign_up_blocks_routines_and_says_to_seek_care(page: Page, site, library):
    sign_up(page, site, "urgent@example.org")
    page.get_by_label("New trouble passing urine").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Seek emergency care now")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Do not do the routine")
    assert_accessible(page)
    page.goto(site + "/play/tonight/")
    expect(page.get_by_role("heading", name="Seek emergency care now")).to_be_visible()
    page.goto(site + "/play/bedtime-back-self-massage/")
    expect(page.get_by_role("heading", name="Seek emergency care now")).to_be_visible()
    assert Screen.objects.get().outcome == "urgent"

    page.get_by_role("button", name="I have been assessed").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("A doctor or other clinician has assessed me").check()
    page.get_by_role("button", name="I have been assessed").click()
    page.goto(site + "/play/tonight/")
    expect(page.get_by_role("button", name="Start")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_caution_gives_the_gentle_routine_and_a_banner(page: Page, site, library):
    sign_up(page, site, "careful@example.org")
    page.get_by_label("A fever, chills or night sweats").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="See a clinician soon")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Continue to a gentle routine").click()
    expect(
        page.get_by_role("heading", name="Gentle flare-up routine").or_(
            page.get_by_role("heading", level=1)
        )
    ).to_be_visible()
    assert "flare" in page.url
    expect(page.get_by_role("complementary", name="Safety notice")).to_contain_text(
        "Your safety check asked you to see a clinician"
    )
    page.goto(site + "/library/build/?minutes=10&pain=2")
    expect(page.get_by_text("So this one is made of gentle techniques only")).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_practice_pain_rising_three_points_in_a_week_asks_the_screen_again(
    page: Page, site, library
):
    sign_up(page, site, "rising@example.org")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="No warning signs")).to_be_visible()
    screen = Screen.objects.get()
    Screen.objects.update(answered_at=timezone.now() - dt.timedelta(days=6))
    for days_ago, pain in ((5, 2), (1, 5)):
        record_pain(screen.person, days_ago=days_ago, pain=pain)
    page.goto(site + "/play/tonight/")
    expect(page.get_by_role("heading", name="A quick safety check")).to_be_visible()
    expect(page.get_by_text("Your pain has risen sharply")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="No warning signs")).to_be_visible()
    assert Screen.objects.order_by("-answered_at").first().reason == "pain-rise"
    page.goto(site + "/play/tonight/")
    expect(page.get_by_role("button", name="Start")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_flare_up_button_logs_it_and_the_pages_pass_the_audit(page: Page, site, library):
    sign_up(page, site, "flare@example.org")
    page.get_by_role("button", name="Continue").click()
    page.goto(site + "/")
    page.get_by_role("link", name="My back has flared up").click()
    expect(page.get_by_role("heading", name="Your flare-up plan")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your pain right now").fill("7")
    page.get_by_role("button", name="Log flare-up").click()
    expect(page.get_by_text("Flare-up noted.")).to_be_visible()
    page.goto(site + "/safety/evidence/")
    expect(page.get_by_role("heading", name="Is this backed by evidence?")).to_be_visible()
    assert_accessible(page)
    page.goto(site + "/safety/conditions/")
    assert_accessible(page)
