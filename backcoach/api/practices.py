"""The practice endpoints of the JSON API: upload (idempotent), add ratings, list.

Handlers parse, call one player service or selector, and answer."""

import datetime as dt
import uuid
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Status
from pydantic import BaseModel

from backcoach import device_ids
from backcoach.library.vocabulary import STEP_SIDES
from backcoach.player import models, selectors, services

from . import openapi
from .schemas import (
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    Id,
    Moment,
    MomentIn,
    ObjectIn,
    Problem,
    Slug,
    Text,
    refusals,
    whole,
)

router = Router(tags=["practices"])

Rating = whole(0, 10)


class StepIn(ObjectIn):
    technique: Slug = Field(..., description="the technique's slug")
    side: Literal[tuple(STEP_SIDES)] = "both"  # type: ignore[valid-type]
    planned_seconds: whole(1, 3600)
    done_seconds: whole(0, 3600)


class SkippedCueIn(ObjectIn):
    step: whole(1, services.MAX_STEPS) = Field(..., description="the step's number, from 1")
    at: whole(0, 3599) = Field(..., description="the cue's moment in its step (s)")
    say: Text = Field(..., min_length=1, max_length=models.MAX_CUE_WORDS)


class PracticeIn(ObjectIn):
    id: uuid.UUID = Field(..., description="made by the device; sending it again is a no-op")
    routine: Slug | None = Field(
        None, description="the slug of a library routine, or of one of your own routines"
    )
    routine_name: Text = Field("", max_length=80, description="for a routine built tonight")
    started_at: MomentIn
    ended_at: MomentIn
    status: Literal["completed", "abandoned"]
    steps: list[StepIn] = Field(..., min_length=1, max_length=services.MAX_STEPS)
    pain_before: Rating | None = None
    tension_before: Rating | None = None
    pain_after: Rating | None = None
    tension_after: Rating | None = None
    note: Text = Field("", max_length=500)
    skipped_cues: list[SkippedCueIn] = Field(
        [],
        max_length=models.MAX_SKIPPED_CUES,
        description="cues the player passed over unsaid because it was held up (a phone "
        "that slept), in time order",
    )
    sent_at: MomentIn | None = Field(
        None,
        description="the device's clock as it sent this; if it differs from the server's, "
        "the practice's times are moved by the difference",
    )


class RatingsIn(ObjectIn):
    pain_after: Rating | None = None
    tension_after: Rating | None = None
    note: Text = Field("", max_length=500)


# Answers are built from plain records (player.selectors.practice_records), so they are
# pydantic models rather than ninja Schemas, which would read each field through a getter
# made for model rows.
class StepOut(BaseModel):
    technique: str
    side: str
    planned_seconds: int
    done_seconds: int


class SkippedCueOut(BaseModel):
    step: int
    at: int
    say: str


class PracticeOut(BaseModel):
    id: Id
    routine: str | None
    routine_name: str
    started_at: Moment
    ended_at: Moment
    night: dt.date = Field(
        description="The night it counts for: the date of its evening, on the person's clock "
        "(06:00 to 06:00)."
    )
    status: str
    pain_before: int | None
    tension_before: int | None
    pain_after: int | None
    tension_after: int | None
    note: str
    steps: list[StepOut]
    skipped_cues: list[SkippedCueOut]


@router.post(
    "/",
    response={201: PracticeOut, 200: PracticeOut, **WRITE_PROBLEMS, 409: Problem},
    openapi_extra=refusals(openapi.PRACTICE_RULES),
    summary="Record a finished or stopped practice",
)
def record_practice(request, payload: PracticeIn):
    try:
        practice, created = services.practice_record(
            person=request.user,
            practice_id=payload.id,
            routine=payload.routine,
            routine_name=payload.routine_name,
            started_at=payload.started_at,
            ended_at=payload.ended_at,
            status=payload.status,
            steps=[services.StepRecord(**step.dict()) for step in payload.steps],
            before=services.Ratings(payload.pain_before, payload.tension_before),
            after=services.Ratings(payload.pain_after, payload.tension_after),
            note=payload.note,
            skipped_cues=[services.SkippedCue(**cue.dict()) for cue in payload.skipped_cues],
            device_now=payload.sent_at,
        )
    except services.PracticeConflict as exc:
        return Status(409, {"detail": str(exc)})
    except services.PracticeRejected as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201 if created else 200, selectors.practice_record(request.user, practice.pk))


@router.patch(
    "/{practice_id}",
    response={200: PracticeOut, **WRITE_PROBLEMS, 404: Problem, 409: Problem},
    openapi_extra=refusals(),
    summary="Add pain and tension after a practice",
)
def rate_practice(request, practice_id: uuid.UUID, payload: RatingsIn):
    practice = get_object_or_404(device_ids.sent(request.user.practices, practice_id))
    try:
        practice = services.practice_rate_after(
            practice=practice,
            after=services.Ratings(payload.pain_after, payload.tension_after),
            note=payload.note,
        )
    except services.PracticeConflict as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, selectors.practice_record(request.user, practice.pk))


@router.get(
    "/", response={200: list[PracticeOut], **READ_PROBLEMS}, summary="Your practices, newest first"
)
def list_practices(
    request,
    limit: int = Query(50, ge=1, le=500, description="how many to return"),
    offset: int = Query(0, ge=0, le=10_000_000, description="how many of the newest to skip"),
):
    return selectors.practice_records(request.user, limit=limit, offset=offset)
