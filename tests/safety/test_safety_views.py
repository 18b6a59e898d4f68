import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from backcoach.safety.content import red_flag_groups
from backcoach.safety.models import FlareUp, Screen
from backcoach.safety.services import screen_record
from tests.factories import make_routine, record_pain


@pytest.fixture
def routine(db):
    return make_routine().slug


@pytest.mark.django_db
def test_no_routine_before_the_first_screen(person_client, routine):
    response = person_client.get(reverse("player:play", args=[routine]))
    assert response["Location"] == reverse("safety:screen")


@pytest.mark.django_db
def test_the_screen_asks_every_flag_in_plain_words(person_client):
    page = person_client.get(reverse("safety:screen")).content.decode()
    for group in red_flag_groups():
        assert group.title in page
        for flag in group.flags:
            assert f'name="{flag.key}"' in page


@pytest.mark.django_db
def test_no_flags_lets_the_routine_start(person_client, person, routine):
    person_client.post(reverse("safety:screen"), {})
    screen = person.screens.get()
    assert (screen.outcome, screen.reason) == ("none", "signup")
    assert all(value is False for value in screen.answers.values())
    assert person_client.get(reverse("player:play", args=[routine])).status_code == 200


@pytest.mark.django_db
def test_an_urgent_flag_stops_routines_until_assessed(person_client, person, routine):
    response = person_client.post(reverse("safety:screen"), {"bladder-bowel": "on"})
    assert response["Location"] == reverse("safety:result")
    page = person_client.get(reverse("safety:result")).content.decode()
    assert "Seek emergency care now" in page
    assert person_client.get(reverse("player:play", args=[routine]))["Location"] == reverse(
        "safety:result"
    )
    assert person_client.get(reverse("player:tonight"))["Location"] == reverse("safety:result")
    # Without ticking the confirmation, nothing changes.
    assert person_client.post(reverse("safety:assessed"), {}).status_code == 400
    assert person.screens.get().assessed_at is None
    person_client.post(reverse("safety:assessed"), {"confirm": "on"})
    assert person.screens.get().assessed_at is not None
    assert person_client.get(reverse("player:play", args=[routine])).status_code == 200


@pytest.mark.django_db
def test_a_see_soon_flag_keeps_routines_with_a_banner_and_the_gentle_set(
    person_client, person, routine
):
    person_client.post(reverse("safety:screen"), {"fever": "on"})
    assert person.screens.get().outcome == "soon"
    page = person_client.get(reverse("home")).content.decode()
    assert "Your safety check asked you to see a clinician" in page
    assert person_client.get(reverse("player:play", args=[routine])).status_code == 200
    build = person_client.get(reverse("library:build"), {"minutes": 5, "pain": 2})
    assert build.context["gentle_only"] is True


@pytest.mark.django_db
def test_rising_practice_pain_asks_the_screen_again(person_client, person, routine):
    screen_record(person=person, answers={}, reason="signup")
    Screen.objects.update(answered_at=timezone.now() - dt.timedelta(days=6))
    for days_ago, pain in ((5, 3), (1, 6)):
        record_pain(person, days_ago=days_ago, pain=pain)
    response = person_client.get(reverse("player:play", args=[routine]))
    assert response["Location"] == reverse("safety:screen")
    assert (
        "Your pain has risen sharply"
        in person_client.get(reverse("safety:screen")).content.decode()
    )
    person_client.post(reverse("safety:screen"), {})
    assert person.screens.order_by("-answered_at").first().reason == "pain-rise"
    assert person_client.get(reverse("player:play", args=[routine])).status_code == 200


@pytest.mark.django_db
def test_a_flare_up_is_logged_and_makes_tonight_gentle(person_client, person, routine):
    screen_record(person=person, answers={}, reason="signup")
    response = person_client.post(reverse("safety:flare_up"), {"pain": 8, "note": "lifting"})
    assert response.status_code == 302
    assert FlareUp.objects.get().pain == 8
    build = person_client.get(reverse("library:build"), {"minutes": 5, "pain": 2})
    assert build.context["gentle_only"] is True
    page = person_client.get(reverse("safety:flare_up")).content.decode()
    assert "Keep gently active" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{}, {"pain": 11}, {"pain": "a lot"}, {"pain": 5, "note": "x" * 501}]
)
def test_a_bad_flare_up_changes_nothing(person_client, data):
    response = person_client.post(reverse("safety:flare_up"), data)
    assert response.status_code == 200
    assert not FlareUp.objects.exists()


@pytest.mark.django_db
def test_conditions_are_saved_and_refuse_unknown_keys(person_client, person):
    from backcoach.safety.selectors import conditions_of

    person_client.post(reverse("safety:conditions"), {"conditions": ["pregnancy", "osteoporosis"]})
    assert conditions_of(person) == {"osteoporosis", "pregnancy"}
    response = person_client.post(reverse("safety:conditions"), {"conditions": ["dragon-bite"]})
    assert response.status_code == 200
    assert conditions_of(person) == {"osteoporosis", "pregnancy"}
    form = person_client.get(reverse("safety:conditions")).context["form"]
    assert form.initial["conditions"] == ["osteoporosis", "pregnancy"]


@pytest.mark.django_db
def test_the_player_leaves_out_excluded_steps_and_speaks_cautions(person_client, person):
    from backcoach.library import content, services
    from backcoach.safety.services import conditions_save

    services.library_load(library=content.load_library())
    screen_record(person=person, answers={}, reason="signup")
    conditions_save(person=person, keys=["recent-spinal-surgery", "osteoporosis"])
    response = person_client.get(reverse("player:play", args=["bedtime-back-self-massage"]))
    assert response.status_code == 200
    assert "is not for you right now" in response.content.decode()
    conditions_save(person=person, keys=["osteoporosis"])
    response = person_client.get(reverse("player:play", args=["bedtime-back-self-massage"]))
    script = response.context["script"]
    assert any(cue.get("caution") for step in script["steps"] for cue in step["cues"])


@pytest.mark.django_db
def test_the_evidence_page_covers_each_claimed_benefit_with_sources(client):
    from backcoach.library import content, services

    services.library_load(library=content.load_library())
    page = client.get(reverse("safety:evidence")).content.decode()
    for title in (
        "Less pain and tension",
        "Moving more freely",
        "Better posture",
        "Falling asleep more easily",
        "More blood flow",
    ):
        assert title in page
    assert "personal experiment" in page
    assert "https://doi.org/" in page


@pytest.mark.django_db
def test_after_a_recheck_the_same_high_pain_does_not_ask_again(person_client, person, routine):
    from backcoach.safety import selectors

    screen_record(person=person, answers={}, reason="signup")
    Screen.objects.update(answered_at=timezone.now() - dt.timedelta(days=6))
    for days_ago, pain in ((5, 2), (3, 6)):
        record_pain(person, days_ago=days_ago, pain=pain)
    assert selectors.routine_gate(person).stop == "screen"
    person_client.post(reverse("safety:screen"), {})
    record_pain(person, days_ago=0.02, pain=6)
    assert selectors.routine_gate(person).stop is None
