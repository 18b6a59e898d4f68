"""Reading the diary: a page of check-ins, what is due this morning, last night's practice."""

import datetime as dt

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from backcoach import device_ids, nights

from .models import ANSWERS, Checkin, CheckinRevision


def checkins_of(person):
    """The person's check-ins, newest first, with their earlier answers (two queries per
    page, whatever it holds)."""
    revisions = CheckinRevision.objects.order_by("-replaced_at", "-id")
    return person.checkins.order_by("-recorded_at", "-id").prefetch_related(
        Prefetch("revisions", queryset=revisions)
    )


def this_morning(person, now: dt.datetime | None = None) -> dt.date:
    """The person's calendar date (the morning whose check-in is about last night)."""
    return nights.today(now or timezone.now(), person.zone)


def morning_checkin_for(person, day: dt.date) -> Checkin | None:
    """The morning check-in made on `day` (about the night before it), if any."""
    night = nights.night_of_morning(day)
    return person.checkins.filter(kind=Checkin.Kind.MORNING, night=night).first()


def morning_checkin_due(person, now: dt.datetime | None = None) -> bool:
    """True from early morning, local time, until this morning's check-in is done."""
    now = now or timezone.now()
    if not nights.morning_open(now, person.zone):
        return False
    night = nights.last_night(now, person.zone)
    return not person.checkins.filter(kind=Checkin.Kind.MORNING, night=night).exists()


def practised_that_night(person, night: dt.date) -> bool:
    """Whether the person did a routine on `night` (backcoach.nights)."""
    start, end = nights.night_bounds(night, night, person.zone)
    return person.practices.filter(started_at__gte=start, started_at__lt=end).exists()


# Every answer of every kind, once each, between the check-in's when and its last change.
CHECKIN_FIELDS = (
    "id",
    "client_id",
    "kind",
    "recorded_at",
    "night",
    *dict.fromkeys(name for names in ANSWERS.values() for name in names),
    "updated_at",
)


def checkin_records(
    person, *, limit: int = 50, offset: int = 0, kind: str = "", ids=None
) -> list[dict]:
    """The person's check-ins, newest first, as plain records for the API (each by the id
    its device knows it by): one query however many there are, with how many times each
    was edited."""
    # A subquery, not a join with GROUP BY: the rows then come in index order, and only the
    # page's rows are counted.
    edits = (
        CheckinRevision.objects.filter(checkin=OuterRef("pk"))
        .values("checkin")
        .annotate(n=Count("id"))
        .values("n")
    )
    checkins = person.checkins.order_by("-recorded_at", "-id").annotate(
        edits=Coalesce(Subquery(edits), 0)
    )
    if kind:
        checkins = checkins.filter(kind=kind)
    if ids is not None:
        checkins = checkins.filter(pk__in=ids)
    records = checkins.values(*CHECKIN_FIELDS, "edits")[offset : offset + limit]
    return [device_ids.as_known(record) for record in records]


def checkin_record(person, checkin_id) -> dict:
    return checkin_records(person, ids=[checkin_id], limit=1)[0]
