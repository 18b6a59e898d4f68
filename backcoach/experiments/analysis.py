"""The analysis of a personal experiment: did condition A do better than B, by how much, and
how sure can we be? Pure Python, no Django, no numpy.

The model, its sources and the simulations that chose it are in docs/experiments.md. In
short: the nights come in pairs with a random order, and the effect is estimated from the
difference within each complete pair, by OLS with pair fixed effects, the condition and a
linear time trend, with a t interval on the residual degrees of freedom. The verdict
compares that interval with 0 and with the smallest change that matters.

What can be measured is in outcomes.py, the fits in fit.py, the sentence in words.py.
"""

import datetime as dt
import enum
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace

from backcoach.experiments import tdist
from backcoach.experiments.fit import Fit, Point, fit_nights, fit_pairs, lag1_autocorrelation
from backcoach.experiments.outcomes import Outcome
from backcoach.experiments.schedule import CONDITIONS

LEVEL = 0.95
MIN_COMPLETE_PAIRS = 6  # complete pairs for a verdict: at least 4 residual degrees of freedom
ADHERENCE_FOR_AS_DONE = 0.8  # below this share of nights as assigned, also analyse as done
# Missing mornings are uneven when their shares in the two conditions differ by this much
# and by this many mornings (docs/experiments.md, "Missing mornings").
UNEVEN_SHARE, UNEVEN_COUNT = 0.15, 3
TIPPING_STEPS = 200  # the tipping point is searched in this many steps over the scale
DIGITS = 4  # decimals kept by as_dict


class Verdict(enum.StrEnum):
    # While it runs (see `withheld`), and for a secondary outcome (see `described`).
    WITHHELD = "withheld_until_the_end"
    DESCRIBED = "described_not_judged"
    TOO_FEW_NIGHTS = "too_few_nights"
    LIKELY_HELPS = "likely_helps"
    LIKELY_WORSE = "likely_worse"
    NO_CLEAR_DIFFERENCE = "no_clear_difference"
    LIKELY_NO_DIFFERENCE_THAT_MATTERS = "likely_no_difference_that_matters"


@dataclass(frozen=True)
class Night:
    """One night of an experiment: the condition the schedule assigned, what the person
    actually did that evening (None: neither, or not known) and the next morning's answer
    (None: no morning check-in)."""

    night: dt.date
    assigned: str
    done: str | None
    outcome: float | None

    def __post_init__(self) -> None:
        if not isinstance(self.night, dt.date) or isinstance(self.night, dt.datetime):
            raise ValueError(f"night must be a date, not {self.night!r}")
        if self.assigned not in CONDITIONS:
            raise ValueError(f"assigned must be 'A' or 'B', not {self.assigned!r}")
        if self.done is not None and self.done not in CONDITIONS:
            raise ValueError(f"done must be 'A', 'B' or None, not {self.done!r}")
        value = self.outcome
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValueError(f"outcome must be a finite number or None, not {value!r}")


def _rounded(value):
    if isinstance(value, float):
        rounded = round(value, DIGITS)
        return 0.0 if rounded == 0 else rounded  # no "-0.0" in the JSON
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, Comparison):
        return value.as_dict()
    return value


@dataclass(frozen=True)
class Comparison:
    """One analysis of A against B: the effect, its 95 % interval and the verdict.

    `estimate`, `ci_low`, `ci_high`: the difference in the outcome's mean, A minus B, in
    its unit. `benefit`, `benefit_low`, `benefit_high`: the same turned so that positive
    means A is better (for pain and minutes, less). The numbers are None when the data
    cannot give them; with too few nights they are given but the verdict is
    `too_few_nights`. `nights_per_condition`: nights with a morning answer in this
    analysis's data, by condition."""

    method: str
    verdict: Verdict
    complete_pairs: int | None
    nights_per_condition: dict[str, int]
    degrees_of_freedom: int | None
    estimate: float | None
    standard_error: float | None
    ci_low: float | None
    ci_high: float | None
    benefit: float | None
    benefit_low: float | None
    benefit_high: float | None
    p_helpful: float | None
    p_exceeds_smallest_change: float | None
    p_noticeable: float | None

    def as_dict(self) -> dict:
        """Plain JSON values, floats rounded to 4 decimals, dates as ISO strings."""
        return {field.name: _rounded(getattr(self, field.name)) for field in fields(self)}


