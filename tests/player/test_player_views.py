"""The player's pages: tonight's routine, the player itself, and the practice history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backcoach.player.views import HISTORY_PAGE_SIZE
from backcoach.safety.services import conditions_save, flare_up_record, screen_record
from tests.factories import make_practice, make_routine, make_technique

HISTORY = reverse("player:history")


@pytest.fixture
def screened(person):
    screen_record(person=person, answers={})
    return person


def queries_for(client, url, **params):
    """The answer to a GET and how many queries it took; a failed page is never counted."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response, len(queries)


@pytest.mark.django_db
def test_tonight_sends_an_unscreened_person_to_the_safety_check(person_client, routine):
    response = person_client.get(reverse("player:tonight"))
    assert response["Location"] == reverse("safety:screen")


@pytest.mark.django_db
def test_tonight_sends_an_urgent_screen_to_its_result(person_client, person, routine):
    screen_record(person=person, answers={"saddle-numbness": True})
    response = person_client.get(reverse("player:tonight"))
    assert response["Location"] == reverse("safety:result")
    response = person_client.get(reverse("player:play", args=[routine.slug]))
    assert response["Location"] == reverse("safety:result")


@pytest.mark.django_db
def test_tonight_plays_the_default_routine(person_client, screened):
    default = make_routine(is_default=True, purpose="bedtime")
    make_routine(purpose="flare-up")
    response = person_client.get(reverse("player:tonight"))
    assert response["Location"] == reverse("player:play", args=[default.slug])


@pytest.mark.django_db
def test_tonight_is_the_gentle_routine_during_a_flare_up(person_client, screened):
    make_routine(is_default=True, purpose="bedtime")
    gentle = make_routine(purpose="flare-up")
    flare_up_record(person=screened, pain=8)
    response = person_client.get(reverse("player:tonight"))
    assert response["Location"] == reverse("player:play", args=[gentle.slug])


@pytest.mark.django_db
def test_without_a_library_tonight_goes_to_the_library(person_client, screened):
    response = person_client.get(reverse("player:tonight"))
    assert response["Location"] == reverse("library:index")


@pytest.mark.django_db
def test_the_player_page_carries_the_script_and_where_to_upload(person_client, screened, routine):
    response = person_client.get(reverse("player:play", args=[routine.slug]))
    assert response.status_code == 200
    script = response.context["script"]
    assert script["routine"] == routine.slug
    assert script["apiUrl"] == reverse("api:record_practice")
    assert script["historyUrl"] == HISTORY
    assert [step["technique"] for step in script["steps"]] == ["knee-hug"]
    assert response.context["total"] == 60


@pytest.mark.django_db
def test_a_bedtime_routine_plays_to_a_quiet_end_with_nothing_to_answer(person_client, screened):
    routine = make_routine(purpose="bedtime")
    response = person_client.get(reverse("player:play", args=[routine.slug]))
    assert response.status_code == 200
    assert response.context["script"]["bedtime"] is True
    page = response.content.decode()
    assert "data-bedtime" in page
    assert "Sleep well" in page
    assert 'data-scale="pain-after"' not in page
    assert 'data-scale="tension-after"' not in page


@pytest.mark.django_db
def test_a_routine_for_another_time_asks_how_it_went(person_client, screened, routine):
    response = person_client.get(reverse("player:play", args=[routine.slug]))
    script = response.context["script"]
    assert script["bedtime"] is False
    assert script["endCue"].startswith("That is the end of the routine.")
    page = response.content.decode()
    assert "data-bedtime" not in page
    assert 'data-scale="pain-after"' in page
    assert 'data-scale="tension-after"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", ["bedtime", "anytime"])
def test_pain_and_tension_before_are_folded_away_above_start(person_client, screened, purpose):
    routine = make_routine(purpose=purpose)
    page = person_client.get(reverse("player:play", args=[routine.slug])).content.decode()
    folded = page[page.index('<details class="rate-first"') : page.index("</details>")]
    assert "Rate your pain first (optional)" in folded
    assert 'data-scale="pain-before"' in folded
    assert 'data-scale="tension-before"' in folded
    assert page.index("</details>") < page.index('id="start"')


