"""A person starts a personal experiment, is told each night what to do (home page,
player, calendar), keeps their diary for four weeks and reads a fair verdict."""

import datetime as dt
import random

import icalendar
import pytest
from playwright.sync_api import Page, expect

from backcoach.experiments.models import Experiment
from backcoach.experiments.selectors import today_of
from backcoach.reminders.models import CalendarFeed
from tests.browser import test_player_journey as journey
from tests.browser.checks import assert_accessible
from tests.browser.test_player_journey import log_in
from tests.experiments.data import live_nights

# Its data goes through the database as a real one would (see tests/conftest.py).
pytestmark = pytest.mark.postgres

person = journey.person  # the fixture: screened, with the library loaded


def massage_helps(index: int, condition: str) -> dict:
    rng = random.Random(index)
    pain = 5 - (2 if condition == "A" else 0) + rng.gauss(0, 1)
    return {
        "pain": min(10, max(0, round(pain))),
        "sleep_onset_minutes": max(0, round(30 - 6 * (condition == "A") + rng.gauss(0, 8))),
        "sleep_quality": 3,
    }


@pytest.mark.django_db(transaction=True)
def test_an_experiment_from_its_start_to_its_verdict(page: Page, site, person):
    log_in(page, site, person)
    page.goto(site + "/")
    page.get_by_role("link", name="Does it work for me?").click()
    expect(page.get_by_role("heading", name="Does it work for me?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Does the bedtime massage help me wake with less pain?").check()
    page.get_by_role("button", name="Start the experiment").click()
    expect(page.get_by_text("Your experiment has started.")).to_be_visible()
    assert_accessible(page)

    experiment = Experiment.objects.get(person=person)
    drawn = experiment.label(experiment.schedule.condition(today_of(person)))
    expect(page.get_by_role("heading", name=f"Tonight: {drawn}")).to_be_visible()
    # From here on, a seed whose first night is without the massage: the night that
    # needs its own instruction.
    experiment.seed = next(
        seed
        for seed in range(100)
        if Experiment(first_night=experiment.first_night, pairs=14, seed=seed).schedule.condition(
            experiment.first_night
        )
        == "B"
    )
    experiment.save()
    label = experiment.b_label

    # The home page says tonight's assignment, and its main button follows it.
    page.goto(site + "/")
    expect(page.locator("[data-experiment-tonight=B]")).to_contain_text(f"night 1 of 28: {label}")
    assert_accessible(page)
    page.get_by_role("link", name="What to do tonight").click()
    expect(page.get_by_role("heading", name=f"Tonight: {label}")).to_be_visible()
    assert_accessible(page)
    # The massage's own page (the player) says that tonight is not a massage night.
    page.goto(site + "/play/bedtime-back-self-massage/")
    expect(page.locator("[data-experiment-tonight=B]")).to_contain_text("not tonight's")
    assert_accessible(page)

    # The calendar feed carries each night's assignment.
    feed = CalendarFeed.objects.create(person=person, lead_minutes=20)
    ics = page.request.get(f"{site}/reminders/calendar/{feed.token}.ics")
    assert ics.ok, ics.status
    events = icalendar.Calendar.from_ical(ics.body()).walk("VEVENT")
    nights = {
        e.decoded("recurrence-id").date(): str(e["summary"]) for e in events if "recurrence-id" in e
    }
    assert nights[experiment.first_night] == f"Experiment: night 1 of 28: {label}"
    assert len(nights) == 28

    # Four weeks later (the experiment moved back in time, its nights filled in).
    experiment.first_night -= dt.timedelta(days=28)
    experiment.save()
    live_nights(experiment, answers=massage_helps)
    page.goto(site + f"/experiments/{experiment.pk}/")
    expect(page.get_by_role("heading", name="The result", exact=True)).to_be_visible()
    expect(page.locator("[data-verdict=likely_helps]")).to_contain_text("Likely helps: about")
    expect(page.get_by_text("28 nights so far")).to_be_visible()
    expect(page.get_by_role("img", name="How much better A is than B")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the whole experiment").click()
    assert download.value.suggested_filename.startswith("backcoach-experiment-")
