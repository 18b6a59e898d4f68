"""The first night: after the safety check, the health conditions are asked once; the
home page says which routine "Start tonight's routine" will play, and why."""

import pytest
from django.urls import reverse

from backcoach.safety.models import HealthConditions
from backcoach.safety.services import flare_up_record, screen_record
from tests.factories import make_routine

RESULT = reverse("safety:result")
CONDITIONS = reverse("safety:conditions")


@pytest.mark.django_db
def test_the_first_result_asks_the_health_conditions_once(person_client, person):
    person_client.post(reverse("safety:screen"), {})
    page = person_client.get(RESULT)
    assert page.context["conditions_form"] is not None
    assert "One more question" in page.content.decode()
    response = person_client.post(CONDITIONS, {"next": "result", "none": "1"})
    assert response["Location"] == RESULT
    assert HealthConditions.objects.get(person=person).keys == []
    again = person_client.get(RESULT)
    assert again.context["conditions_form"] is None
    assert "One more question" not in again.content.decode()


@pytest.mark.django_db
def test_none_of_these_is_one_tap_whatever_was_ticked(person_client, person):
    person_client.post(CONDITIONS, {"conditions": ["pregnancy", "osteoporosis"], "none": "1"})
    assert HealthConditions.objects.get(person=person).keys == []


@pytest.mark.django_db
def test_ticked_conditions_are_saved_from_the_question(person_client, person):
    person_client.post(reverse("safety:screen"), {})
    person_client.post(CONDITIONS, {"next": "result", "conditions": ["pregnancy"]})
    assert HealthConditions.objects.get(person=person).keys == ["pregnancy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad", [{"conditions": ["not-a-condition"]}, {"next": "https://evil.example"}]
)
def test_bad_answers_change_nothing_and_go_nowhere_else(person_client, person, bad):
    response = person_client.post(CONDITIONS, bad)
    if "conditions" in bad:
        assert response.status_code == 200
        assert not HealthConditions.objects.filter(person=person).exists()
    else:
        assert response["Location"] == CONDITIONS


@pytest.mark.django_db
def test_an_urgent_result_does_not_ask_it_before_care(person_client, person):
    screen_record(person=person, answers={"saddle-numbness": True})
    page = person_client.get(RESULT)
    assert page.context["screen"].outcome == "urgent"
    assert page.context["conditions_form"] is None


@pytest.mark.django_db
def test_the_home_page_describes_the_routine_it_will_start(person_client, person):
    default = make_routine(slug="bedtime", name="Bedtime back self-massage", is_default=True)
    gentle = make_routine(slug="gentle", name="Gentle moves", purpose="flare-up")
    screen_record(person=person, answers={})
    page = person_client.get("/").content.decode()
    assert f'data-tonight-routine="{default.slug}"' in page
    assert default.summary in page
    flare_up_record(person=person, pain=8, note="")
    page = person_client.get("/").content.decode()
    assert f'data-tonight-routine="{gentle.slug}"' in page
    assert "Your back flared up on" in page
    assert f'href="{reverse("player:play", args=[gentle.slug])}"' in page
