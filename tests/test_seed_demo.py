import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from backcoach import nights
from backcoach.accounts.models import Person
from backcoach.diary import measures
from backcoach.diary.models import Checkin
from backcoach.library.models import Technique
from backcoach.player.models import Practice

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def practices_as_values() -> list[tuple]:
    """Everything about the demo practices but the day they fall on (it moves at midnight)."""
    return [
        (
            str(p.id),
            p.person.email,
            p.routine_name,
            p.routine_id is not None,
            p.started_at.astimezone(dt.UTC).time(),
            p.status,
            p.source,
            p.pain_before,
            p.pain_after,
            tuple(
                (s.order, s.technique.slug, s.side, s.planned_seconds, s.done_seconds)
                for s in p.steps.all()
            ),
        )
        for p in Practice.objects.select_related("person")
        .prefetch_related("steps__technique")
        .order_by("id")
    ]


def test_it_gives_each_person_a_practice_every_night():
    output = seed(users=2, days=30, practices=True, seed=3)
    for person in Person.objects.all():
        practices = list(person.practices.prefetch_related("steps"))
        nights = {p.started_at.astimezone(dt.UTC).date() for p in practices}
        assert 30 <= len(practices) <= 45
        assert len(nights) >= 29  # a bedtime near midnight may fall on the next day in UTC
        assert all(p.started_at < timezone.now() for p in practices)
        for practice in practices:
            steps = list(practice.steps.all())
            assert 1 <= len(steps) <= 4
            assert [s.order for s in steps] == list(range(1, len(steps) + 1))
            if practice.status == Practice.Status.COMPLETED:
                assert all(s.done_seconds == s.planned_seconds for s in steps)
            assert practice.ended_at >= practice.started_at + dt.timedelta(
                seconds=sum(s.done_seconds for s in steps)
            )
    assert f"{Practice.objects.count()} demo practices created" in output


def test_the_practices_use_the_library_it_loads_when_empty():
    assert not Technique.objects.exists()
    seed(users=1, days=20, practices=True)
    assert Technique.objects.filter(is_active=True).exists()
    assert Practice.objects.filter(routine__isnull=False).exists()
    assert Practice.objects.filter(routine__isnull=True).exists()  # built for the evening


def test_five_years_hold_a_practice_a_night_and_some_stopped_early():
    seed(users=1, days=5 * 365, practices=True)
    practices = Practice.objects.all()
    assert practices.count() >= 5 * 365
    abandoned = practices.filter(status=Practice.Status.ABANDONED).count()
    assert 0.03 * 5 * 365 < abandoned < 0.15 * 5 * 365


def test_the_same_seed_makes_the_same_practices():
    seed(users=2, days=15, practices=True, seed=7)
    first = practices_as_values()
    seed(users=2, days=15, practices=True, seed=7, reset=True)
    assert practices_as_values() == first
    seed(users=2, days=15, practices=True, seed=8, reset=True)
    assert practices_as_values() != first


def test_seeding_again_adds_no_practices():
    seed(users=2, days=10, practices=True)
    count = Practice.objects.count()
    output = seed(users=2, days=10, practices=True)
    assert Practice.objects.count() == count
    assert "0 demo practices created" in output


def test_first_adds_people_after_earlier_ones():
    seed(users=2, days=5)
    seed(users=1, first=3, days=12, practices=True)
    assert sorted(Person.objects.values_list("email", flat=True)) == [
        "demo-000001@demo.backcoach.invalid",
        "demo-000002@demo.backcoach.invalid",
        "demo-000003@demo.backcoach.invalid",
    ]
    assert set(Practice.objects.values_list("person__email", flat=True)) == {
        "demo-000003@demo.backcoach.invalid"
    }


def test_without_practices_it_makes_none():
    seed(users=3, days=10)
    assert Person.objects.count() == 3
    assert not Practice.objects.exists()


def checkins_as_values() -> list[tuple]:
    """Everything about the demo check-ins but the day they fall on (it moves at midnight)."""
    return [
        (
            str(c.id),
            c.person.email,
            c.kind,
            c.recorded_at.astimezone(dt.UTC).time(),
            c.night is None,
            c.pain,
            tuple(c.pain_areas),
            c.leg_below_knee,
            c.sleep_onset_minutes,
            c.sleep_quality,
            c.stiffness_minutes,
            c.routine_feel,
            c.tension,
            c.peg_pain,
            c.peg_enjoyment,
            c.peg_activity,
            c.fingertip_floor_cm,
            c.posture,
        )
        for c in Checkin.objects.select_related("person").order_by("id")
    ]


