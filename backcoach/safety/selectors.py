"""What the rest of backcoach asks of safety: may this person start a routine now, must
routines be gentle, which conditions apply to them, which banner to show."""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils import dateformat, timezone

from . import rules
from .content import Benefit, FlagGroup, benefits, groups_raised, red_flag_groups
from .models import FlareUp, HealthConditions, Screen, Source

FLARE_DAYS = 3
# Said by the site's banner, the player and the builder alike.
SEE_CLINICIAN_GENTLE = (
    "Your safety check asked you to see a clinician: until the next check, backcoach plays "
    "only gentle routines."
)


class Gate(models.TextChoices):
    """Why a routine may not start now."""

    SCREEN = "screen", "Answer the safety check first"
    URGENT = "urgent", "Urgent warning signs, not yet assessed"


def latest_screen(person) -> Screen | None:
    return person.screens.order_by("-answered_at").first()


def pain_readings(person, since: dt.datetime) -> list[tuple[dt.datetime, float]]:
    """Dated pain ratings from practices (before and after) and from the diary's
    check-ins: one list for the one rule that reads it (rules.pain_is_rising).

    Read through the person's related rows, so that safety imports neither the player nor
    the diary."""
    readings = []
    rows = person.practices.filter(started_at__gte=since).values_list(
        "started_at", "pain_before", "ended_at", "pain_after"
    )
    for started, before, ended, after in rows:
        if before is not None:
            readings.append((started, float(before)))
        if after is not None:
            readings.append((ended, float(after)))
    checkins = person.checkins.filter(recorded_at__gte=since, pain__isnull=False)
    readings += [(at, float(pain)) for at, pain in checkins.values_list("recorded_at", "pain")]
    return readings


def screen_due(person, screen: Screen) -> Screen.Reason | None:
    """Why the screen should be answered again since `screen`, if it should: a new or
    worse symptom noted in the diary, or pain rising sharply."""
    if person.checkins.filter(new_symptom=True, created_at__gt=screen.answered_at).exists():
        return Screen.Reason.SYMPTOM
    # Only what was recorded since the last screen: once asked about a rise, the person is
    # not asked again until pain rises again.
    since = max(screen.answered_at, timezone.now() - rules.RISE_WINDOW * 2)
    if rules.pain_is_rising(pain_readings(person, since)):
        return Screen.Reason.PAIN_RISE
    return None


@dataclass(frozen=True)
class RoutineGate:
    """What the person's safety allows now: `stop` when no routine may start (and why),
    `gentle_reason` when only gentle routines may (and why, in a sentence)."""

    stop: Gate | None = None
    gentle_reason: str | None = None

    @property
    def gentle_only(self) -> bool:
        return self.gentle_reason is not None


def routine_gate(person) -> RoutineGate:
    """The one safety gate every way to play asks (the web player, tonight's routine, the
    audio track, the terminal player, the builder). It stops every routine while the
    screen is unanswered or due again (pain rising sharply, a new symptom noted), or
    urgent signs are not yet assessed; and it allows only gentle routines while a flare-up
    lasts or the latest screen asked the person to see a clinician."""
    screen = latest_screen(person)
    gentle = gentle_reason(person, screen=screen)
    if screen is None:
        return RoutineGate(stop=Gate.SCREEN, gentle_reason=gentle)
    if screen.outcome == Screen.Outcome.URGENT and screen.assessed_at is None:
        return RoutineGate(stop=Gate.URGENT, gentle_reason=gentle)
    if screen_due(person, screen) is not None:
        return RoutineGate(stop=Gate.SCREEN, gentle_reason=gentle)
    return RoutineGate(gentle_reason=gentle)


def screen_reason(person) -> Screen.Reason:
    """Why the screen is being answered now: the first time, a pain rise, or a re-check."""
    latest = latest_screen(person)
    if latest is None:
        return Screen.Reason.SIGNUP
    return screen_due(person, latest) or Screen.Reason.CHECK


def active_flare_up(person) -> FlareUp | None:
    cutoff = timezone.now() - dt.timedelta(days=FLARE_DAYS)
    return person.flare_ups.filter(started_at__gte=cutoff).order_by("-started_at").first()


def flare_up_until(flare_up: FlareUp) -> dt.datetime:
    """When a flare-up stops limiting routines to the gentlest."""
    return flare_up.started_at + dt.timedelta(days=FLARE_DAYS)


def gentle_only(person) -> bool:
    return gentle_reason(person) is not None


def gentle_reason(person, *, screen: Screen | None = None) -> str | None:
    """Why backcoach offers only its gentle routines now, in a sentence; None when it
    does not. `screen` saves a query when the caller has read the latest screen."""
    flare_up = active_flare_up(person)
    if flare_up is not None:
        began = dateformat.format(flare_up.started_at.astimezone(person.zone), "j F")
        until = dateformat.format(flare_up_until(flare_up).astimezone(person.zone), "j F")
        return (
            f"Your back flared up on {began}: until {until} backcoach plays only gentle routines."
        )
    screen = screen or latest_screen(person)
    if screen is not None and screen.outcome != Screen.Outcome.NONE:
        return SEE_CLINICIAN_GENTLE
    return None


def fingertip_test_refusal(person) -> str | None:
    """Why the weekly fingertip-to-floor test (a full standing forward bend) is not for
    this person now, or None when it is: not with fragile bones, nor while only gentle
    routines may play (a flare-up, or a screen that said to see a clinician)."""
    if "osteoporosis" in conditions_of(person):
        return (
            "The fingertip-to-floor test is a full forward bend, which is not advised with "
            "osteoporosis or fragile bones."
        )
    if gentle_only(person):
        return (
            "The fingertip-to-floor test is a full forward bend: not while backcoach plays "
            "only gentle routines."
        )
    return None


def conditions_answered(person) -> bool:
    """Whether the person has answered the health-conditions question (even "none")."""
    return HealthConditions.objects.filter(person=person).exists()


def conditions_of(person) -> frozenset[str]:
    """The person's health conditions (contraindication keys); none for a visitor."""
    if not getattr(person, "is_authenticated", False):
        return frozenset()
    keys = HealthConditions.objects.filter(person=person).values_list("keys", flat=True).first()
    return frozenset(keys or ())


@dataclass(frozen=True)
class ScreenResult:
    screen: Screen
    groups: list[FlagGroup]


def screen_result(person) -> ScreenResult | None:
    """The latest screen with the red-flag groups its answers raised."""
    latest = latest_screen(person)
    if latest is None:
        return None
    return ScreenResult(latest, groups_raised(latest.answers))


def evidence_items() -> list[tuple[Benefit, list[Source]]]:
    """Each benefit claimed for the routine, with the sources its note cites."""
    cited = {key for benefit in benefits() for key in benefit.sources}
    cited |= {key for group in red_flag_groups() for key in group.sources}
    sources = Source.objects.in_bulk(cited, field_name="key")
    return [
        (benefit, [sources[key] for key in benefit.sources if key in sources])
        for benefit in benefits()
    ]
