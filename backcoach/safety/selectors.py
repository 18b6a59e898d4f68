"""What the rest of backcoach asks of safety: may this person start a routine now, must
routines be gentle, which banner to show."""

import datetime as dt

from django.utils import timezone

from . import rules
from .models import FlareUp, Screen

FLARE_DAYS = 3


def latest_screen(person) -> Screen | None:
    return person.screens.order_by("-answered_at").first()


def pain_readings(person, since: dt.datetime) -> list[tuple[dt.datetime, float]]:
    """Dated pain ratings from practices (before and after). The diary will add its own
    ratings to this list; the rule that reads it stays the same."""
    readings = []
    rows = person.practices.filter(started_at__gte=since).values_list(
        "started_at", "pain_before", "ended_at", "pain_after"
    )
    for started, before, ended, after in rows:
        if before is not None:
            readings.append((started, float(before)))
        if after is not None:
            readings.append((ended, float(after)))
    return readings


def routine_gate(person) -> str | None:
    """None when a routine may start; otherwise why not: 'screen' (not yet answered, or
    pain is rising since it was), or 'urgent' (urgent signs, not yet assessed)."""
    screen = latest_screen(person)
    if screen is None:
        return "screen"
    if screen.outcome == Screen.Outcome.URGENT and screen.assessed_at is None:
        return "urgent"
    # Only what was recorded since the last screen: once asked about a rise, the person is
    # not asked again until pain rises again.
    since = max(screen.answered_at, timezone.now() - rules.RISE_WINDOW * 2)
    if rules.pain_is_rising(pain_readings(person, since)):
        return "screen"
    return None


def active_flare_up(person) -> FlareUp | None:
    cutoff = timezone.now() - dt.timedelta(days=FLARE_DAYS)
    return person.flare_ups.filter(started_at__gte=cutoff).order_by("-started_at").first()


def gentle_only(person) -> bool:
    screen = latest_screen(person)
    return bool(
        (screen is not None and screen.outcome != Screen.Outcome.NONE) or active_flare_up(person)
    )