@dataclass(frozen=True)
class Result(Comparison):
    """The main analysis (by the condition assigned), with what surrounds it.

    `missing_mornings`: nights without a morning answer. `adherence`: share of nights done
    as assigned. `nights_needed`: with too few nights, how many more nights with a morning
    answer would make enough complete pairs (2 per pair). `trend_per_week` and
    `residual_autocorrelation` (lag 1) come from a descriptive fit on all nights.
    `pairs_covered`: pairs of the schedule up to the last night given, the last one even
    if only its first night is in; `nights_covered`: nights of the schedule up to the last
    night given; `stopped_early` when fewer than the planned pairs' nights.
    `without_carryover`: the analysis without the nights right after a switch of condition
    (None when there are none). `as_done`: the analysis by what was done, when adherence
    is below 80 %. `missing_by_condition`: mornings without an answer by the condition
    assigned; `missing_uneven` when they differ materially (UNEVEN_SHARE and
    UNEVEN_COUNT); `tipping_point`, for a verdict of helps or worse with mornings missing
    after the condition it favours, how much worse than that condition's answered mornings
    its missing ones would have to be for the verdict to go (None: no verdict to tip, no
    morning of it missing, or no shift within the scale tips it)."""

    outcome: str
    first_night: dt.date | None
    last_night: dt.date | None
    nights: int
    missing_mornings: int
    adherence: float | None
    nights_needed: int | None
    trend_per_week: float | None
    residual_autocorrelation: float | None
    pairs_covered: int
    nights_covered: int
    planned_pairs: int | None
    stopped_early: bool
    without_carryover: Comparison | None
    as_done: Comparison | None
    missing_by_condition: dict[str, int]
    missing_uneven: bool
    tipping_point: float | None


# The verdict ------------------------------------------------------------------------------


def _probability_above(threshold: float, benefit: float, se: float, df: int) -> float:
    """P(true benefit > threshold) under the t posterior (flat prior) centred on `benefit`."""
    if se == 0:
        return 1.0 if benefit > threshold else 0.0 if benefit < threshold else 0.5
    return tdist.cdf((benefit - threshold) / se, df)


def p_noticeable(benefit: float, se: float, df: int, smallest: float) -> float:
    """The chance that the true benefit is at least the smallest change that matters,
    judged sceptically: before the experiment the benefit is taken to be normal around 0
    with a standard deviation of the smallest change (a change that large, either way, is
    thought unlikely: about 1 in 6 each way), and the data's estimate, normal with the t
    fit's variance (se² df/(df-2), or its 3-df value below 3), moves it from there.
    docs/experiments.md, "A change you would notice", says why this prior."""
    variance = se * se * (df / (df - 2) if df > 2 else 3.0)
    prior = smallest * smallest
    if variance == 0:
        return 1.0 if benefit >= smallest else 0.0
    weight = prior / (prior + variance)  # how far the data move the belief from 0
    mean = weight * benefit
    spread = math.sqrt(weight * variance)
    return 0.5 * math.erfc((smallest - mean) / (spread * math.sqrt(2)))


def verdict_for(benefit_low: float, benefit_high: float, smallest_change: float) -> Verdict:
    """The verdict on a 95 % interval of the benefit (positive: A is better), once there
    are enough nights: helps or worse when the whole interval is on one side of 0, no
    difference that matters when it lies within ± the smallest change that matters."""
    if benefit_low > 0:
        return Verdict.LIKELY_HELPS
    if benefit_high < 0:
        return Verdict.LIKELY_WORSE
    if -smallest_change < benefit_low and benefit_high < smallest_change:
        return Verdict.LIKELY_NO_DIFFERENCE_THAT_MATTERS
    return Verdict.NO_CLEAR_DIFFERENCE


