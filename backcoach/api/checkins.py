"""The diary's endpoints: record a check-in (idempotent, as the offline queue needs), change
one (its earlier answers kept), list them a page at a time.

Handlers parse, call one diary service or selector, and answer."""

import datetime as dt
import uuid
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, StrictBool

from backcoach import device_ids
from backcoach.diary import measures, selectors, services
from backcoach.diary.models import Checkin

from . import openapi
from .schemas import (
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    Day,
    Id,
    Moment,
    MomentIn,
    ObjectIn,
    Problem,
    Text,
    measure,
    refusals,
    whole,
)

router = Router(tags=["check-ins"])

Rating = whole(0, 10)
Minutes = whole(0, measures.MAX_MINUTES)
Kind = Literal[tuple(Checkin.Kind.values)]  # type: ignore[valid-type]
Area = Literal[tuple(measures.PAIN_AREAS)]  # type: ignore[valid-type]
Feel = Literal[("", *measures.ROUTINE_FEEL)]  # type: ignore[valid-type]


class Answers(ObjectIn):
    """The answers a check-in may hold; each kind takes its own (see the diary's forms)."""

    pain: Rating | None = None
    pain_areas: list[Area] = Field(default_factory=list, max_length=len(measures.PAIN_AREAS))
    leg_below_knee: StrictBool | None = None
    sleep_onset_minutes: Minutes | None = None
    sleep_quality: whole(1, 5) | None = None
    stiffness_minutes: Minutes | None = None
    routine_feel: Feel = ""
    new_symptom: StrictBool = False
    tension: Rating | None = None
    note: Text = Field("", max_length=500)
    peg_pain: Rating | None = None
    peg_enjoyment: Rating | None = None
    peg_activity: Rating | None = None
    # A whole number of centimetres is a length too.
    fingertip_floor_cm: measure(0, measures.MAX_FINGERTIP_CM) | None = None
    posture: Rating | None = None


class CheckinIn(Answers):
    id: uuid.UUID | None = Field(
        None, description="made by the device; sending the same check-in again is a no-op"
    )
    kind: Kind
    recorded_at: MomentIn = Field(..., description="the moment it is about; 14 days back")
    night: dt.date | None = Field(
        None,
        description="a morning check-in's night, if the device gives it: it must be the one "
        "recorded_at describes (the evening before its date, in the person's zone)",
    )
    replace: StrictBool = Field(
        False, description="a morning check-in for a night that has one replaces it"
    )
    sent_at: MomentIn | None = Field(
        None,
        description="the device's clock as it sent this; if it differs from the server's, "
        "recorded_at is corrected by the difference",
    )


class CheckinOut(BaseModel):
    id: Id
    kind: str
    recorded_at: Moment
    night: Day | None
    pain: int | None
    pain_areas: list[str]
    leg_below_knee: bool | None
    sleep_onset_minutes: int | None
    sleep_quality: int | None
    stiffness_minutes: int | None
    routine_feel: str
    new_symptom: bool
    tension: int | None
    note: str
    peg_pain: int | None
    peg_enjoyment: int | None
    peg_activity: int | None
    fingertip_floor_cm: float | None
    posture: int | None
    updated_at: Moment
    edits: int


class CheckinConflictOut(Schema):
    detail: str
    existing: uuid.UUID | None = None


def answers_sent(payload: Answers) -> dict:
    """The answers sent; one that the check-in's kind does not hold is refused by the
    service ("A morning check-in does not hold: tension")."""
    sent = payload.dict(exclude_unset=True)
    return {name: value for name, value in sent.items() if name in Answers.model_fields}


@router.post(
    "/",
    response={201: CheckinOut, 200: CheckinOut, **WRITE_PROBLEMS, 409: CheckinConflictOut},
    openapi_extra=refusals(openapi.CHECKIN_RULES),
    summary="Record a check-in",
)
def record_checkin(request, payload: CheckinIn):
    try:
        checkin, created = services.checkin_record(
            person=request.user,
            kind=payload.kind,
            recorded_at=payload.recorded_at,
            values=answers_sent(payload),
            checkin_id=payload.id,
            replace=payload.replace,
            device_now=payload.sent_at,
            night=payload.night,
        )
    except services.CheckinConflict as exc:
        existing = exc.existing.pk if exc.existing is not None else None
        return Status(409, {"detail": str(exc), "existing": existing})
    except services.CheckinRejected as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201 if created else 200, selectors.checkin_record(request.user, checkin.pk))


@router.patch(
    "/{checkin_id}",
    response={200: CheckinOut, **WRITE_PROBLEMS, 404: Problem},
    openapi_extra=refusals(openapi.CHECKIN_EDIT_RULES),
    summary="Change a check-in's answers; the earlier ones are kept",
)
def edit_checkin(request, checkin_id: uuid.UUID, payload: Answers):
    checkin = get_object_or_404(device_ids.sent(request.user.checkins, checkin_id))
    try:
        services.checkin_edit(checkin=checkin, values=answers_sent(payload))
    except services.CheckinRejected as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, selectors.checkin_record(request.user, checkin.pk))


ONLY_KIND = Query(None, description="only this kind")


@router.get(
    "/", response={200: list[CheckinOut], **READ_PROBLEMS}, summary="Your check-ins, newest first"
)
def list_checkins(
    request,
    limit: int = Query(50, ge=1, le=500, description="how many to return"),
    offset: int = Query(0, ge=0, le=10_000_000, description="how many of the newest to skip"),
    kind: Kind | None = ONLY_KIND,
):
    return selectors.checkin_records(request.user, limit=limit, offset=offset, kind=kind or "")
