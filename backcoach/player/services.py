"""Recording practices: from the web player (through the API) and the terminal player."""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from backcoach import device_clock, device_ids
from backcoach.library.models import Routine, Technique

from . import rules
from .models import MAX_STEPS, Practice, PracticeStep

# An upload from a device's offline queue is at most this old (an import of an export
# brings older practices back; the other rules of a practice are rules.py's).
MAX_AGE = dt.timedelta(days=366)


class PracticeRejected(Exception):
    """The practice cannot be recorded as sent; the message says why."""


# One answer for an id that is the person's own with another practice and for one that is
# someone else's: it tells nobody whose an id is.
ID_IN_USE = "This practice id is already in use: send it with a new id. Nothing was recorded."


class PracticeConflict(PracticeRejected):
    """The id is already used for something else: nothing was changed."""


@dataclass(frozen=True)
class StepRecord:
    technique: str
    side: str
    planned_seconds: int
    done_seconds: int


@dataclass(frozen=True)
class SkippedCue:
    """A cue the player passed over unsaid (it was held up: a phone that slept), by the
    step's number in the practice (from 1) and the cue's moment in the step."""

    step: int
    at: int
    say: str


@dataclass(frozen=True)
class Ratings:
    pain: int | None = None
    tension: int | None = None


@dataclass(frozen=True)
class Upload:
    """A practice as a device sent it, to tell a retry of an upload from a different
    practice sent under the same id."""

    routine: str | None
    routine_name: str
    started_at: dt.datetime
    ended_at: dt.datetime
    status: str
    steps: tuple[StepRecord, ...]
    before: Ratings
    after: Ratings
    note: str
    skipped_cues: tuple[SkippedCue, ...] = ()


def practice_record(
    *,
    person,
    practice_id: uuid.UUID,
    routine: str | None,
    routine_name: str = "",
    started_at: dt.datetime,
    ended_at: dt.datetime,
    status: str,
    steps: list[StepRecord],
    before: Ratings = Ratings(),
    after: Ratings = Ratings(),
    note: str = "",
    skipped_cues: Sequence[SkippedCue] = (),
    source: str = Practice.Source.WEB,
    device_now: dt.datetime | None = None,
) -> tuple[Practice, bool]:
    """Record a practice once. Sending the same id again returns the first record unchanged
    (created is False), so a device may retry an upload as often as it needs to.

    `device_now` is the device's clock as it sent the upload: a practice from a device
    whose clock is wrong is moved by the difference to the server's, and the move is kept
    in `clock_corrected_seconds`.

    `skipped_cues` are the cues the player passed over unsaid, each within its step.

    The same id sent with a different practice raises PracticeConflict: the first one
    stands, and the device is told its change was not applied."""
    skipped_cues = sorted(skipped_cues, key=lambda cue: (cue.step, cue.at))
    sent = Upload(
        routine,
        routine_name,
        started_at,
        ended_at,
        status,
        tuple(steps),
        before,
        after,
        note,
        tuple(skipped_cues),
    )
    existing = find_practice(person, practice_id)
    if existing is not None:
        return _replayed(existing, sent), False

    routine_row = None
    if routine:
        routine_row = Routine.objects.visible_to(person).filter(slug=routine).first()
        if routine_row is None:
            raise PracticeRejected(f"There is no routine called {routine!r}.")
        routine_name = routine_row.name
    elif not routine_name.strip():
        raise PracticeRejected("Name the routine, or give the slug of a library routine.")
    correction = clock_correction(device_now, timezone.now())
    try:
        started_at = device_clock.corrected(started_at, correction)
        ended_at = device_clock.corrected(ended_at, correction)
    except device_clock.OutOfRange as exc:
        raise PracticeRejected(str(exc)) from None
    check_times(started_at, ended_at)
    techniques = check_steps(steps, started_at, ended_at)
    check_skipped_cues(skipped_cues, steps)
    check_ratings(before, after)
    if status not in Practice.Status.values:
        raise PracticeRejected(f"Status must be one of {', '.join(Practice.Status.values)}.")

    practice = Practice(
        **device_ids.ids_for(Practice, person, practice_id),
        person=person,
        routine=routine_row,
        routine_name=routine_name.strip()[:80],
        started_at=started_at,
        ended_at=ended_at,
        status=status,
        source=source,
        pain_before=before.pain,
        tension_before=before.tension,
        pain_after=after.pain,
        tension_after=after.tension,
        note=note.strip(),
        clock_corrected_seconds=device_clock.corrected_seconds(correction),
        skipped_cues=[{"step": cue.step, "at": cue.at, "say": cue.say} for cue in skipped_cues],
    )
    try:
        # Uniqueness is left to the database: a twin upload may be inserting right now.
        practice.full_clean(exclude=["person", "routine"], validate_unique=False)
    except ValidationError as exc:
        raise PracticeRejected(" ".join(exc.messages)) from None
    try:
        with transaction.atomic():
            practice.save(force_insert=True)
            PracticeStep.objects.bulk_create(
                PracticeStep(
                    practice=practice,
                    order=index,
                    technique=techniques[step.technique],
                    side=step.side,
                    planned_seconds=step.planned_seconds,
                    done_seconds=step.done_seconds,
                )
                for index, step in enumerate(steps, start=1)
            )
    except IntegrityError:
        # The same upload arrived twice at once: the other request stored it.
        existing = device_ids.sent(person.practices, practice_id).first()
        if existing is None:
            raise
        return _replayed(existing, sent), False
    return practice, True


def find_practice(person, practice_id: uuid.UUID) -> Practice | None:
    """The person's practice that their device sent as `practice_id`."""
    return device_ids.sent(person.practices, practice_id).first()


