"""What a person may play: tonight's routine, and a routine's steps that suit them."""

from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from backcoach.library.models import Routine
from backcoach.safety import selectors as safety
from backcoach.safety.contraindications import excluded_by

from .audio import store
from .models import PracticeStep
from .playback import routine_script


def tonight_routine(person) -> Routine | None:
    """The bedtime routine the person chose (the library's default if none), or the gentle
    flare-up routine while care is needed."""
    routines = Routine.objects.library().filter(is_active=True)
    if safety.gentle_only(person):
        gentle = routines.filter(purpose="flare-up").order_by("slug").first()
        if gentle is not None:
            return gentle
    chosen = person.bedtime_routine
    if chosen is not None and chosen.is_active:
        return chosen
    return default_routine()


def tonight_words(person) -> str:
    """Tonight's routine in a few words, for a reminder: its name and about how long."""
    routine = tonight_routine(person)
    if routine is None:
        return "your back routine"
    minutes = max(1, round(routine.total_seconds / 60))
    return f"{routine.name}, about {minutes} minute{'s' if minutes != 1 else ''}"


def default_routine() -> Routine | None:
    """The library's default bedtime routine."""
    return Routine.objects.library().filter(is_active=True, is_default=True).first()


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


def playable_track(playable: Playable) -> store.Track | None:
    """The audio track of what this person plays (their cautions are in it), ready or
    not; None where this installation has no voice to make one."""
    return store.track_of(playable.script)


PRACTICE_FIELDS = (
    "id",
    "routine_name",
    "started_at",
    "ended_at",
    "status",
    "pain_before",
    "tension_before",
    "pain_after",
    "tension_after",
    "note",
    "skipped_cues",
)


def practice_records(person, *, limit: int = 50, offset: int = 0, ids=None) -> list[dict]:
    """The person's practices, newest first, as plain records with their steps (for the
    API and exports): two queries however many there are, and no model rows built."""
    practices = person.practices.order_by("-started_at", "-id")
    if ids is not None:
        practices = practices.filter(pk__in=ids)
    records = list(
        practices.values(*PRACTICE_FIELDS, routine_slug=F("routine__slug"))[offset : offset + limit]
    )
    steps: dict = {record["id"]: [] for record in records}
    rows = (
        PracticeStep.objects.filter(practice_id__in=steps)
        .order_by("practice_id", "order")
        .values_list("practice_id", "technique__slug", "side", "planned_seconds", "done_seconds")
    )
    for practice_id, technique, side, planned, done in rows:
        steps[practice_id].append(
            {"technique": technique, "side": side, "planned_seconds": planned, "done_seconds": done}
        )
    for record in records:
        record["routine"] = record.pop("routine_slug")
        record["steps"] = steps[record["id"]]
    return records


def practice_record(person, practice_id) -> dict:
    """One of the person's practices as practice_records gives it."""
    return practice_records(person, ids=[practice_id], limit=1)[0]


def practice_history(person):
    """The person's practices, newest first, each with the seconds it lasted, summed by the
    database (one query per page, whatever the page holds)."""
    done = (
        PracticeStep.objects.filter(practice=OuterRef("pk"))
        .values("practice")
        .annotate(total=Sum("done_seconds"))
        .values("total")
    )
    return person.practices.order_by("-started_at", "-id").annotate(
        seconds_done=Coalesce(Subquery(done), 0)
    )
