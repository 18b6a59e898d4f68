import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from backcoach.accounts.models import Person
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