def _replayed(existing: Practice, sent: Upload) -> Practice:
    if not _same_upload(existing, sent):
        raise PracticeConflict(ID_IN_USE)
    return existing


# The clock correction is kept in whole seconds (clock_corrected_seconds).
_ROUNDING = dt.timedelta(seconds=1)


def _same_upload(existing: Practice, sent: Upload) -> bool:
    """Whether `sent` is a retry of the upload that recorded `existing`. Times are compared
    as the device sent them, before the clock correction (a retry sent later works it out
    afresh). Ratings after and a note may have been added since (practice_rate_after), so
    a retry without them still matches; one that gives other values does not."""
    if timezone.is_naive(sent.started_at) or timezone.is_naive(sent.ended_at):
        return False
    if sent.routine:
        same_routine = existing.routine is not None and existing.routine.slug == sent.routine
    else:
        same_routine = (
            existing.routine_id is None and existing.routine_name == sent.routine_name.strip()[:80]
        )
    shift = dt.timedelta(seconds=existing.clock_corrected_seconds)
    steps = tuple(
        StepRecord(
            technique=step.technique.slug,
            side=step.side,
            planned_seconds=step.planned_seconds,
            done_seconds=step.done_seconds,
        )
        for step in existing.steps.select_related("technique").order_by("order")
    )
    added_later_or_same = all(
        value is None or value == current
        for value, current in (
            (sent.after.pain, existing.pain_after),
            (sent.after.tension, existing.tension_after),
            (sent.note.strip() or None, existing.note),
        )
    )
    skipped = tuple(SkippedCue(**cue) for cue in existing.skipped_cues)
    return (
        same_routine
        and skipped == sent.skipped_cues
        and abs(existing.started_at - shift - sent.started_at) <= _ROUNDING
        and abs(existing.ended_at - shift - sent.ended_at) <= _ROUNDING
        and existing.status == sent.status
        and steps == sent.steps
        and Ratings(existing.pain_before, existing.tension_before) == sent.before
        and added_later_or_same
    )


def clock_correction(device_now: dt.datetime | None, server_now: dt.datetime) -> dt.timedelta:
    """device_clock.clock_correction, refusing a device time without a zone as a practice
    that cannot be recorded. A time the device's own clock puts after the sending stays in
    the future, and is refused by check_times: no correction explains it."""
    try:
        return device_clock.clock_correction(device_now, server_now)
    except device_clock.NaiveTime as exc:
        raise PracticeRejected(str(exc)) from None


def check_times(started_at: dt.datetime, ended_at: dt.datetime) -> None:
    now = timezone.now()
    if (problem := rules.times_problem(started_at, ended_at, now=now)) is not None:
        raise PracticeRejected(problem)
    if started_at < now - MAX_AGE:
        raise PracticeRejected("The practice is more than a year old.")


def check_steps(steps, started_at, ended_at) -> dict[str, Technique]:
    if not 1 <= len(steps) <= MAX_STEPS:
        raise PracticeRejected(f"A practice has between 1 and {MAX_STEPS} steps.")
    slugs = {step.technique for step in steps}
    techniques = Technique.objects.in_bulk(list(slugs), field_name="slug")
    unknown = sorted(slugs - set(techniques))
    if unknown:
        raise PracticeRejected(f"There is no technique called {unknown[0]!r}.")
    for number, step in enumerate(steps, start=1):
        technique = techniques[step.technique]
        problem = rules.step_problem(
            number,
            side=step.side,
            technique_sides=technique.sides,
            technique_name=technique.name,
            planned_seconds=step.planned_seconds,
            done_seconds=step.done_seconds,
        )
        if problem is not None:
            raise PracticeRejected(problem)
    done = [step.done_seconds for step in steps]
    if (problem := rules.steps_time_problem(done, started_at, ended_at)) is not None:
        raise PracticeRejected(problem)
    return techniques


def check_skipped_cues(skipped_cues: Sequence[SkippedCue], steps: list[StepRecord]) -> None:
    """Each skipped cue is in a step of this practice, inside it; the rest of the checks
    (how many, the words) are the model field's."""
    for number, cue in enumerate(skipped_cues, start=1):
        if not isinstance(cue.step, int) or not 1 <= cue.step <= len(steps):
            raise PracticeRejected(
                f"Skipped cue {number}: step must be a step of this practice (1 to {len(steps)})."
            )
        planned = steps[cue.step - 1].planned_seconds
        if not isinstance(cue.at, int) or not 0 <= cue.at < planned:
            raise PracticeRejected(
                f"Skipped cue {number}: at must be within its step (0 to {planned - 1} s)."
            )


def check_ratings(before: Ratings, after: Ratings) -> None:
    for name, value in (
        ("pain_before", before.pain),
        ("tension_before", before.tension),
        ("pain_after", after.pain),
        ("tension_after", after.tension),
    ):
        if (problem := rules.rating_problem(name, value)) is not None:
            raise PracticeRejected(problem)


def practice_rate_after(*, practice: Practice, after: Ratings, note: str = "") -> Practice:
    """Add how it felt afterwards. Once given, a rating is not silently replaced."""
    with transaction.atomic():
        practice = Practice.objects.select_for_update().get(pk=practice.pk)
        changes = {}
        for field, value in (("pain_after", after.pain), ("tension_after", after.tension)):
            current = getattr(practice, field)
            if value is None or value == current:
                continue
            if current is not None:
                raise PracticeConflict("This practice was already rated; nothing was changed.")
            changes[field] = value
        if note.strip() and note.strip() != practice.note:
            if practice.note:
                raise PracticeConflict("This practice already has a note; nothing was changed.")
            changes["note"] = note.strip()
        for field, value in changes.items():
            setattr(practice, field, value)
        if changes:
            practice.full_clean(exclude=["person", "routine"])
            practice.save(update_fields=list(changes))
    return practice
