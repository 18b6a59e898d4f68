"""Experiments with weeks of nights behind them, written straight to the database (the
diary's service takes check-ins from the last 14 days only)."""

import datetime as dt
from collections.abc import Callable

from backcoach import nights
from backcoach.diary.models import Checkin
from backcoach.experiments.models import Experiment
from backcoach.experiments.selectors import today_of
from backcoach.player.models import Practice


def as_assigned(night: dt.date, assigned: str) -> str | None:
    return assigned


def make_experiment(
    person,
    *,
    routine_a,
    routine_b=None,
    pairs: int = 14,
    seed: int = 20261129,
    outcome: str = "pain",
    nights_ago: int | None = None,
    status: str = Experiment.Status.RUNNING,
) -> Experiment:
    """An experiment whose first night was `nights_ago` evenings ago (default: all its
    nights are over, the last one last night)."""
    nights_ago = 2 * pairs if nights_ago is None else nights_ago
    experiment = Experiment.objects.create(
        person=person,
        question=(
            Experiment.Question.TWO_ROUTINES if routine_b else Experiment.Question.MASSAGE_PAIN
        ),
        routine_a=routine_a,
        routine_b=routine_b,
        a_label=routine_a.name,
        b_label=routine_b.name if routine_b else "No routine: just go to sleep",
        outcome=outcome,
        secondary_outcomes=[
            k for k in ("pain", "sleep_onset_minutes", "sleep_quality") if k != outcome
        ],
        first_night=today_of(person) - dt.timedelta(days=nights_ago),
        pairs=pairs,
        seed=seed,
        status=status,
    )
    # Started that first evening, an hour before its night's bedtime practice could be:
    # a practice counts for a night only once its experiment had started.
    started = nights.night_start(experiment.first_night, person.zone) + dt.timedelta(hours=10)
    Experiment.objects.filter(pk=experiment.pk).update(started_at=started)
    experiment.started_at = started
    return experiment


def live_nights(
    experiment: Experiment,
    *,
    answers: Callable[[int, str], dict | None],
    done: Callable[[dt.date, str], str | None] = as_assigned,
    until: dt.date | None = None,
) -> None:
    """Write each night up to last night (or `until`): a practice of the routine done
    (22:30 that evening) and the morning's answers (`answers(index, done_or_assigned)`,
    None for a missed morning) at 07:30."""
    person = experiment.person
    zone = person.zone
    last = min(experiment.last_night, until or today_of(person) - dt.timedelta(days=1))
    for index, (night, assigned) in enumerate(experiment.schedule.nights()):
        if night > last:
            break
        did = done(night, assigned)
        routine = {"A": experiment.routine_a, "B": experiment.routine_b}.get(did)
        if routine is not None:
            started = dt.datetime.combine(night, dt.time(22, 30), tzinfo=zone)
            practice = Practice.objects.create(
                person=person,
                routine=routine,
                routine_name=routine.name,
                started_at=started,
                ended_at=started + dt.timedelta(minutes=5),
                status="completed",
            )
            # Uploaded as it ended, as the player does: on time for its night.
            Practice.objects.filter(pk=practice.pk).update(recorded_at=practice.ended_at)
        values = answers(index, did or assigned)
        if values is not None:
            morning = dt.datetime.combine(night + dt.timedelta(days=1), dt.time(7, 30), tzinfo=zone)
            checkin = Checkin.objects.create(
                person=person, kind="morning", night=night, recorded_at=morning, **values
            )
            # Made that morning, as a person does: on time for its night.
            Checkin.objects.filter(pk=checkin.pk).update(created_at=morning, updated_at=morning)