@pytest.mark.django_db
def test_the_player_leaves_out_what_the_persons_conditions_rule_out(person_client, screened):
    kept = make_technique(name="Pelvic tilt")
    ruled_out = make_technique(name="Deep roll", excludes=["osteoporosis"])
    routine = make_routine(techniques=[kept, ruled_out])
    conditions_save(person=screened, keys=["osteoporosis"])
    response = person_client.get(reverse("player:play", args=[routine.slug]))
    assert [step.technique for step in response.context["steps"]] == [kept]
    assert response.context["left_out"] == ["Deep roll"]
    assert response.context["total"] == 60


@pytest.mark.django_db
def test_a_routine_wholly_ruled_out_says_so_instead_of_playing(person_client, screened):
    routine = make_routine(techniques=[make_technique(name="Deep roll", excludes=["pregnancy"])])
    conditions_save(person=screened, keys=["pregnancy"])
    response = person_client.get(reverse("player:play", args=[routine.slug]))
    assert response.status_code == 200
    assert "is not for you right now" in response.content.decode()
    assert "script" not in response.context


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["no-such-routine", "hidden"])
def test_an_unknown_or_retired_routine_is_not_found(person_client, screened, slug):
    make_routine(slug="hidden", is_active=False)
    response = person_client.get(reverse("player:play", args=[slug]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_history_shows_a_page_of_practices_newest_first(person_client, person, routine):
    for day in range(HISTORY_PAGE_SIZE + 5):
        make_practice(person, routine=routine, steps=2, days_ago=day + 1, note=f"night {day}")
    first, _ = queries_for(person_client, HISTORY)
    page = first.context["page"]
    assert len(page.object_list) == HISTORY_PAGE_SIZE
    assert page.object_list[0].note == "night 0"
    assert page.object_list[0].seconds_done == 120
    assert 'rel="next"' in first.content.decode()
    second, _ = queries_for(person_client, HISTORY, page=2)
    assert [p.note for p in second.context["page"].object_list] == [
        f"night {day}" for day in range(HISTORY_PAGE_SIZE, HISTORY_PAGE_SIZE + 5)
    ]
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.django_db
def test_the_history_says_which_cues_were_skipped_and_why(person_client, person, routine):
    skipped = [
        {"step": 1, "at": 25, "say": "Slide your hands under your back."},
        {"step": 2, "at": 90, "say": "Take care: Roll slowly."},
    ]
    make_practice(person, routine=routine, steps=2, days_ago=3, note="slept", skipped_cues=skipped)
    make_practice(person, routine=routine, days_ago=2, note="typed", source="terminal")
    make_practice(person, routine=routine, days_ago=1, note="whole", skipped_cues=skipped[:1])
    page = queries_for(person_client, HISTORY)[0].content.decode()
    whole, typed, slept = (page.index(note) for note in ("whole", "typed", "slept"))
    assert "1 cue skipped while the phone slept" in page[whole:typed]
    assert "skipped" not in page[typed:slept]
    assert "2 cues skipped while the phone slept" in page[slept:]
    assert "Step 2, 1 min 30 s in: Take care: Roll slowly." in page[slept:]
    make_practice(person, routine=routine, note="held up", source="terminal", skipped_cues=skipped)
    page = queries_for(person_client, HISTORY)[0].content.decode()
    assert "2 cues skipped while the terminal was held up" in page


@pytest.mark.django_db
def test_a_practice_without_steps_shows_no_time_done(person_client, person):
    make_practice(person, steps=0)
    response, _ = queries_for(person_client, HISTORY)
    assert response.context["page"].object_list[0].seconds_done == 0


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "-1", "999", "two", "", "9" * 400])
def test_a_bad_page_number_shows_a_real_page(person_client, person, page):
    make_practice(person, note="the only one")
    response, _ = queries_for(person_client, HISTORY, page=page)
    assert "the only one" in response.content.decode()


@pytest.mark.django_db
def test_the_history_takes_the_same_queries_for_one_practice_and_a_full_page(
    person_client, person, routine
):
    make_practice(person, routine=routine, steps=3)
    _, few = queries_for(person_client, HISTORY)
    for day in range(HISTORY_PAGE_SIZE * 2):
        make_practice(person, routine=routine, steps=3, days_ago=day + 1)
    _, many = queries_for(person_client, HISTORY)
    _, late = queries_for(person_client, HISTORY, page=2)
    assert few == many == late


@pytest.mark.django_db
def test_nobody_sees_another_persons_history(stranger_client, person):
    make_practice(person, note="owner's own words")
    response, _ = queries_for(stranger_client, HISTORY)
    assert "owner's own words" not in response.content.decode()
    assert response.context["page"].paginator.count == 0
