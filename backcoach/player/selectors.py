"""What a person may play: tonight's routine, and a routine's steps that suit them."""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from backcoach import device_ids, nights
from backcoach.experiments import selectors as experiments
from backcoach.library.models import Routine
from backcoach.library.vocabulary import all_gentle
from backcoach.safety import selectors as safety
from backcoach.safety.contraindications import excluded_by

from .audio import store
from .models import PracticeStep
from .playback import routine_script


def default_routine() -> Routine | None:
    """The library's default bedtime routine."""
    return Routine.objects.library().filter(is_active=True, is_default=True).first()


def gentle_routine() -> Routine | None:
    """The library's gentle routine for a flare-up, offered while only gentle routines
    may play."""
    return (
        Routine.objects.library()
        .filter(is_active=True, purpose="flare-up")
        .order_by("slug")
        .first()
    )


class Refusal(models.TextChoices):
    """Why a routine does not play for this person now."""

    SCREEN = safety.Gate.SCREEN.value, safety.Gate.SCREEN.label
    URGENT = safety.Gate.URGENT.value, safety.Gate.URGENT.label
    NOT_GENTLE = "not-gentle", "Only gentle routines for now"
    RULED_OUT = "ruled-out", "Every step is ruled out by your health conditions"


@dataclass(frozen=True)
class Playable:
    """A routine as this person plays it now: the steps that suit them, the names of the
    techniques their conditions leave out, the timed script of cues, and the safety gate
    it was checked against."""

    routine: Routine
    steps: list
    left_out: list[str]
    script: dict
    gate: safety.RoutineGate
    gentle: bool  # every step of the routine is a gentle one

    @property
    def total(self) -> int:
        return sum(step.duration for step in self.steps)

    @property
    def refusal(self) -> Refusal | None:
        """Why it may not play now, or None when it may: the one answer every player
        (web, tonight, the audio track, the terminal) goes by."""
        if self.gate.stop is not None:
            return Refusal(self.gate.stop.value)
        if self.gate.gentle_only and not self.gentle:
            return Refusal.NOT_GENTLE
        if not self.steps:
            return Refusal.RULED_OUT
        return None


def playable_routine(
    person, routine: Routine, *, gate: safety.RoutineGate | None = None
) -> Playable:
    """The routine's steps without those the person's conditions rule out, with the
    cautions their conditions call for in the script, checked against the safety gate
    (`gate` saves its queries when the caller has it already)."""
    gate = gate or safety.routine_gate(person)
    conditions = safety.conditions_of(person)
    steps = list(routine.steps.select_related("technique"))
    kept = [step for step in steps if not excluded_by(conditions, step.technique.excludes)]
    left_out = sorted({step.technique.name for step in steps if step not in kept})
    script = routine_script(routine=routine, steps=kept, conditions=conditions)
    # All of its steps, not only those kept: a routine is gentle as the library lists it.
    gentle = all_gentle(step.technique.intensity for step in steps)
    return Playable(routine, kept, left_out, script, gate, gentle)


class TonightReason(models.TextChoices):
    """Why tonight holds what it holds."""

    EXPERIMENT = "experiment", "Tonight's routine in your experiment"
    REST = "rest", "No routine tonight: a night of your experiment"
    GENTLE = "gentle", "Only gentle routines for now"
    CHOSEN = "chosen", "Your bedtime routine"
    DEFAULT = "default", "The library's bedtime routine"


@dataclass(frozen=True)
class Tonight:
    """What the night holds for a person: the one answer the home page, /play/tonight/,
    the terminal player and every reminder give."""

    night: dt.date
    reason: TonightReason
    routine: Routine | None  # None: no routine (an experiment's night without, or none loaded)
    # Why only gentle routines may play now (safety.gentle_reason), if they may.
    gentle_reason: str | None = None
    assignment: experiments.Tonight | None = None  # the running experiment's night

    @property
    def routine_words(self) -> str:
        """The routine in a few words: its name and about how long."""
        if self.routine is None:
            return "your back routine"
        minutes = max(1, round(self.routine.total_seconds / 60))
        return f"{self.routine.name}, about {minutes} minute{'s' if minutes != 1 else ''}"

    @property
    def sentence(self) -> str:
        """Tonight in one sentence, as a reminder says it."""
        if self.assignment is not None and self.reason != TonightReason.GENTLE:
            return f"Tonight in your experiment: {self.assignment.words}."
        if self.assignment is not None:
            return (
                f"Tonight in your experiment: {self.assignment.words}; for now, "
                f"only gentle routines: {self.routine_words}."
            )
        return f"Time for tonight's routine: {self.routine_words}."


def tonight(person, night: dt.date | None = None) -> Tonight:
    """What `night` (by default the one under way, backcoach.nights) holds: the routine a
    running experiment drew for it (or none), else the person's bedtime routine (the
    library's default if they chose none); while only gentle routines may play, the
    library's gentle routine instead, and on an experiment's night, instead of a drawn
    routine that is not gentle. Whether a routine may start at all (the screen) is the
    player's to check as it starts, with the rest of the gate (Playable.refusal)."""
    gentle_reason = safety.gentle_reason(person)
    assignment = experiments.tonight(person, night)
    night = assignment.night if assignment is not None else night or experiments.today_of(person)

    def gentle_instead():
        return Tonight(night, TonightReason.GENTLE, gentle_routine(), gentle_reason, assignment)

    if assignment is not None:
        if assignment.routine is None:
            return Tonight(night, TonightReason.REST, None, gentle_reason, assignment)
        if gentle_reason is not None and not routine_is_gentle(assignment.routine):
            return gentle_instead()
        return Tonight(
            night, TonightReason.EXPERIMENT, assignment.routine, gentle_reason, assignment
        )
    chosen = person.bedtime_routine
    if chosen is not None and chosen.is_active:
        reason, routine = TonightReason.CHOSEN, chosen
    else:
        reason, routine = TonightReason.DEFAULT, default_routine()
    if gentle_reason is not None:
        # The flare-up routine, made for such days; the person's own only if it is gentle
        # and the library has none.
        gentle = gentle_routine()
        if gentle is not None or routine is None or not routine_is_gentle(routine):
            return gentle_instead()
    return Tonight(night, reason, routine, gentle_reason)


def routine_is_gentle(routine: Routine) -> bool:
    """Whether every technique of the routine is gentle (one query)."""
    return all_gentle(routine.steps.values_list("technique__intensity", flat=True))


def playable_track(playable: Playable) -> store.Track | None:
    """The audio track of what this person plays (their cautions are in it), ready or
    not; None where this installation has no voice to make one."""
    return store.track_of(playable.script)


PRACTICE_FIELDS = (
    "id",
    "client_id",
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
    """The person's practices, newest first, as plain records with their steps for the API
    (each by the id its device knows it by): two queries however many there are, and no
    model rows built."""
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
    zone = person.zone
    for record in records:
        record["routine"] = record.pop("routine_slug")
        record["night"] = nights.night_of(record["started_at"], zone)
        record["steps"] = steps[record["id"]]
        device_ids.as_known(record)
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


def night_of_practice(person, practice) -> dt.date:
    """The night a practice counts for (backcoach.nights), as every part counts it."""
    return nights.night_of(practice.started_at, person.zone)
