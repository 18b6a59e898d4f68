"""What the experiment pages read: tonight's assignment, the nights so far as the
analysis takes them, and the result. Reads write nothing."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from backcoach import nights as night_rule
from backcoach.diary.models import CheckinRevision
from backcoach.library.models import Routine

from . import analysis, charts, record, words
from .models import Experiment
from .outcomes import OUTCOMES
from .schedule import A, B


def today_of(person) -> dt.date:
    """The person's present night (backcoach.nights): the date tonight's routine belongs to."""
    return night_rule.tonight(timezone.now(), person.zone)


def running_experiment(person) -> Experiment | None:
    """The experiment whose schedule is under way (or whose last morning is yet to come)."""
    running = person.experiments.filter(status=Experiment.Status.RUNNING)
    experiment = running.select_related("routine_a", "routine_b").first()
    if experiment is None or experiment.is_over(today_of(person)):
        return None
    return experiment


@dataclass(frozen=True)
class Tonight:
    """Tonight's condition in a running experiment."""

    experiment: Experiment
    night: dt.date
    condition: str
    routine: Routine | None  # None: no routine tonight
    number: int  # 1 for the first night
    total: int

    @property
    def label(self) -> str:
        return self.experiment.label(self.condition)

    @property
    def words(self) -> str:
        return night_words(self.experiment, self.number, self.condition)


def night_words(experiment: Experiment, number: int, condition: str) -> str:
    """An experiment's night as reminders say it: "night 3 of 28: No routine"."""
    return f"night {number} of {2 * experiment.pairs}: {experiment.label(condition)}"


def tonight(person, night: dt.date | None = None) -> Tonight | None:
    """The running experiment's assignment for `night` (by default tonight's), or None
    when no experiment has that night (none runs, it starts later, or its last night is
    over)."""
    experiment = running_experiment(person)
    if experiment is None:
        return None
    night = night or today_of(person)
    condition = experiment.schedule.condition(night)
    if condition is None:
        return None
    routine = experiment.routine_a if condition == A else experiment.routine_b
    return Tonight(
        experiment=experiment,
        night=night,
        condition=condition,
        routine=routine,
        number=(night - experiment.first_night).days + 1,
        total=2 * experiment.pairs,
    )


# Experiments stopped this long before a new one starts are listed in its record.
RESTART_WINDOW = dt.timedelta(days=14)


def earlier_starts(person, *, now: dt.datetime) -> list[dict]:
    """The experiments `person` stopped within RESTART_WINDOW before `now`, oldest first,
    each with the draws it had shown: every night from its first to the one it was
    stopped on (whose assignment the page showed that evening). Starting, reading
    tonight's draw, stopping and starting again is a new draw; these keep the ones it
    replaced in the new experiment's record."""
    stopped = person.experiments.filter(
        status=Experiment.Status.STOPPED, stopped_at__gte=now - RESTART_WINDOW
    ).order_by("stopped_at", "id")
    starts = []
    for experiment in stopped:
        shown_until = night_rule.night_of(experiment.stopped_at, person.zone)
        drawn = [
            {
                "night": night.isoformat(),
                "condition": condition,
                "label": experiment.label(condition),
            }
            for night, condition in experiment.schedule.nights()
            if night <= shown_until
        ]
        starts.append(
            {
                "question": experiment.get_question_display(),
                "started_at": experiment.started_at.isoformat(),
                "stopped_at": experiment.stopped_at.isoformat(),
                "seed": experiment.seed,
                "drawn": drawn,
            }
        )
    return starts


def last_night_counted(experiment: Experiment, today: dt.date) -> dt.date:
    """The last night whose morning can be in: the schedule's last, the night before
    the experiment was stopped, or last night."""
    last = min(experiment.last_night, today - dt.timedelta(days=1))
    if experiment.stopped_at is not None:
        stopped = night_rule.night_of(experiment.stopped_at, experiment.person.zone)
        last = min(last, stopped - dt.timedelta(days=1))
    return last