def _compare(
    fit: Fit, outcome: Outcome, *, enough: bool, nights_per_condition: dict[str, int]
) -> dict:
    """The fields of a Comparison for a fit: interval, benefit, probabilities, verdict."""
    values = {
        "method": fit.method,
        "complete_pairs": fit.complete_pairs,
        "nights_per_condition": nights_per_condition,
        "degrees_of_freedom": fit.degrees_of_freedom,
        "estimate": fit.estimate,
        "standard_error": fit.standard_error,
    }
    empty = dict.fromkeys(
        (
            "ci_low",
            "ci_high",
            "benefit",
            "benefit_low",
            "benefit_high",
            "p_helpful",
            "p_exceeds_smallest_change",
            "p_noticeable",
        )
    )
    if fit.estimate is None or fit.standard_error is None or not fit.degrees_of_freedom:
        return {**values, **empty, "verdict": Verdict.TOO_FEW_NIGHTS}
    df, estimate, se = fit.degrees_of_freedom, fit.estimate, fit.standard_error
    half = tdist.ppf((1 + LEVEL) / 2, df) * se
    low, high = estimate - half, estimate + half
    sign = -1.0 if outcome.lower_is_better else 1.0
    benefit = sign * estimate
    benefit_low, benefit_high = sorted((sign * low, sign * high))
    smallest = outcome.smallest_change
    verdict = verdict_for(benefit_low, benefit_high, smallest) if enough else Verdict.TOO_FEW_NIGHTS
    return {
        **values,
        "verdict": verdict,
        "ci_low": low,
        "ci_high": high,
        "benefit": benefit,
        "benefit_low": benefit_low,
        "benefit_high": benefit_high,
        "p_helpful": _probability_above(0.0, benefit, se, df),
        "p_exceeds_smallest_change": _probability_above(smallest, benefit, se, df),
        "p_noticeable": p_noticeable(benefit, se, df, smallest),
    }


def _count(points: Iterable[Point]) -> dict[str, int]:
    counts = dict.fromkeys(CONDITIONS, 0)
    for point in points:
        counts[point.condition] += 1
    return counts


# The analysis -----------------------------------------------------------------------------


