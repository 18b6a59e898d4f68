from dataclasses import dataclass, replace

from backcoach.safety import selectors as safety

from .builder import NothingFits, Plan, PlannedStep, Request, build_routine, move_for
from .models import Routine, Technique


def techniques_matching(
    *, area: str = "", position: str = "", equipment: str = "", minutes: int | None = None
) -> list[Technique]:
    """Active techniques that work the area, in the position, with the equipment, that fit
    in the minutes. The library is small (tens of rows), so the list fields are matched
    here rather than with database-specific JSON lookups."""
    found = []
    for technique in Technique.objects.filter(is_active=True).order_by("name"):
        if area and area not in technique.body_areas:
            continue
        if position and technique.position != position:
            continue
        if equipment and equipment not in technique.equipment:
            continue
        if minutes and technique.min_duration > minutes * 60:
            continue
        found.append(technique)
    return found


def routines_matching(
    *, area: str = "", position: str = "", equipment: str = "", minutes: int | None = None
) -> list[Routine]:
    found = []
    routines = Routine.objects.library().filter(is_active=True).prefetch_related("steps__technique")
    for routine in routines:
        steps = list(routine.steps.all())
        techniques = [step.technique for step in steps]
        if area and not any(area in t.body_areas for t in techniques):
            continue
        if position and not any(t.position == position for t in techniques):
            continue
        if equipment and not any(equipment in t.equipment for t in techniques):
            continue
        if minutes and sum(step.duration for step in steps) > minutes * 60:
            continue
        found.append(routine)
    return found


def own_routines(person) -> list[Routine]:
    """The routines the person saved in My routines, with their steps; newest first."""
    if not person.is_authenticated:
        return []
    return list(
        person.own_routines.filter(is_active=True, saved=True)
        .order_by("-created_at", "-pk")
        .prefetch_related("steps")
    )


def routine_with_steps(slug: str, person) -> tuple[Routine, list] | None:
    """An active routine the person may see (the library's, or their own) and its steps
    (techniques joined), or None."""
    routine = Routine.objects.visible_to(person).filter(slug=slug, is_active=True).first()
    if routine is None:
        return None
    return routine, list(routine.steps.select_related("technique"))


@dataclass(frozen=True)
class Built:
    """What the builder made of a request: the plan and its techniques, or why not."""

    request: Request
    plan: Plan | None = None
    steps: tuple[tuple[PlannedStep, Technique], ...] = ()
    reason: str = ""
    # Why only gentle techniques were used (safety.gentle_reason), as the player says it.
    gentle_reason: str | None = None


def routine_built(*, wanted: Request, person) -> Built:
    """Build a routine for `wanted`. For a person who is logged in, their own health
    conditions and safety state always apply, whatever the form says."""
    gentle_reason = None
    if person.is_authenticated:
        gentle_reason = safety.gentle_reason(person)
        wanted = replace(
            wanted,
            conditions=wanted.conditions | safety.conditions_of(person),
            gentle_only=gentle_reason is not None,
        )
    techniques = {t.slug: t for t in Technique.objects.filter(is_active=True)}
    try:
        plan = build_routine(wanted, [move_for(t) for t in techniques.values()])
    except NothingFits as exc:
        return Built(request=wanted, reason=str(exc), gentle_reason=gentle_reason)
    return Built(
        request=wanted,
        gentle_reason=gentle_reason,
        plan=plan,
        steps=tuple((step, techniques[step.technique]) for step in plan.steps),
    )