def on_time_until(experiment: Experiment, night: dt.date) -> dt.datetime:
    """The moment by which a night's practice and morning check-in count for the verdict
    as they are: the end of the day after the night (its morning's day, on the person's
    clock), or the stop if that came first. The last night's is the experiment's end."""
    until = dt.datetime.combine(
        night + dt.timedelta(days=2), dt.time(), tzinfo=experiment.person.zone
    )
    return min(until, experiment.stopped_at) if experiment.stopped_at else until


@dataclass(frozen=True)
class NightsRead:
    """An experiment's nights twice over, and what separates them.

    `on_time`: each night as it stood at its on_time_until, which the verdict reads, so
    that a morning added or changed once the night's day is over (back-dated through the
    API, say, after the end) cannot move it. `now`: as the diary holds them now.
    `deviations`: each entry on the experiment's nights made or changed after its night's
    on_time_until, oldest first."""

    on_time: list[dict]
    now: list[dict]
    deviations: list[dict]


def _night_row(night: dt.date, assigned: str, done_set: set[str], morning: dict, experiment):
    if experiment.routine_b_id is None:
        done = A if A in done_set else B
    else:
        done = next(iter(done_set)) if len(done_set) == 1 else None
    return {
        "night": night.isoformat(),
        "assigned": assigned,
        "done": done,
        **{key: morning.get(key) for key in OUTCOMES},
    }


def experiment_nights_read(experiment: Experiment, *, today: dt.date | None = None) -> NightsRead:
    """Each night of the schedule so far: the condition assigned, what was done (from the
    practices recorded that evening) and the morning's answers (every outcome), as plain
    values, as the exported record keeps them; on time and now (NightsRead). Three
    queries."""
    person = experiment.person
    zone = person.zone
    today = today or today_of(person)
    last = last_night_counted(experiment, today)
    if last < experiment.first_night:
        return NightsRead([], [], [])
    begin, end = night_rule.night_bounds(experiment.first_night, last, zone)
    # A practice counts only once the experiment had started: one done that afternoon,
    # before the schedule was drawn, is no part of its first night.
    begin = max(begin, experiment.started_at)
    routines = {experiment.routine_a_id: A}
    if experiment.routine_b_id is not None:
        routines[experiment.routine_b_id] = B
    practices: dict[dt.date, list[tuple[str, dt.datetime]]] = {}
    for started_at, routine_id, uploaded in person.practices.filter(
        started_at__gte=begin, started_at__lt=end, routine_id__in=list(routines)
    ).values_list("started_at", "routine_id", "recorded_at"):
        night = night_rule.night_of(started_at, zone)
        practices.setdefault(night, []).append((routines[routine_id], uploaded))
    mornings = {
        row["night"]: row
        for row in person.checkins.filter(
            kind="morning", night__gte=experiment.first_night, night__lte=last
        ).values("id", "night", "created_at", "updated_at", *OUTCOMES)
    }
    earlier_answers: dict = {}  # checkin id: [(replaced_at, the answers before)], oldest first
    for checkin_id, replaced_at, values in (
        CheckinRevision.objects.filter(
            checkin__person=person,
            checkin__kind="morning",
            checkin__night__gte=experiment.first_night,
            checkin__night__lte=last,
        )
        .order_by("replaced_at", "id")
        .values_list("checkin_id", "replaced_at", "values")
    ):
        earlier_answers.setdefault(checkin_id, []).append((replaced_at, values))
    on_time, now, deviations = [], [], []
    for night, assigned in experiment.schedule.nights():
        if night > last:
            break
        until = on_time_until(experiment, night)
        done_now = {condition for condition, _ in practices.get(night, [])}
        done_then = {c for c, uploaded in practices.get(night, []) if uploaded <= until}
        for _, uploaded in practices.get(night, []):
            if uploaded > until:
                deviations.append(_deviation(night, "practice", "added", uploaded, until))
        morning = mornings.get(night, {})
        morning_then = morning
        if morning and morning["created_at"] > until:
            morning_then = {}
            deviations.append(
                _deviation(night, "morning check-in", "added", morning["created_at"], until)
            )
        elif morning and morning["updated_at"] > until:
            later = [
                (replaced_at, values)
                for replaced_at, values in earlier_answers.get(morning["id"], [])
                if replaced_at > until
            ]
            if later:
                replaced_at, morning_then = later[0]
                deviations.append(
                    _deviation(night, "morning check-in", "changed", replaced_at, until)
                )
        on_time.append(_night_row(night, assigned, done_then, morning_then, experiment))
        now.append(_night_row(night, assigned, done_now, morning, experiment))
    deviations.sort(key=lambda deviation: deviation["at"])
    return NightsRead(on_time, now, deviations)


