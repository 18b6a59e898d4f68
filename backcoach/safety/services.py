from django.db import transaction
from django.utils import timezone

from . import rules
from .models import FlareUp, Screen
from .screening import flag_levels


@transaction.atomic
def screen_record(*, person, answers: dict[str, bool], reason: str) -> Screen:
    levels = flag_levels()
    clean = {key: bool(answers.get(key, False)) for key in levels}
    return Screen.objects.create(
        person=person, answers=clean, reason=reason, outcome=rules.outcome_for(clean, levels)
    )


@transaction.atomic
def screen_confirm_assessed(*, screen: Screen) -> Screen:
    if screen.assessed_at is None:
        screen.assessed_at = timezone.now()
        screen.save(update_fields=["assessed_at"])
    return screen


@transaction.atomic
def flare_up_record(*, person, pain: int, note: str = "") -> FlareUp:
    return FlareUp.objects.create(person=person, pain=pain, note=note.strip())
