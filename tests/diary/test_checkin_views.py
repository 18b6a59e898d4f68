"""The diary's pages: the morning check-in in a few taps, any time, weekly, and editing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from backcoach.diary.models import Checkin, CheckinRevision
from backcoach.safety.services import screen_record
from tests.factories import make_checkin, make_practice

MORNING = reverse("diary:morning")
ANYTIME = reverse("diary:anytime")
WEEKLY = reverse("diary:weekly")


def today(person):
    return timezone.now().astimezone(person.zone).date()


def morning_answers(person, **overrides):
    answers = {
        "day": today(person).isoformat(),
        "pain": "4",
        "pain_areas": ["lower-back-centre"],
        "sleep_onset_minutes": "30",
        "sleep_quality": "3",
        "stiffness_minutes": "5",
    }
    answers.update(overrides)
    return answers


@pytest.mark.django_db
def test_a_morning_checkin_is_saved_in_one_post(person_client, person):
    response = person_client.post(MORNING, morning_answers(person))
    assert response.status_code == 302
    checkin = Checkin.objects.get()
    assert (checkin.kind, checkin.pain, checkin.pain_areas) == ("morning", 4, ["lower-back-centre"])
    assert checkin.night == today(person) - dt.timedelta(days=1)


@pytest.mark.django_db
def test_the_home_page_offers_the_morning_checkin_until_it_is_done(person_client, person):
    from backcoach.diary import selectors

    due = selectors.morning_checkin_due(person)
    page = person_client.get(reverse("home")).content.decode()
    assert (MORNING in page) == due
    make_checkin(person)
    assert not selectors.morning_checkin_due(person)
    page = person_client.get(reverse("home")).content.decode()
    assert 'href="/diary/morning/"' not in page.split('id="more"')[0]


@pytest.mark.django_db
def test_the_routine_question_is_asked_only_after_a_night_with_a_practice(person_client, person):
    form = person_client.get(MORNING).context["form"]
    assert "routine_feel" not in form.fields
    evening = timezone.now().astimezone(person.zone).replace(hour=22, minute=0)
    make_practice(person, started_at=evening - dt.timedelta(days=1))
    form = person_client.get(MORNING).context["form"]
    assert "routine_feel" in form.fields
    response = person_client.post(MORNING, morning_answers(person, routine_feel="soothing"))
    assert response.status_code == 302
    assert Checkin.objects.get().routine_feel == "soothing"


@pytest.mark.django_db
def test_a_second_morning_checkin_asks_before_replacing_the_first(person_client, person):
    person_client.post(MORNING, morning_answers(person, pain="4"))
    response = person_client.post(MORNING, morning_answers(person, pain="8"))
    assert response.status_code == 409
    assert "You already checked in for that night" in response.content.decode()
    assert Checkin.objects.get().pain == 4
    response = person_client.post(MORNING, morning_answers(person, pain="8", replace="yes"))
    assert response.status_code == 302
    assert Checkin.objects.get().pain == 8
    assert CheckinRevision.objects.get().values["pain"] == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"pain": "11"},
        {"pain": ""},
        {"pain": "a lot"},
        {"sleep_quality": "9"},
        {"sleep_onset_minutes": "-5"},
        {"pain_areas": ["tail"]},
        {"note": "x" * 501},
        {"day": "2999-01-01"},
        {"day": "not a day"},
        {"leg_below_knee": "on"},
    ],
    ids=lambda o: next(iter(o)),
)
def test_a_bad_morning_checkin_says_why_and_changes_nothing(person_client, person, overrides):
    response = person_client.post(MORNING, morning_answers(person, **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Checkin.objects.exists()


@pytest.mark.django_db
def test_a_morning_more_than_14_days_back_is_refused(person_client, person):
    day = today(person) - dt.timedelta(days=15)
    response = person_client.post(MORNING, morning_answers(person, day=day.isoformat()))
    assert response.status_code == 400
    assert "14 days at most" in response.content.decode()
    assert not Checkin.objects.exists()


@pytest.mark.django_db
def test_a_missed_morning_can_be_back_dated(person_client, person):
    day = today(person) - dt.timedelta(days=3)
    person_client.post(MORNING, morning_answers(person, day=day.isoformat()))
    assert Checkin.objects.get().night == day - dt.timedelta(days=1)


@pytest.mark.django_db
def test_pain_and_tension_any_time(person_client, person):
    response = person_client.post(ANYTIME, {"pain": "5", "tension": "7", "note": "long drive"})
    assert response.status_code == 302
    checkin = Checkin.objects.get()
    assert (checkin.kind, checkin.pain, checkin.tension, checkin.note) == (
        "anytime",
        5,
        7,
        "long drive",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"pain": "5"},
        {"pain": "5", "tension": "99"},
        {"pain": "5", "tension": "2", "when": "2999-01-01T10:00"},
        {"pain": "5", "tension": "2", "when": "2001-01-01T10:00"},
        {"pain": "5", "tension": "2", "when": "yesterday"},
    ],
)
def test_a_bad_anytime_checkin_changes_nothing(person_client, data):
    response = person_client.post(ANYTIME, data)
    assert response.status_code == 400
    assert not Checkin.objects.exists()


@pytest.mark.django_db
def test_a_new_symptom_leads_to_the_safety_check(person_client, person):
    screen_record(person=person, answers={})
    response = person_client.post(ANYTIME, {"pain": "6", "tension": "5", "new_symptom": "on"})
    assert response["Location"] == reverse("safety:screen")
    page = person_client.get(reverse("safety:screen")).content.decode()
    assert "new or worse symptom" in page
    assert person_client.get(reverse("player:tonight"))["Location"] == reverse("safety:screen")


@pytest.mark.django_db
def test_the_weekly_checkin_scores_peg_and_converts_inches(person_client, person):
    person.length_unit = "in"
    person.save()
    page = person_client.get(WEEKLY)
    assert "(inches)" in page.content.decode()
    assert 'class="pose-figure"' in page.content.decode()
    response = person_client.post(
        WEEKLY,
        {
            "day": today(person).isoformat(),
            "peg_pain": "6",
            "peg_enjoyment": "3",
            "peg_activity": "3",
            "fingertip_floor": "4",
            "posture": "7",
        },
    )
    assert response.status_code == 302
    checkin = Checkin.objects.get()
    assert (checkin.peg_score, checkin.fingertip_floor_cm, checkin.posture) == (4.0, 10.2, 7)


@pytest.mark.django_db
@pytest.mark.parametrize("distance", ["-1", "200", "nan", "inf", "far"])
def test_a_bad_fingertip_distance_changes_nothing(person_client, person, distance):
    data = {
        "day": today(person).isoformat(),
        "peg_pain": "6",
        "peg_enjoyment": "3",
        "peg_activity": "3",
        "fingertip_floor": distance,
    }
    response = person_client.post(WEEKLY, data)
    assert response.status_code == 400
    assert not Checkin.objects.exists()


@pytest.mark.django_db
def test_editing_keeps_the_earlier_answers_and_shows_them(person_client, person):
    checkin = make_checkin(person, kind="anytime", pain=2, tension=3)
    url = reverse("diary:edit", args=[checkin.pk])
    form = person_client.get(url).context["form"]
    assert form.initial["pain"] == 2
    response = person_client.post(url, {"pain": "6", "tension": "3"})
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.pain == 6
    page = person_client.get(reverse("diary:index")).content.decode()
    assert "Changed 1 time" in page


@pytest.mark.django_db
def test_a_morning_checkin_cannot_be_moved_to_another_night(person_client, person):
    checkin = make_checkin(person)
    url = reverse("diary:edit", args=[checkin.pk])
    earlier = (today(person) - dt.timedelta(days=2)).isoformat()
    response = person_client.post(url, morning_answers(person, day=earlier, pain="7"))
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert (checkin.pain, checkin.night) == (7, today(person) - dt.timedelta(days=1))


@pytest.mark.django_db
def test_nobody_edits_or_sees_another_persons_checkin(stranger_client, person):
    checkin = make_checkin(person, note="private words")
    url = reverse("diary:edit", args=[checkin.pk])
    assert stranger_client.get(url).status_code == 404
    assert stranger_client.post(url, {"pain": "0"}).status_code == 404
    assert "private words" not in stranger_client.get(reverse("diary:index")).content.decode()


@pytest.mark.django_db
def test_the_diary_takes_the_same_queries_for_one_checkin_and_a_full_page(
    person_client, person, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = person_client.get(reverse("diary:index"))
        assert response.status_code == 200
        return len(queries)

    checkin = make_checkin(person, kind="anytime")
    from backcoach.diary.services import checkin_edit

    checkin_edit(checkin=checkin, values={"pain": 7})
    few = count()
    for days in range(40):
        made = make_checkin(person, kind="anytime", days_ago=days / 3 + 0.01)
        checkin_edit(checkin=made, values={"pain": 8})
    assert count() == few