def _deviation(night: dt.date, entry: str, change: str, at: dt.datetime, until) -> dict:
    return {
        "night": night.isoformat(),
        "entry": entry,
        "change": change,
        "at": at.isoformat(),
        "on_time_until": until.isoformat(),
    }


def experiment_nights(experiment: Experiment, *, today: dt.date | None = None) -> list[dict]:
    """The nights as the diary holds them now (experiment_nights_read's `now`)."""
    return experiment_nights_read(experiment, today=today).now


def experiment_document(experiment: Experiment, *, today: dt.date | None = None) -> dict:
    """The whole experiment as one JSON document: protocol, schedule, data and analysis,
    which `backcoach experiment reanalyse` can check. An imported experiment's is the
    record it came with: it is over, and its nights are no longer read from the diary."""
    if experiment.record:
        return experiment.record
    read = experiment_nights_read(experiment, today=today)
    today = today or today_of(experiment.person)
    ended = experiment.state(today) != Experiment.Status.RUNNING
    protocol = {
        "question": experiment.get_question_display(),
        "a": experiment.a_label,
        "b": experiment.b_label,
        "routine_a": experiment.routine_a.slug if experiment.routine_a else None,
        "routine_b": experiment.routine_b.slug if experiment.routine_b else None,
        "outcome": experiment.outcome,
        "secondary_outcomes": list(experiment.secondary_outcomes),
        "ended": ended,
        "stopped_early": experiment.status == Experiment.Status.STOPPED,
        "earlier_starts": list(experiment.earlier_starts),
    }
    return record.document(
        protocol=protocol,
        schedule=experiment.schedule,
        nights=read.on_time,
        deviations=read.deviations,
        nights_with_deviations=read.now,
    )


@dataclass(frozen=True)
class Report:
    """An experiment as its page shows it."""

    experiment: Experiment
    state: str
    document: dict
    primary: dict  # the primary outcome's analysis, with its sentence
    secondary: list[tuple[str, dict]]  # (label, analysis)
    nights_so_far: int
    nights_left: int
    assigned: dict[str, int]  # nights so far by condition
    followed: int  # nights done as assigned
    missing_mornings: int
    nights_chart: str | None
    difference_chart: str | None
    rows: list[dict]
    deviations: list[dict]  # entries made or changed after their night's deadline
    with_deviations: str | None  # the primary result's sentence with them counted
    unit: str
    smallest_change: str
    as_done: str | None  # the result by what was done, when the schedule was often not kept
    without_carryover: str | None
    chance_better: str | None  # "more than 99 %", never "100 %"
    chance_matters: str | None

    @property
    def withheld(self) -> bool:
        """Whether the result waits for the end (analysis.withheld)."""
        return self.primary["verdict"] == analysis.Verdict.WITHHELD


