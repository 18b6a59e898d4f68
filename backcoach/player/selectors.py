"""What a person may play: tonight's routine, and a routine's steps that suit them."""

from backcoach.library.models import Routine
from backcoach.safety import selectors as safety


def tonight_routine(person) -> Routine | None:
    """The default bedtime routine, or the gentle flare-up routine while care is needed."""
    routines = Routine.objects.filter(is_active=True)
    if safety.gentle_only(person):
        gentle = routines.filter(purpose="flare-up").order_by("slug").first()
        if gentle is not None:
            return gentle
    return routines.filter(is_default=True).first()


def steps_for(person, routine: Routine) -> tuple[list, list[str]]:
    """The routine's steps without those the person's conditions rule out, and the names of
    the techniques left out."""
    conditions = set(person.conditions)
    steps = list(routine.steps.select_related("technique"))
    kept = [step for step in steps if not conditions & set(step.technique.excludes)]
    left_out = sorted({step.technique.name for step in steps if step not in kept})
    return kept, left_out