def test_the_diary_has_a_morning_checkin_about_nearly_every_night():
    output = seed(users=2, days=60, practices=True, diary=True, seed=3)
    for person in Person.objects.all():
        mornings = list(person.checkins.filter(kind=Checkin.Kind.MORNING))
        today = timezone.now().astimezone(person.zone).date()
        # Every night of the 60 but the last (its morning is today's, left to the person),
        # about one in twenty missed.
        assert 50 <= len(mornings) <= 59
        for checkin in mornings:
            local = checkin.recorded_at.astimezone(person.zone)
            assert checkin.night == local.date() - dt.timedelta(days=1)
            assert today - dt.timedelta(days=60) <= checkin.night < today - dt.timedelta(days=1)
            assert 6 <= local.hour <= 8
            assert 0 <= checkin.pain <= 10
            assert checkin.sleep_onset_minutes in {5, 15, 30, 45, 60, 90, 120}
            assert 1 <= checkin.sleep_quality <= 5
            assert checkin.stiffness_minutes in {0, 5, 30, 60, 120}
            assert set(checkin.pain_areas) <= set(measures.PAIN_AREAS)
            if checkin.pain == 0:
                assert checkin.pain_areas == []
            if not set(checkin.pain_areas) & measures.LEG_AREAS:
                assert checkin.leg_below_knee is None
            assert checkin.tension is None and checkin.peg_pain is None
        assert sum(bool(c.routine_feel) for c in mornings) >= 0.7 * len(mornings)
    assert f"{Checkin.objects.count()} demo check-ins created" in output


def test_the_diary_has_some_anytime_and_a_weekly_checkin_a_week():
    seed(users=1, days=364, diary=True)
    anytime = Checkin.objects.filter(kind=Checkin.Kind.ANYTIME)
    weekly = Checkin.objects.filter(kind=Checkin.Kind.WEEKLY)
    assert 0.1 * 364 < anytime.count() < 0.3 * 364
    assert 40 <= weekly.count() <= 52
    assert not anytime.filter(night__isnull=False).exists()
    assert not weekly.filter(night__isnull=False).exists()
    assert all(c.tension is not None and c.sleep_quality is None for c in anytime)
    for checkin in weekly:
        assert checkin.peg_score is not None
        assert checkin.pain is None
        assert checkin.fingertip_floor_cm is None or 0 <= checkin.fingertip_floor_cm <= 100
        assert checkin.posture is None or 0 <= checkin.posture <= 10
    assert weekly.filter(fingertip_floor_cm__isnull=False).count() > weekly.count() / 2


def test_diary_checkins_pass_the_models_own_checks():
    seed(users=2, days=40, practices=True, diary=True)
    for checkin in Checkin.objects.all():
        checkin.full_clean()  # ranges, choices and both constraints
    nights = list(
        Checkin.objects.filter(kind=Checkin.Kind.MORNING).values_list("person_id", "night")
    )
    assert len(nights) == len(set(nights))


def test_without_practices_mornings_report_no_routine():
    seed(users=1, days=30, diary=True)
    assert Checkin.objects.filter(kind=Checkin.Kind.MORNING).exists()
    assert not Checkin.objects.exclude(routine_feel="").exists()


def test_mornings_after_a_completed_practice_hurt_a_little_less():
    seed(users=1, days=1000, practices=True, diary=True)
    person = Person.objects.get()
    after, other = [], []
    for checkin in person.checkins.filter(kind=Checkin.Kind.MORNING):
        start, end = nights.night_bounds(checkin.night, checkin.night, person.zone)
        completed = person.practices.filter(
            started_at__gte=start, started_at__lt=end, status=Practice.Status.COMPLETED
        ).exists()
        (after if completed else other).append(checkin.pain)
    assert len(other) >= 30  # abandoned practices leave some nights without relief
    assert sum(after) / len(after) < sum(other) / len(other) - 0.3


def test_the_same_seed_makes_the_same_diary():
    seed(users=2, days=20, practices=True, diary=True, seed=7)
    first = checkins_as_values()
    seed(users=2, days=20, practices=True, diary=True, seed=7, reset=True)
    assert checkins_as_values() == first
    seed(users=2, days=20, practices=True, diary=True, seed=8, reset=True)
    assert checkins_as_values() != first


def test_seeding_the_diary_again_adds_nothing():
    seed(users=2, days=30, practices=True, diary=True)
    count = Checkin.objects.count()
    output = seed(users=2, days=30, practices=True, diary=True)
    assert Checkin.objects.count() == count
    assert "0 demo check-ins created" in output


def test_a_diary_for_more_people_keeps_the_earlier_diaries():
    seed(users=1, days=15, diary=True)
    first = checkins_as_values()
    seed(users=2, days=15, diary=True)
    assert [row for row in checkins_as_values() if row[1].startswith("demo-000001")] == first
    assert Checkin.objects.filter(person__email__startswith="demo-000002").exists()


def test_without_diary_it_makes_no_checkins():
    seed(users=2, days=10, practices=True)
    assert not Checkin.objects.exists()
