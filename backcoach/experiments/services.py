"""What changes a person's experiments. Views call these; they hold the rules."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from backcoach.library.models import Routine

from . import record, selectors
from .models import Experiment
from .schedule import Schedule

NO_ROUTINE = "No routine: just go to sleep"


class ExperimentRefused(Exception):
    """The experiment cannot start as asked; the message says why."""


@transaction.atomic
def experiment_start(
    *,
    person,
    question: str,
    routine_a: Routine,
    routine_b: Routine | None,
    outcome: str,
    secondary_outcomes: list[str],
    weeks: int,
    first_night: dt.date,
    seed: int | None = None,
) -> Experiment:
    """Start an experiment: the schedule is drawn now (its seed kept) and cannot change.
    One at a time: two experiments on the same nights would blur each other."""
    today = selectors.today_of(person)
    running = person.experiments.select_for_update().filter(status=Experiment.Status.RUNNING)
    for earlier in running:
        if not earlier.is_over(today):
            raise ExperimentRefused(
                "An experiment is already running (until the morning after "
                f"{earlier.last_night:%d %B}). Two at once would blur each other's "
                "result: stop that one first, or wait until it ends."
            )
        # Its last morning has come: it is finished, and no longer counts as running.
        earlier.status = Experiment.Status.FINISHED
        earlier.save(update_fields=["status"])
    if not today <= first_night <= today + dt.timedelta(days=14):
        raise ExperimentRefused("The first night is tonight or within the next two weeks.")
    if routine_b is not None and routine_b.pk == routine_a.pk:
        raise ExperimentRefused("Choose two different routines.")
    secondary_outcomes = [key for key in secondary_outcomes if key != outcome]
    if record.outcomes_problem(outcome, secondary_outcomes) is not None:
        raise ExperimentRefused("Choose what to measure from the list.")
    try:
        schedule = Schedule.make(first_night=first_night, weeks=weeks, seed=seed)
    except ValueError as exc:
        raise ExperimentRefused(str(exc)) from None
    try:
        with transaction.atomic():
            return Experiment.objects.create(
                earlier_starts=selectors.earlier_starts(person, now=timezone.now()),
                person=person,
                question=question,
                routine_a=routine_a,
                routine_b=routine_b,
                a_label=routine_a.name,
                b_label=routine_b.name if routine_b is not None else NO_ROUTINE,
                outcome=outcome,
                secondary_outcomes=secondary_outcomes,
                first_night=schedule.first_night,
                pairs=schedule.pairs,
                seed=schedule.seed,
            )
    except IntegrityError:
        # Another tab started one a moment ago.
        raise ExperimentRefused("An experiment is already running.") from None


@transaction.atomic
def experiment_stop(*, experiment: Experiment) -> Experiment:
    """Stop before the schedule ends. The nights so far keep counting; the result says
    that it stopped early and what that does to it."""
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if experiment.status == Experiment.Status.RUNNING:
        experiment.status = Experiment.Status.STOPPED
        experiment.stopped_at = timezone.now()
        experiment.save(update_fields=["status", "stopped_at"])
    return experiment
