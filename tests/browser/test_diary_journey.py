"""A person checks in on a phone in the morning with a handful of taps, and weekly."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from backcoach.diary.models import Checkin
from tests.browser.checks import assert_accessible
from tests.factories import make_person


def log_in(page: Page, site: str, email: str) -> None:
    page.goto(site + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("correct-horse-battery-9")
    page.get_by_role("button", name="Log in").click()


def back_online(page: Page) -> None:
    """Reconnects and waits (up to 5 s) for the queued check-in to reach the server."""
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    for _ in range(50):
        if Checkin.objects.exists():
            return
        page.wait_for_timeout(100)


@pytest.mark.django_db(transaction=True)
def test_a_morning_checkin_takes_a_handful_of_taps_on_a_phone(page: Page, site):
    person = make_person(email="morning@example.org")
    log_in(page, site, person.email)
    page.goto(site + "/diary/morning/")
    expect(page.get_by_role("heading", name="Good morning")).to_be_visible()
    assert_accessible(page)

    taps = [
        page.get_by_role("group", name="Your back pain right now").get_by_text("3", exact=True),
        page.get_by_text("Lower back, centre"),
        page.get_by_text("About 15 min"),
        page.get_by_text("Good", exact=True),
        page.get_by_text("A few minutes"),
        page.get_by_role("button", name="Save"),
    ]
    for target in taps:
        box = target.bounding_box()
        assert box["height"] >= 40, f"{target} is a small target: {box}"
        target.click()
    expect(page.get_by_text("Morning check-in saved")).to_be_visible()
    checkin = Checkin.objects.get(person=person)
    assert (checkin.pain, checkin.pain_areas) == (3, ["lower-back-centre"])
    assert (checkin.sleep_onset_minutes, checkin.sleep_quality, checkin.stiffness_minutes) == (
        15,
        4,
        5,
    )
    expect(page.get_by_role("link", name="Morning check-in")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_the_scales_work_by_keyboard(page: Page, site):
    person = make_person(email="keys@example.org")
    log_in(page, site, person.email)
    page.goto(site + "/diary/now/")
    page.get_by_role("radio", name="0").first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # pain 2
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # tension: the first arrow picks 1
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Noted.")).to_be_visible()
    checkin = Checkin.objects.get(person=person)
    assert (checkin.pain, checkin.tension) == (2, 1)


@pytest.mark.django_db(transaction=True)
def test_the_weekly_checkin_shows_how_to_do_the_bend_test(page: Page, site):
    person = make_person(email="weekly@example.org")
    log_in(page, site, person.email)
    page.goto(site + "/diary/weekly/")
    page.get_by_text("How to do the fingertip-to-floor test").click()
    expect(page.get_by_role("img", name="The fingertip-to-floor test")).to_be_visible()
    assert_accessible(page)
    for question, answer in (("on average in the past week", "5"), ("enjoyment", "4")):
        page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()
    page.get_by_role("group", name="general activity").get_by_text("3", exact=True).click()
    page.get_by_label("Fingertip-to-floor distance (cm)").fill("12.5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Weekly check-in saved")).to_be_visible()
    checkin = Checkin.objects.get(person=person)
    assert (checkin.peg_score, checkin.fingertip_floor_cm) == (4.0, 12.5)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_morning_checkin_made_offline_uploads_once(page: Page, site, page_problems):
    person = make_person(email="offline@example.org")
    log_in(page, site, person.email)
    page.goto(site + "/diary/morning/")
    page_problems.allow("Failed to fetch")
    page_problems.allow("ERR_INTERNET_DISCONNECTED")
    page.context.set_offline(True)
    page.get_by_role("group", name="Your back pain right now").get_by_text("5", exact=True).click()
    page.get_by_text("About 30 min").click()
    page.get_by_text("Fair", exact=True).click()
    page.get_by_text("None", exact=True).click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#checkin-offline-status")).to_contain_text("Saved on this phone")
    assert not Checkin.objects.exists()

    back_online(page)
    checkin = Checkin.objects.get(person=person)
    assert (checkin.pain, checkin.sleep_onset_minutes, checkin.sleep_quality) == (5, 30, 3)
    assert checkin.stiffness_minutes == 0
    page.goto(site + "/diary/")  # another page load flushes again: nothing is sent twice
    expect(page.get_by_text("Pain 5/10")).to_be_visible()
    assert Checkin.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_checkin_made_offline_on_a_phone_whose_clock_is_fast_is_kept(
    page: Page, site, page_problems
):
    person = make_person(email="fast-clock@example.org")
    log_in(page, site, person.email)
    page.clock.install(time=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=25))
    page.goto(site + "/diary/now/")
    page_problems.allow("Failed to fetch")
    page_problems.allow("ERR_INTERNET_DISCONNECTED")
    page.context.set_offline(True)
    page.get_by_role("group", name="Pain now, 0 (none) to 10 (worst imaginable)").get_by_text(
        "6", exact=True
    ).click()
    page.get_by_role(
        "group", name="Tension or tightness now, 0 (none) to 10 (worst imaginable)"
    ).get_by_text("4", exact=True).click()
    page.get_by_role("button", name="Save").click()
    page.clock.run_for(2_000)
    expect(page.locator("#checkin-offline-status")).to_contain_text("Saved on this phone")

    back_online(page)
    checkin = Checkin.objects.get(person=person)
    assert checkin.pain == 6
    assert -25 * 60 - 30 <= checkin.clock_corrected_seconds <= -25 * 60 + 30
    assert abs(checkin.recorded_at - timezone.now()) < dt.timedelta(minutes=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_three_weeks_of_mornings_through_the_forms_fill_the_progress_page(
    page: Page, site, monkeypatch
):
    """The server's clock is moved a day at a time (the live server runs in this process),
    and each morning is answered through the real form."""
    import datetime as dt

    from django.utils import timezone

    person = make_person(email="weeks@example.org")
    log_in(page, site, person.email)
    start, real_now = timezone.now() - dt.timedelta(days=21), timezone.now

    def morning(day: int, pain: int) -> None:
        moment = start + dt.timedelta(days=day)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        page.goto(site + "/diary/morning/")
        group = page.get_by_role("group", name="Your back pain right now")
        group.get_by_text(str(pain), exact=True).click()
        page.get_by_text("About 15 min").click()
        page.get_by_text("Good", exact=True).click()
        page.get_by_text("None", exact=True).click()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Morning check-in saved")).to_be_visible()

    for day in range(7):
        morning(day, pain=6)
    page.goto(site + "/progress/")
    first_week = page.locator("[data-summary=pain]").inner_text()
    assert "7 days" in first_week
    expect(page.get_by_role("img", name="Pain by day, 0 to 10")).to_be_visible()

    for day in range(7, 21):
        morning(day, pain=3)
    monkeypatch.setattr(timezone, "now", real_now)
    page.goto(site + "/progress/")
    three_weeks = page.locator("[data-summary=pain]").inner_text()
    assert "21 days" in three_weeks and three_weeks != first_week
    expect(page.get_by_role("img", name="Minutes to fall asleep, by night")).to_be_visible()
    page.get_by_text("The numbers: pain by day").click()
    expect(page.get_by_role("table").first).to_contain_text("3.0")
    assert Checkin.objects.filter(person=person).count() == 21
    assert_accessible(page)
