from .builder import Move, move_for
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
    routines = Routine.objects.filter(is_active=True).prefetch_related("steps__technique")
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


def builder_moves() -> list[Move]:
    return [move_for(technique) for technique in Technique.objects.filter(is_active=True)]
