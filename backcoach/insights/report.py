"""The report for a clinician or the person's own records: for a range of dates, the
progress page's charts and summary in words, a table of the measures, the practices and
the latest personal experiment's result. Plain values, which the HTML template and pdf.py
both lay out, so that the two say the same.

Reads only, in a fixed number of queries however long the range: the progress page's four
(selectors.diary_of), one for the experiments, and the experiment's own few
(experiments.selectors.experiment_report)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from backcoach import nights as night_rule
from backcoach.charts import day_text, number_text
from backcoach.experiments import selectors as experiment_selectors
from backcoach.experiments.models import Experiment
from backcoach.experiments.outcomes import OUTCOMES

from . import progress, ranges, selectors, stats, summary
from .progress import Chart, Summary
from .ranges import DateRange, date_text
from .selectors import Diary
from .summary import one, plural

# The charts a report shows, in its order; the others repeat what its table says.
REPORT_CHARTS = ("pain", "sleep-onset", "sleep-quality", "peg", "fingertip", "practices")
ROUTINES_SHOWN = 5


@dataclass(frozen=True)
class MeasureRow:
    """One line of the table of measures, as text."""

    name: str
    better: str  # "lower is better"
    count: str  # "83 days"
    first_week: str  # "5.2", the mean of the first week with a value
    first_week_of: str  # "6 Oct", its Monday
    latest_week: str
    latest_week_of: str
    mean: str
    extremes: str  # "2 to 8"

    def week_texts(self) -> tuple[str, str]:
        """The first and latest week in one line each: "5.2 (6 Oct)"."""
        return tuple(
            f"{mean} ({monday})" if mean else ""
            for mean, monday in (
                (self.first_week, self.first_week_of),
                (self.latest_week, self.latest_week_of),
            )
        )


@dataclass(frozen=True)
class Practices:
    count: int
    completed: int
    stopped_early: int
    adherence: str
    routines: list[tuple[str, int]]  # the most done first
    before_after: str


@dataclass(frozen=True)
class ExperimentResult:
    """The latest personal experiment, as the report states it."""

    heading: str  # "Routine A or no routine?"
    question: str
    state: str  # Experiment.Status
    state_text: str
    nights_text: str
    outcome: str
    sentence: str
    estimate: str | None  # "A minus B: -1.20 points (95 % interval -1.90 to -0.50)"
    method: str | None

    @property
    def running(self) -> bool:
        return self.state == Experiment.Status.RUNNING


@dataclass(frozen=True)
class ClinicianReport:
    name: str
    dates: DateRange
    made_on: dt.date
    has_entries: bool  # anything recorded in the range
    summary: Summary
    charts: list[Chart]
    measures: list[MeasureRow]
    practices: Practices
    experiment: ExperimentResult | None
    unit: str

    @property
    def title(self) -> str:
        return f"Back pain diary of {self.name}"

    @property
    def span_text(self) -> str:
        days = self.dates.days
        return f"{self.dates.text()} ({days:,} day{'' if days == 1 else 's'})"


def person_today(person, now: dt.datetime | None = None) -> dt.date:
    return night_rule.today(now or timezone.now(), person.zone)


def clinician_report(person, dates: DateRange, now: dt.datetime | None = None) -> ClinicianReport:
    """The report of `person`'s own diary over `dates` (checked by ranges.parse_range)."""
    now = now or timezone.now()
    records = selectors.diary_of(person, now, dates=dates)
    page = progress.progress_of(records, with_year=True)
    by_key = {chart.key: chart for chart in page.charts if chart.svg}
    return ClinicianReport(
        name=person.name or person.email,
        dates=dates,
        made_on=person_today(person, now),
        has_entries=bool(records.entry_days),
        summary=page.summary,
        charts=[by_key[key] for key in REPORT_CHARTS if key in by_key],
        measures=measure_rows(records),
        practices=practices_of(records),
        experiment=experiment_result(person, dates),
        unit=records.unit,
    )


def default_dates(person, now: dt.datetime | None = None) -> DateRange:
    return ranges.last_weeks(person_today(person, now))


