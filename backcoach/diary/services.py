"""Writing the diary: check-ins recorded, replaced and edited, never silently overwritten."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from backcoach import device_clock, device_ids
from backcoach.safety import selectors as safety

from . import measures, rules
from .models import ANSWERS, Checkin, CheckinRevision


class CheckinRejected(Exception):
    """The check-in cannot be recorded as sent; the message says why, in plain words."""


# One answer for an id that is the person's own with other answers and for one that is
# someone else's: it tells nobody whose an id is.
ID_IN_USE = "This id is already in use: send the check-in with a new id. Nothing was recorded."


class CheckinConflict(Exception):
    """Recording would overwrite something: a morning check-in already exists for that
    night, or the id is taken by a different check-in."""

    def __init__(self, message: str, existing: Checkin | None = None):
        super().__init__(message)
        self.existing = existing


def check_when(recorded_at: dt.datetime, *, now: dt.datetime | None = None) -> None:
    if (problem := rules.moment_problem(recorded_at, now=now or timezone.now())) is not None:
        raise CheckinRejected(problem)


def answers_of(checkin: Checkin) -> dict:
    """The answers a check-in holds, as JSON-ready values (for its revisions)."""
    answers = {"recorded_at": checkin.recorded_at.isoformat()}
    for name in ANSWERS[checkin.kind]:
        answers[name] = getattr(checkin, name)
    return answers


def _apply(checkin: Checkin, values: dict) -> None:
    if problems := rules.answers_problems(checkin.kind, values):
        raise CheckinRejected("; ".join(problems) + ".")
    for name, value in values.items():
        setattr(checkin, name, value)
    if not set(checkin.pain_areas or ()) & measures.LEG_AREAS:
        checkin.leg_below_knee = None
    try:
        checkin.full_clean(
            exclude=["person", "id"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        fields = ", ".join(sorted(exc.message_dict)) if hasattr(exc, "message_dict") else ""
        raise CheckinRejected(f"Some answers are out of range: {fields}.") from None


@transaction.atomic
def checkin_record(
    *,
    person,
    kind: str,
    recorded_at: dt.datetime,
    values: dict,
    checkin_id: uuid.UUID | None = None,
    replace: bool = False,
    device_now: dt.datetime | None = None,
    night: dt.date | None = None,
) -> tuple[Checkin, bool]:
    """Record a check-in; returns it and whether it was new.

    Sending the same id again with the same answers is a no-op (offline uploads may be
    repeated). A second morning check-in for one night raises CheckinConflict unless
    `replace`, which edits the first and keeps its earlier answers as a revision.

    `device_now` is the device's clock as it sent the check-in: `recorded_at` from a
    device whose clock is wrong is moved by the difference (kept in
    `clock_corrected_seconds`), so that a fast phone's morning is not "in the future".

    A morning check-in's night is the one its moment describes; a `night` sent with it
    (a device's own idea) must be that one.
    """
    kind = Checkin.Kind(kind)
    as_sent = recorded_at
    if checkin_id is not None:
        earlier = device_ids.sent(person.checkins, checkin_id).first()
        if earlier is not None:
            return _replayed(earlier, person=person, recorded_at=as_sent, values=values)
    try:
        correction = device_clock.clock_correction(device_now, timezone.now())
    except device_clock.NaiveTime as exc:
        raise CheckinRejected(str(exc)) from None
    try:
        recorded_at = device_clock.corrected(recorded_at, correction)
    except device_clock.OutOfRange as exc:
        raise CheckinRejected(str(exc)) from None
    check_when(recorded_at)
    bends = kind == Checkin.Kind.WEEKLY and values.get("fingertip_floor_cm") is not None
    if bends and (refusal := safety.fingertip_test_refusal(person)) is not None:
        raise CheckinRejected(refusal)
    if night is not None and (
        problem := rules.night_problem(kind, night, recorded_at, person.zone)
    ):
        raise CheckinRejected(problem + ".")
    night = rules.checkin_night(kind, recorded_at, person.zone)
    if night is not None:
        existing = person.checkins.filter(kind=kind, night=night).first()
        if existing is not None:
            if not replace:
                raise CheckinConflict(
                    "There is already a morning check-in for that night.", existing
                )
            return checkin_edit(checkin=existing, recorded_at=recorded_at, values=values), False
    checkin = Checkin(
        person=person,
        kind=kind,
        recorded_at=recorded_at,
        night=night,
        **device_ids.ids_for(Checkin, person, checkin_id),
        clock_corrected_seconds=device_clock.corrected_seconds(correction),
    )
    _apply(checkin, values)
    try:
        with transaction.atomic():
            checkin.save(force_insert=True)
    except IntegrityError:
        # Another tab or device recorded the same check-in (its id), or the same night, a
        # moment ago.
        twin = device_ids.sent(person.checkins, checkin_id).first() if checkin_id else None
        if twin is not None:
            return _replayed(twin, person=person, recorded_at=as_sent, values=values)
        raise CheckinConflict(
            "There is already a morning check-in for that night.",
            person.checkins.filter(kind=kind, night=night).first() if night else None,
        ) from None
    return checkin, True


def _replayed(earlier: Checkin, *, person, recorded_at, values) -> tuple[Checkin, bool]:
    """A check-in sent again. Its moment is compared as the device sent it, before the
    clock correction: a retry sent later works the correction out afresh."""
    try:
        sent_at = device_clock.corrected(
            recorded_at, dt.timedelta(seconds=earlier.clock_corrected_seconds)
        )
    except device_clock.OutOfRange as exc:
        raise CheckinRejected(str(exc)) from None
    replay = Checkin(
        person=person,
        kind=earlier.kind,
        recorded_at=sent_at,
        night=earlier.night,
        pain_areas=[],
    )
    _apply(replay, values)
    if answers_of(replay) != answers_of(earlier):
        raise CheckinConflict(ID_IN_USE)
    return earlier, False


@transaction.atomic
def checkin_edit(*, checkin: Checkin, values: dict, recorded_at: dt.datetime | None = None):
    """Change a check-in's answers, keeping what it said before as a revision. A morning
    check-in stays with its night."""
    checkin = Checkin.objects.select_for_update().get(pk=checkin.pk)
    before = answers_of(checkin)
    if recorded_at is not None:
        check_when(recorded_at)
        if checkin.kind == Checkin.Kind.MORNING and (
            rules.checkin_night(checkin.kind, recorded_at, checkin.person.zone) != checkin.night
        ):
            raise CheckinRejected("A morning check-in stays with its night.")
        checkin.recorded_at = recorded_at
    _apply(checkin, values)
    if answers_of(checkin) == before:
        return checkin
    CheckinRevision.objects.create(checkin=checkin, values=before)
    checkin.save()
    return checkin
