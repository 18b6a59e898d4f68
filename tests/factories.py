"""Test data, built per test. No global fixtures."""

import datetime as dt
import itertools

from backcoach.accounts.models import Person

PASSWORD = "correct-horse-battery-9"
_numbers = itertools.count(1)


def make_person(*, email: str | None = None, password: str = PASSWORD, **fields) -> Person:
    number = next(_numbers)
    fields.setdefault("name", f"Person {number}")
    return Person.objects.create_user(
        email=email or f"person{number}@example.org", password=password, **fields
    )


def client_for(person):
    """A test client logged in as `person`."""
    from tests.clients import Browser

    client = Browser()
    client.force_login(person)
    return client


def record_pain(person, *, days_ago: float, pain: int):
    """A finished practice (no steps) `days_ago`, with its pain rating before it."""
    return make_practice(person, steps=0, days_ago=days_ago, pain_before=pain)


def make_technique(**fields):
    """A small library technique: a gentle stretch lying on the back, 60 s by default."""
    from backcoach.library.models import Technique

    number = next(_numbers)
    values = {
        "slug": f"technique-{number}",
        "name": f"Stretch {number}",
        "summary": "A gentle stretch.",
        "kind": "stretch",
        "body_areas": ["lower-back"],
        "position": "lying-on-back",
        "equipment": ["none"],
        "intensity": "gentle",
        "intensity_guidance": "Gently.",
        "default_duration": 60,
        "min_duration": 30,
        "max_duration": 120,
        "sides": "both",
        "instructions": ["Lie down."],
        "cues": [{"at": 0, "say": "Lie down."}],
        "evidence_note": "Little is known.",
        "pose": {
            "frames": [
                {
                    "figure": {"torso": 180, "upper_arm": 0, "forearm": 0, "thigh": 0, "shin": 0},
                    "props": [],
                    "surface": "floor",
                    "work_area": ["lower-back"],
                }
            ]
        },
    }
    return Technique.objects.create(**{**values, **fields})


def make_routine(*, techniques=None, duration: int = 60, **fields):
    """A library routine of one step per technique (one new technique when none is given)."""
    from backcoach.library.models import Routine, RoutineStep

    number = next(_numbers)
    values = {
        "slug": f"routine-{number}",
        "name": f"Routine {number}",
        "summary": "A short routine.",
        "purpose": "anytime",
    }
    routine = Routine.objects.create(**{**values, **fields})
    for order, technique in enumerate(techniques or [make_technique()], start=1):
        RoutineStep.objects.create(
            routine=routine, order=order, technique=technique, duration=duration
        )
    return routine


def make_practice(person, *, routine=None, steps: int = 1, days_ago: float = 0, **fields):
    """A finished practice `days_ago`, with `steps` steps done in full."""
    from django.utils import timezone

    from backcoach.player.models import Practice, PracticeStep

    started = timezone.now() - dt.timedelta(days=days_ago)
    values = {
        "routine": routine,
        "routine_name": routine.name if routine else "Bedtime",
        "started_at": started,
        "ended_at": started + dt.timedelta(minutes=5),
        "status": "completed",
    }
    practice = Practice.objects.create(person=person, **{**values, **fields})
    techniques = [step.technique for step in routine.steps.all()] if routine else []
    for order in range(1, steps + 1):
        technique = techniques[(order - 1) % len(techniques)] if techniques else make_technique()
        PracticeStep.objects.create(
            practice=practice,
            order=order,
            technique=technique,
            planned_seconds=60,
            done_seconds=60,
        )
    return practice


def make_screened_person(**fields) -> Person:
    """A person who has answered the safety check with no warning signs."""
    from backcoach.safety.services import screen_record

    person = make_person(**fields)
    screen_record(person=person, answers={})
    return person


def make_checkin(person, *, kind: str = "morning", days_ago: float = 0, **values):
    """A check-in `days_ago` through the diary's service, with plausible answers."""
    from django.utils import timezone

    from backcoach.diary.services import checkin_record

    defaults = {
        "morning": {
            "pain": 3,
            "sleep_onset_minutes": 15,
            "sleep_quality": 4,
            "stiffness_minutes": 5,
        },
        "anytime": {"pain": 3, "tension": 4},
        "weekly": {"peg_pain": 3, "peg_enjoyment": 2, "peg_activity": 2, "posture": 6},
    }[kind]
    checkin, _ = checkin_record(
        person=person,
        kind=kind,
        recorded_at=timezone.now() - dt.timedelta(days=days_ago),
        values={**defaults, **values},
    )
    return checkin