def measure_row(name: str, better: str, values: dict, unit: str) -> MeasureRow:
    found = stats.measure_summary(values)
    if found is None:
        return MeasureRow(name, better, "none", "", "", "", "", "", "")
    return MeasureRow(
        name=name,
        better=better,
        count=plural(found.count, unit),
        first_week=one(found.first_week.mean),
        first_week_of=day_text(found.first_week.start),
        latest_week=one(found.latest_week.mean),
        latest_week_of=day_text(found.latest_week.start),
        mean=one(found.mean),
        extremes=f"{number_text(found.lowest)} to {number_text(found.highest)}",
    )


def measure_rows(records: Diary) -> list[MeasureRow]:
    """A fixed number of rows however long the range, so that the report keeps to its
    pages: each measure's first and latest week, its mean and its extremes."""
    return [
        measure_row(
            "Pain (0-10), mean of the day",
            "lower is better",
            stats.daily_means(records.pain),
            "day",
        ),
        measure_row(
            "Minutes to fall asleep",
            "lower is better",
            records.onset,
            "night",
        ),
        measure_row(
            "Sleep quality (1-5)",
            "higher is better",
            records.quality,
            "night",
        ),
        measure_row("PEG-3 (0-10)", "lower is better", stats.daily_means(records.peg), "week"),
        measure_row(
            f"Fingertip to floor ({records.unit})",
            "lower is better",
            stats.daily_means(records.fingertip),
            "test",
        ),
    ]


def practices_of(records: Diary) -> Practices:
    routines = Counter(name for _, name, _ in records.practices)
    completed = sum(1 for _, _, done in records.practices if done)
    return Practices(
        count=len(records.practices),
        completed=completed,
        stopped_early=len(records.practices) - completed,
        adherence=summary.adherence_text(
            progress.adherence_of(records), since=records.since, with_year=True
        ),
        routines=routines.most_common(ROUTINES_SHOWN),
        before_after=summary.before_after_text(
            stats.before_and_after((b, a) for _, b, a in records.before_after)
        ),
    )


def latest_experiment(person, dates: DateRange) -> Experiment | None:
    """The latest experiment that had ended (finished or stopped early), or else the one
    running; of those begun by the range's last day. One query."""
    today = experiment_selectors.today_of(person)
    experiments = list(
        person.experiments.filter(first_night__lte=dates.last).select_related(
            "routine_a", "routine_b"
        )
    )  # newest first (Experiment.Meta.ordering)
    ended = [e for e in experiments if e.state(today) != Experiment.Status.RUNNING]
    if ended:
        return ended[0]
    return next((e for e in experiments if e.status == Experiment.Status.RUNNING), None)


def experiment_result(person, dates: DateRange) -> ExperimentResult | None:
    experiment = latest_experiment(person, dates)
    if experiment is None:
        return None
    report = experiment_selectors.experiment_report(experiment)
    primary = report.primary
    if report.state == Experiment.Status.STOPPED and experiment.stopped_at is not None:
        stopped = night_rule.today(experiment.stopped_at, person.zone)
        state_text = f"Stopped early on {date_text(stopped)}."
    elif report.state == Experiment.Status.RUNNING:
        state_text = "Still running: the result comes at the end, from all the nights together."
    else:
        state_text = "Finished."
    estimate = None
    if primary.get("estimate") is not None and primary.get("ci_low") is not None:
        estimate = (
            f"A minus B: {primary['estimate']:.2f} {report.unit} (95 % interval "
            f"{primary['ci_low']:.2f} to {primary['ci_high']:.2f})"
        )
    nights = report.nights_so_far
    answered = nights - report.missing_mornings
    counted = plural(nights, "night") + (
        " so far" if report.state == Experiment.Status.RUNNING else ""
    )
    return ExperimentResult(
        heading=f"{experiment.a_label} (A) or {experiment.b_label} (B)?",
        question=experiment.get_question_display(),
        state=report.state,
        state_text=state_text,
        nights_text=(
            f"Nights of {date_text(experiment.first_night)} to "
            f"{date_text(experiment.last_night)}, drawn at random in pairs: "
            f"{counted}, {answered} with a morning check-in, {report.followed} done as drawn."
        ),
        outcome=OUTCOMES[experiment.outcome].label,
        sentence=primary["sentence"],
        estimate=estimate,
        method=primary.get("method"),
    )
