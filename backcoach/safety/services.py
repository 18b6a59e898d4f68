from django.db import transaction
from django.utils import timezone

from . import rules, selectors
from .content import Source as SourceContent
from .content import flag_levels
from .contraindications import CONTRAINDICATIONS
from .models import FlareUp, HealthConditions, Screen, Source


@transaction.atomic
def screen_record(*, person, answers: dict[str, bool], reason: str | None = None) -> Screen:
    """Record an answering of the red-flag screen. Without a `reason`, it is worked out from
    the person's history (the first screen, a pain rise, or a re-check)."""
    levels = flag_levels()
    clean = {key: bool(answers.get(key, False)) for key in levels}
    return Screen.objects.create(
        person=person,
        answers=clean,
        reason=reason or selectors.screen_reason(person),
        outcome=rules.outcome_for(clean, levels),
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


@transaction.atomic
def conditions_save(*, person, keys) -> HealthConditions:
    """Replace the person's health conditions. Unknown keys are refused, not dropped."""
    unknown = set(keys) - set(CONTRAINDICATIONS)
    if unknown:
        raise ValueError(f"unknown health conditions: {', '.join(sorted(unknown))}")
    row, _ = HealthConditions.objects.update_or_create(
        person=person, defaults={"keys": sorted(set(keys))}
    )
    return row


def sources_save(*, sources: tuple[SourceContent, ...]) -> dict[str, Source]:
    """Make the Source rows hold exactly these sources (by key); returns them by key.
    Runs inside the library load's transaction."""
    rows = {}
    for source in sources:
        rows[source.key], _ = Source.objects.update_or_create(
            key=source.key,
            defaults={
                "citation": source.citation,
                "url": source.url,
                "identifier": source.identifier,
            },
        )
    Source.objects.exclude(key__in=rows).delete()
    return rows