def analyse(
    nights: Sequence[Night],
    outcome: Outcome,
    *,
    planned_pairs: int | None = None,
    first_night: dt.date | None = None,
) -> Result:
    """Analyse an experiment's nights for one outcome.

    Pass every night of the schedule so far, answered or not (`outcome=None` for a morning
    without a check-in), in any order. Nights are paired from `first_night` (the
    schedule's; by default the earliest night given): nights 0 and 1 are pair 0, and so on.
    Pass `planned_pairs` once the experiment has ended, so that an early stop is said;
    leave it out for a look at a running experiment. ValueError for nights that cannot be
    an experiment (two entries for one night, a pair assigned A twice, an answer outside
    the outcome's scale)."""
    if not isinstance(outcome, Outcome):
        raise ValueError(f"outcome must be an Outcome, not {outcome!r}")
    if planned_pairs is not None and (
        not isinstance(planned_pairs, int) or isinstance(planned_pairs, bool) or planned_pairs < 1
    ):
        raise ValueError(f"planned_pairs must be a positive whole number, not {planned_pairs!r}")
    for night in nights:
        if not isinstance(night, Night):
            raise ValueError(f"nights must be Night values, not {night!r}")
    ordered = sorted(nights, key=lambda n: n.night)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.night == later.night:
            raise ValueError(f"two entries for the night of {later.night.isoformat()}")
    for night in ordered:
        value = night.outcome
        if value is not None and not outcome.minimum <= value <= outcome.maximum:
            raise ValueError(
                f"{night.night.isoformat()}: {value} is outside {outcome.label} "
                f"({outcome.minimum:g} to {outcome.maximum:g})"
            )
    start = first_night or (ordered[0].night if ordered else None)
    if start is not None and ordered and ordered[0].night < start:
        raise ValueError(f"{ordered[0].night.isoformat()} is before the first night")

    def index_of(night: Night) -> int:
        return (night.night - start).days

    assigned_in_pair: dict[int, list[Night]] = {}
    for night in ordered:
        assigned_in_pair.setdefault(index_of(night) // 2, []).append(night)
    for pair_nights in assigned_in_pair.values():
        if len(pair_nights) == 2 and pair_nights[0].assigned == pair_nights[1].assigned:
            raise ValueError(
                f"the nights of {pair_nights[0].night.isoformat()} and "
                f"{pair_nights[1].night.isoformat()} form a pair but are both assigned "
                f"{pair_nights[0].assigned}: each pair has one A night and one B night"
            )

    answered = [n for n in ordered if n.outcome is not None]
    assigned_points = [
        Point(index_of(n), index_of(n) // 2, n.assigned, float(n.outcome)) for n in answered
    ]
    main_fit = fit_pairs(assigned_points)
    main = _compare(
        main_fit,
        outcome,
        enough=(main_fit.complete_pairs or 0) >= MIN_COMPLETE_PAIRS,
        nights_per_condition=_count(assigned_points),
    )
    _, trend, residuals = fit_nights(assigned_points)

    missing = {
        c: sum(1 for n in ordered if n.assigned == c and n.outcome is None) for c in CONDITIONS
    }
    planned = {c: sum(1 for n in ordered if n.assigned == c) for c in CONDITIONS}
    uneven = _uneven(missing, planned)
    favoured = {Verdict.LIKELY_HELPS: CONDITIONS[0], Verdict.LIKELY_WORSE: CONDITIONS[1]}
    tipping = (
        _tipping_point(ordered, outcome, main["verdict"], index_of)
        if main["verdict"] in favoured and missing[favoured[main["verdict"]]]
        else None
    )
    adherence = sum(1 for n in ordered if n.done == n.assigned) / len(ordered) if ordered else None
    nights_covered = index_of(ordered[-1]) + 1 if ordered else 0
    pairs_covered = (nights_covered + 1) // 2
    complete = main_fit.complete_pairs or 0
    return Result(
        **main,
        outcome=outcome.key,
        first_night=start,
        last_night=ordered[-1].night if ordered else None,
        nights=len(ordered),
        missing_mornings=len(ordered) - len(answered),
        adherence=adherence,
        nights_needed=2 * (MIN_COMPLETE_PAIRS - complete)
        if complete < MIN_COMPLETE_PAIRS
        else None,
        trend_per_week=7 * trend if trend is not None else None,
        residual_autocorrelation=lag1_autocorrelation(residuals),
        pairs_covered=pairs_covered,
        nights_covered=nights_covered,
        planned_pairs=planned_pairs,
        # By nights: a stop on the last pair's first night leaves that pair half done.
        stopped_early=planned_pairs is not None and nights_covered < 2 * planned_pairs,
        without_carryover=_without_carryover(ordered, assigned_points, outcome, index_of),
        as_done=(
            _as_done(answered, outcome, index_of)
            if adherence is not None and adherence < ADHERENCE_FOR_AS_DONE
            else None
        ),
        missing_by_condition=missing,
        missing_uneven=uneven,
        tipping_point=tipping,
    )


def _uneven(missing: dict[str, int], planned: dict[str, int]) -> bool:
    """Whether mornings are missing materially more often after one condition."""
    if not all(planned.values()):
        return False
    shares = [missing[c] / planned[c] for c in CONDITIONS]
    return (
        abs(shares[0] - shares[1]) >= UNEVEN_SHARE
        and abs(missing[CONDITIONS[0]] - missing[CONDITIONS[1]]) >= UNEVEN_COUNT
    )


def _tipping_point(ordered, outcome: Outcome, verdict: Verdict, index_of) -> float | None:
    """The smallest shift, in the outcome's unit, that makes the verdict go: the missing
    mornings of the condition the verdict favours (A for helps, B for worse) filled in as
    that condition's answered mean made worse by the shift, the other condition's at its
    own mean. None when no shift within the scale's range tips it."""
    favoured = CONDITIONS[0] if verdict == Verdict.LIKELY_HELPS else CONDITIONS[1]
    means = {}
    for condition in CONDITIONS:
        values = [n.outcome for n in ordered if n.assigned == condition and n.outcome is not None]
        if not values:
            return None
        means[condition] = sum(values) / len(values)
    worse = 1.0 if outcome.lower_is_better else -1.0
    span = outcome.maximum - outcome.minimum

    def tipped(step: int) -> bool:
        shift = span * step / TIPPING_STEPS
        fill = {
            condition: min(
                outcome.maximum,
                max(
                    outcome.minimum,
                    means[condition] + (worse * shift if condition == favoured else 0),
                ),
            )
            for condition in CONDITIONS
        }
        points = [
            Point(
                index_of(n),
                index_of(n) // 2,
                n.assigned,
                float(n.outcome) if n.outcome is not None else fill[n.assigned],
            )
            for n in ordered
        ]
        fit = fit_pairs(points)
        return (
            _compare(fit, outcome, enough=True, nights_per_condition=_count(points))["verdict"]
            != verdict
        )

    # Filling the favoured condition's gaps with worse answers lowers its benefit in step
    # with the shift (the interval's width moves far less), so the verdict goes at one step
    # and stays gone: a binary search finds that step in about 8 fits rather than 200 (the
    # tests check the step before it still keeps the verdict).
    if not tipped(TIPPING_STEPS):
        return None
    low, high = 0, TIPPING_STEPS  # not tipped at `low` (no shift), tipped at `high`
    while high - low > 1:
        middle = (low + high) // 2
        if tipped(middle):
            high = middle
        else:
            low = middle
    return span * high / TIPPING_STEPS


def _without_carryover(ordered, assigned_points, outcome, index_of) -> Comparison | None:
    """The all-nights model on the nights that do not follow a night of the other
    condition. None when no night follows a switch."""
    condition_at = {index_of(n): n.assigned for n in ordered}
    after_switch = {
        i
        for i, condition in condition_at.items()
        if condition_at.get(i - 1, condition) != condition
    }
    if not after_switch:
        return None
    kept = [p for p in assigned_points if p.index not in after_switch]
    fit, _, _ = fit_nights(kept)
    counts = _count(kept)
    fit = Fit(
        "all nights not right after a switch (OLS with condition and trend)",
        fit.estimate,
        fit.standard_error,
        fit.degrees_of_freedom,
        None,
    )
    enough = min(counts.values()) >= MIN_COMPLETE_PAIRS and (fit.degrees_of_freedom or 0) >= 4
    return Comparison(**_compare(fit, outcome, enough=enough, nights_per_condition=counts))


def _as_done(answered, outcome, index_of) -> Comparison:
    """The pair model by what was done, on the pairs done one night as A and one as B."""
    points = [
        Point(index_of(n), index_of(n) // 2, n.done, float(n.outcome))
        for n in answered
        if n.done is not None
    ]
    fit = fit_pairs(points, label="by what was done")
    enough = (fit.complete_pairs or 0) >= MIN_COMPLETE_PAIRS
    return Comparison(**_compare(fit, outcome, enough=enough, nights_per_condition=_count(points)))


# What a result may say, and when ---------------------------------------------------------

# The numbers that judge A against B, which a look at a running experiment or a secondary
# outcome's description leaves out or keeps.
_JUDGING = ("p_helpful", "p_exceeds_smallest_change", "p_noticeable", "tipping_point")
_MEASURED = (
    "estimate",
    "standard_error",
    "ci_low",
    "ci_high",
    "benefit",
    "benefit_low",
    "benefit_high",
    "trend_per_week",
    "residual_autocorrelation",
)


def withheld(result: Result) -> Result:
    """A running experiment's result as it may be shown: how many nights and mornings are
    in, and no verdict or number that compares A with B. The verdict is read once, at the
    planned end (or at a stop): read every night, with a stop at the first "helps", it
    would call a chance difference real far more often than the 2.5 % it is built for
    (docs/experiments.md, "Looking along the way")."""
    hidden = dict.fromkeys((*_JUDGING, *_MEASURED))
    return replace(result, **hidden, verdict=Verdict.WITHHELD, without_carryover=None, as_done=None)


def described(result: Result) -> Result:
    """A secondary outcome's result: its difference and 95 % interval, described, with no
    verdict of its own. Only the primary outcome is judged, so that measuring three things
    does not give three chances of a "helps" that chance alone made."""
    if result.verdict == Verdict.TOO_FEW_NIGHTS:
        return replace(result, without_carryover=None, as_done=None)
    return replace(
        result,
        **dict.fromkeys(_JUDGING),
        verdict=Verdict.DESCRIBED,
        without_carryover=None,
        as_done=None,
    )
