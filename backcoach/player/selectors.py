"""What a person may play: tonight's routine, and a routine's steps that suit them."""

from dataclasses import dataclass

from django.db.models import Prefetch

from backcoach.library.models import Routine
from backcoach.safety import selectors as safety
from backcoach.safety.contraindications import excluded_by

from .models import Practice, PracticeStep
from .playback import routine_script


def tonight_routine(person) -> Routine | None:
    """The default bedtime routine, or the gentle flare-up routine while care is needed."""
    routines = Routine.objects.filter(is_active=True)
    if safety.gentle_only(person):
        gentle = routines.filter(purpose="flare-up").order_by("slug").first()
        if gentle is not None:
            return gentle
    return routines.filter(is_default=True).first()


@dataclass(frozen=True)
class Playable:
    """A routine as this person plays it: the steps that suit them, the names of the
    techniques their conditions leave out, and the timed script of cues."""

    routine: Routine
    steps: list
    left_out: list[str]
    script: dict

    @property
    def total(self) -> int:
        return sum(step.duration for step in self.steps)


def playable_routine(person, routine: Routine) -> Playable:
    """The routine's steps without those the person's conditions rule out, with the
    cautions their conditions call for in the script."""
    conditions = safety.conditions_of(person)
    steps = list(routine.steps.select_related("technique"))
    kept = [step for step in steps if not excluded_by(conditions, step.technique.excludes)]
    left_out = sorted({step.technique.name for step in steps if step not in kept})
    script = routine_script(routine=routine, steps=kept, conditions=conditions)
    return Playable(routine, kept, left_out, script)


def practices_of(person):
    """The person's practices, newest first, each with its routine and its steps'
    techniques fetched in a fixed number of queries, however many there are."""
    steps = PracticeStep.objects.select_related("technique").order_by("order")
    return person.practices.select_related("routine").prefetch_related(
        Prefetch("steps", queryset=steps)
    )


def practice_of(person, practice_id) -> Practice:
    """One of the person's practices, fetched like practices_of."""
    return practices_of(person).get(pk=practice_id)
