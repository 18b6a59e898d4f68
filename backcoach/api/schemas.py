"""Types the API's resources share: the refusals, how moments and ids are written, and the
strict types requests are read with."""

import datetime as dt
import uuid
from typing import Annotated

from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StrictFloat,
    StrictInt,
    StrictStr,
    model_validator,
)

from backcoach import numbers, text


class Problem(Schema):
    detail: str


class Issue(Schema):
    """One thing wrong with a request: where (`loc`, such as ["body", "payload", "note"])
    and what."""

    type: str
    loc: list[str | int]
    msg: str


class Invalid(Schema):
    detail: list[Issue]


def problems(*statuses: int) -> dict[int, type[Schema]]:
    """The refusals an operation may answer with, for its `response=` map."""
    return {status: Invalid if status == 422 else Problem for status in statuses}


# Any operation: not logged in (401); a parameter or body that does not fit the schema (422).
READ_PROBLEMS = problems(401, 422)
# A write also: malformed JSON or refused by the service (400), no CSRF token (403), a body
# over the size limit (413) or not sent as JSON (415).
WRITE_PROBLEMS = problems(400, 401, 403, 413, 415, 422)


def refusals(rules: str = "") -> dict:
    """An operation's `openapi_extra`: its 400 answer described, malformed JSON and the
    service's rules (backcoach.api.openapi)."""
    said = "The body is not valid JSON" + (f", or: {rules}" if rules else ".")
    return {"responses": {400: {"description": said}}}


# Answers are serialised by pydantic, in its Rust core, straight to the strings JSON needs:
# otherwise each datetime and id in a long list goes through the JSON encoder's Python
# fallback, which was a third of the time of a 200-row page.
Moment = Annotated[dt.datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str)]
Day = Annotated[dt.date, PlainSerializer(lambda value: value.isoformat(), return_type=str)]
Id = Annotated[uuid.UUID, PlainSerializer(str, return_type=str)]


class ObjectIn(Schema):
    """A request body, or a part of one, that is a JSON object.

    ninja's Schema reads its fields as attributes of whatever it is given, so that it can
    be built from model rows; a list or a string sent as a body then passed as an empty
    object, all defaults. Replaces (by its name) that validator of ninja's."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info):
        if not isinstance(values, dict):
            raise ValueError("Send a JSON object here ({...}).")
        return handler(values)


# Requests are read strictly (whole(), StrictBool... in the resources' schemas): `true` is
# not a rating and "7" is not a number, so a client's bug shows at once instead of being
# stored as something it did not mean.
def _whole(value):
    """backcoach's rule for a whole number (numbers.whole): JSON has one kind of number, so
    7.0 is the integer 7 (as to JSON Schema and JavaScript); 7.5, true, "7", NaN are not
    whole numbers, and the message says which."""
    try:
        return numbers.whole(value)
    except numbers.NumberRefused as exc:
        raise ValueError(str(exc)) from None


def _decimal(value):
    """backcoach's rule for a number (numbers.decimal): finite, not a boolean or text."""
    try:
        return numbers.decimal(value)
    except numbers.NumberRefused as exc:
        raise ValueError(str(exc)) from None


def whole(minimum: int, maximum: int):
    """The type of a whole number from `minimum` to `maximum`: not a boolean, not a string
    of digits, not 7.5. (The limits go inside the type, before the validator, so that the
    schema writes them as JSON Schema's minimum and maximum also where null is allowed.)"""
    return Annotated[StrictInt, Field(ge=minimum, le=maximum), BeforeValidator(_whole)]


def measure(minimum: float, maximum: float):
    """The type of a measurement from `minimum` to `maximum` (a whole number is one too):
    finite, not a boolean, not a string of digits."""
    return Annotated[StrictFloat, Field(ge=minimum, le=maximum), BeforeValidator(_decimal)]


def _plain_text(value: str) -> str:
    if (character := text.control_character_in(value)) is not None:
        raise ValueError(text.control_character_message(character))
    return value


# Text a person typed. The pattern tells clients (and the fuzzer) what the check refuses;
# the check itself gives the clearer message.
Text = Annotated[
    StrictStr,
    AfterValidator(_plain_text),
    Field(json_schema_extra={"pattern": text.PLAIN_TEXT_PATTERN}),
]
# A library technique's or routine's slug, as the content files write them.
Slug = Annotated[StrictStr, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9-]+$")]

MOMENT_EXAMPLE = "2026-11-29T22:30:00+01:00"


def _iso_moment(value):
    """Only an ISO 8601 string is a moment: pydantic would also read a number (or a string
    of digits) as seconds since 1970."""
    if isinstance(value, dt.datetime):
        return value
    message = f"Give a date and time as an ISO 8601 string, for example {MOMENT_EXAMPLE}."
    if not isinstance(value, str):
        raise ValueError(message)
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(message) from None


MomentIn = Annotated[dt.datetime, BeforeValidator(_iso_moment)]