VERDICT_WORDS = {
    "withheld_until_the_end": "the result comes at the end",
    "described_not_judged": "described, not judged",
    "too_few_nights": "too few nights for a verdict",
    "likely_helps": "likely helps",
    "likely_worse": "likely worse",
    "no_clear_difference": "no clear difference",
    "likely_no_difference_that_matters": "likely no difference that matters",
}


def comparison_text(comparison: dict, unit: str) -> str:
    """A nested analysis (without carry-over, as done) in one line."""
    if comparison.get("estimate") is None or comparison.get("ci_low") is None:
        return VERDICT_WORDS[comparison["verdict"]].capitalize() + "."
    return (
        f"{VERDICT_WORDS[comparison['verdict']].capitalize()}: A minus B "
        f"{comparison['estimate']:.2f} {unit} "
        f"(95 % interval {comparison['ci_low']:.2f} to {comparison['ci_high']:.2f})."
    )


def experiment_report(experiment: Experiment) -> Report:
    """Everything the experiment's page shows. A fixed number of queries."""
    today = today_of(experiment.person)
    document = experiment_document(experiment, today=today)
    nights = document["nights"]
    key = experiment.outcome
    outcome = OUTCOMES[key]
    state = experiment.state(today)
    answered = [n for n in nights if n[key] is not None]
    primary = document["analysis"][key]
    nights_chart = difference_chart = None
    # While it runs, no chart of the answers by condition: it would be the verdict by eye.
    if answered and primary["verdict"] != analysis.Verdict.WITHHELD:
        nights_chart = charts.nights_chart(
            id_prefix="nights",
            title=f"{outcome.label}, night by night",
            description=(
                f"{len(answered)} mornings: filled dots after {experiment.a_label} nights, "
                f"open dots after {experiment.b_label} nights."
            ),
            nights=[(dt.date.fromisoformat(n["night"]), n["assigned"], n[key]) for n in answered],
            low=outcome.minimum,
            high=outcome.maximum,
        )
    if primary["benefit"] is not None and primary["benefit_low"] is not None:
        difference_chart = charts.difference_chart(
            id_prefix="difference",
            title="How much better A is than B",
            description=primary["sentence"],
            benefit=primary["benefit"],
            benefit_low=primary["benefit_low"],
            benefit_high=primary["benefit_high"],
            smallest_change=outcome.smallest_change,
            unit=outcome.unit,
        )
    deviations = document.get("deviations", [])
    with_deviations = document["analysis_with_deviations"][key]["sentence"] if deviations else None
    return Report(
        experiment=experiment,
        state=state,
        document=document,
        primary=primary,
        secondary=[
            (OUTCOMES[k].label, document["analysis"][k]) for k in experiment.secondary_outcomes
        ],
        nights_so_far=len(nights),
        nights_left=0 if state != Experiment.Status.RUNNING else 2 * experiment.pairs - len(nights),
        assigned={c: sum(n["assigned"] == c for n in nights) for c in (A, B)},
        followed=sum(n["done"] == n["assigned"] for n in nights),
        missing_mornings=len(nights) - len(answered),
        nights_chart=nights_chart,
        difference_chart=difference_chart,
        rows=[
            {
                **n,
                "night": dt.date.fromisoformat(n["night"]),
                "assigned_label": experiment.label(n["assigned"]),
                "done_label": experiment.label(n["done"]) if n["done"] else "neither",
                "value": n[key],
            }
            for n in reversed(nights)
        ],
        deviations=deviations,
        with_deviations=with_deviations,
        unit=outcome.unit,
        smallest_change=words.smallest(outcome),
        as_done=comparison_text(primary["as_done"], outcome.unit) if primary["as_done"] else None,
        without_carryover=(
            comparison_text(primary["without_carryover"], outcome.unit)
            if primary["without_carryover"]
            else None
        ),
        chance_better=None if primary["p_helpful"] is None else words.chance(primary["p_helpful"]),
        chance_matters=(
            None if primary.get("p_noticeable") is None else words.chance(primary["p_noticeable"])
        ),
    )
