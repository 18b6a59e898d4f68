"""The analysis of a personal experiment: did condition A do better than B, by how much, and
how sure can we be? Pure Python, no Django, no numpy.

The model, its sources and the simulations that chose it are in docs/experiments.md. In
short: the nights come in pairs with a random order, and the effect is estimated from the
difference within each complete pair, by OLS with pair fixed effects, the condition and a
linear time trend, with a t interval on the residual degrees of freedom. The verdict
compares that interval with 0 and with the smallest change that matters.
"""

import datetime as dt
import enum
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from backcoach.experiments import tdist
from backcoach.experiments.schedule import CONDITIONS, A, B

LEVEL = 0.95
MIN_COMPLETE_PAIRS = 6  # complete pairs for a verdict: at least 4 residual degrees of freedom
ADHERENCE_FOR_AS_DONE = 0.8  # below this share of nights as assigned, also analyse as done
DIGITS = 4  # decimals kept by as_dict


class Verdict(enum.StrEnum):
    TOO_FEW_NIGHTS = "too_few_nights"
    LIKELY_HELPS = "likely_helps"
    LIKELY_WORSE = "likely_worse"
    NO_CLEAR_DIFFERENCE = "no_clear_difference"
    LIKELY_NO_DIFFERENCE_THAT_MATTERS = "likely_no_difference_that_matters"


@dataclass(frozen=True)
class Outcome:
    """What the morning question measures, and the smallest change in it that matters.

    The sentence reads "{amount} {unit} {lower_word|higher_word} {measure}", for example
    "1.4 points less pain the next morning"."""

    key: str
    label: str
    unit: str  # plural; the singular drops the final "s"
    lower_is_better: bool
    smallest_change: float
    source: str
    minimum: float
    maximum: float
    measure: str
    lower_word: str
    higher_word: str
    decimals: int  # how many decimals the sentences show


OUTCOMES = {
    "pain": Outcome(
        key="pain",
        label="Pain the next morning (0-10)",
        unit="points",
        lower_is_better=True,
        smallest_change=1.0,
        source=(
            "About 1 point on the 0-10 scale went with feeling slightly better: Salaffi et al. "
            "2004, European Journal of Pain 8(4):283-291; the IMMPACT recommendations call "
            "10-20 % minimally important (Dworkin et al. 2008, Journal of Pain 9(2):105-121); "
            "2 points or 30 % is 'much improved' (Farrar et al. 2001, Pain 94(2):149-158)."
        ),
        minimum=0,
        maximum=10,
        measure="pain the next morning",
        lower_word="less",
        higher_word="more",
        decimals=1,
    ),
    "sleep_onset_minutes": Outcome(
        key="sleep_onset_minutes",
        label="Minutes to fall asleep",
        unit="minutes",
        lower_is_better=True,
        smallest_change=10.0,
        source=(
            "A convention, not a measured threshold: no firm minimal important difference "
            "exists for diary sleep-onset latency. The American Academy of Sleep Medicine's "
            "review of behavioural insomnia treatments set 20 minutes against a control and "
            "10 minutes between two active treatments as clinically significant, by "
            "consensus (Edinger et al. 2021, Journal of Clinical Sleep Medicine "
            "17(2):263-298); we use the smaller figure."
        ),
        minimum=0,
        maximum=720,
        measure="time to fall asleep",
        lower_word="less",
        higher_word="more",
        decimals=0,
    ),
    "sleep_quality": Outcome(
        key="sleep_quality",
        label="Sleep quality (1-5)",
        unit="steps",
        lower_is_better=False,
        smallest_change=1.0,
        source=(
            "Our own choice: no established minimal important difference exists for a single "
            "1-5 sleep-quality item (the Consensus Sleep Diary question, Carney et al. 2012); "
            "one step is the smallest change a person can report."
        ),
        minimum=1,
        maximum=5,
        measure="sleep quality",
        lower_word="lower",
        higher_word="higher",
        decimals=1,
    ),
}


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
    `pairs_covered`: pairs of the schedule up to the last night given; `stopped_early`
    when fewer than `planned_pairs`. `without_carryover`: the analysis without the nights
    right after a switch of condition (None when there are none). `as_done`: the analysis
    by what was done, when adherence is below 80 %."""

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
    planned_pairs: int | None
    stopped_early: bool
    without_carryover: Comparison | None
    as_done: Comparison | None


# The fits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    """A night with a morning answer: its number from the first night, its pair, the
    condition it counts under and the answer."""

    index: int
    pair: int
    condition: str
    value: float


@dataclass(frozen=True)
class _Fit:
    method: str
    estimate: float | None  # A minus B
    standard_error: float | None
    degrees_of_freedom: int | None
    complete_pairs: int | None


def _solve_normal(
    xtx: list[list[float]], xty: list[float]
) -> tuple[list[float], list[list[float]]] | None:
    """Solves the normal equations of a least-squares fit with a few columns (here at most
    3) by Gauss-Jordan with partial pivoting: the coefficients and (XᵀX)⁻¹. None when the
    columns are not independent."""
    p = len(xty)
    scale = max(abs(xtx[i][i]) for i in range(p)) or 1.0
    work = [list(xtx[i]) + [1.0 if i == j else 0.0 for j in range(p)] for i in range(p)]
    for col in range(p):
        pivot = max(range(col, p), key=lambda r: abs(work[r][col]))
        if abs(work[pivot][col]) <= 1e-10 * scale:
            return None
        work[col], work[pivot] = work[pivot], work[col]
        lead = work[col][col]
        work[col] = [value / lead for value in work[col]]
        for r in range(p):
            if r != col and work[r][col] != 0.0:
                factor = work[r][col]
                work[r] = [a - factor * b for a, b in zip(work[r], work[col], strict=True)]
    inverse = [row[p:] for row in work]
    return [sum(inverse[i][j] * xty[j] for j in range(p)) for i in range(p)], inverse


def _residual_variance(residuals: Sequence[float], values: Sequence[float], df: int) -> float:
    rss = math.fsum(r * r for r in residuals)
    # Exactly fitting data (every pair the same difference) leaves rounding dust, not noise.
    if rss <= 1e-24 * (1.0 + math.fsum(v * v for v in values)):
        return 0.0
    return rss / df


def _exact(estimate: float, variance: float) -> float:
    """An exact fit has no interval to absorb rounding dust, so 1e-14 would count as a
    difference: round it away (to a billionth of the outcome's unit)."""
    return round(estimate, 9) + 0.0 if variance == 0 else estimate


def _fit_pairs(points: Sequence[_Point], label: str = "by the condition assigned") -> _Fit:
    """The pair model: OLS with a level per pair, the condition and a linear trend. Within a
    pair the level cancels, so this is the regression of each complete pair's difference
    d = y(A) - y(B) on an intercept (the effect) and the order s (+1 when A came second: the
    trend over the one night between them), solved in closed form."""
    by_pair: dict[int, list[_Point]] = {}
    for point in points:
        by_pair.setdefault(point.pair, []).append(point)
    differences, orders = [], []
    for first, *rest in by_pair.values():
        if len(rest) != 1 or first.condition == rest[0].condition:
            continue
        a, b = (first, rest[0]) if first.condition == A else (rest[0], first)
        differences.append(a.value - b.value)
        orders.append(1.0 if a.index > b.index else -1.0)
    n = len(differences)
    method = f"pair differences (OLS with pair levels, condition and trend), {label}"
    if n < 2:
        return _Fit(method, None, None, None, n)
    sum_d, sum_s = math.fsum(differences), sum(orders)
    det = n * n - sum_s * sum_s  # XᵀX = [[n, Σs], [Σs, n]] since s² = 1
    if n >= 3 and det > 0:
        sum_sd = math.fsum(s * d for s, d in zip(orders, differences, strict=True))
        effect = (n * sum_d - sum_s * sum_sd) / det
        trend = (n * sum_sd - sum_s * sum_d) / det
        residuals = [d - effect - trend * s for s, d in zip(orders, differences, strict=True)]
        df, inverse_00 = n - 2, n / det
    else:
        # Every pair in the same order: the trend and the effect cannot be told apart.
        method = (
            "pair differences (OLS with pair levels and condition; no trend: every pair in "
            f"the same order), {label}"
        )
        effect = sum_d / n
        residuals = [d - effect for d in differences]
        df, inverse_00 = n - 1, 1 / n
    variance = _residual_variance(residuals, differences, df)
    return _Fit(method, _exact(effect, variance), math.sqrt(variance * inverse_00), df, n)


def _fit_nights(points: Sequence[_Point]) -> tuple[_Fit, float | None, dict[int, float]]:
    """OLS on all nights with an answer, y = μ + Δ·[A] + β·t, as if the nights were
    independent (with one condition only, without Δ). Returns the fit, the trend β per
    night and each night's residual by its number."""
    method = "all nights (OLS with condition and trend)"
    n = len(points)
    if n < 3:
        return _Fit(method, None, None, None, None), None, {}
    mean_index = sum(p.index for p in points) / n
    both = {p.condition for p in points} == {A, B}
    # Columns 1, [A] and t - mean(t): accumulate XᵀX and Xᵀy in one pass.
    n_a = s_at = s_tt = s_y = s_ay = s_ty = 0.0
    for p in points:
        t = p.index - mean_index
        s_tt += t * t
        s_y += p.value
        s_ty += t * p.value
        if p.condition == A:
            n_a += 1
            s_at += t
            s_ay += p.value
    if both:
        solved = _solve_normal(
            [[n, n_a, 0.0], [n_a, n_a, s_at], [0.0, s_at, s_tt]], [s_y, s_ay, s_ty]
        )
    else:
        solved = _solve_normal([[n, 0.0], [0.0, s_tt]], [s_y, s_ty])
    if solved is None:
        return _Fit(method, None, None, None, None), None, {}
    beta, inverse = solved
    effect = beta[1] if both else 0.0
    residuals = {
        p.index: p.value
        - beta[0]
        - (effect if p.condition == A else 0.0)
        - beta[-1] * (p.index - mean_index)
        for p in points
    }
    df = n - len(beta)
    trend = beta[-1]
    if _residual_variance(list(residuals.values()), [p.value for p in points], 1) == 0:
        # An exact fit: its residuals are rounding dust, with no autocorrelation to speak of.
        residuals = dict.fromkeys(residuals, 0.0)
    if not both or df < 1:
        return _Fit(method, None, None, df if df >= 1 else None, None), trend, residuals
    variance = _residual_variance(list(residuals.values()), [p.value for p in points], df)
    effect = _exact(effect, variance)
    return _Fit(method, effect, math.sqrt(variance * inverse[1][1]), df, None), trend, residuals


def _lag1_autocorrelation(residuals: dict[int, float]) -> float | None:
    """r1 = (mean of e_t e_t+1 over consecutive nights both answered) / (mean of e_t²)."""
    products = [residuals[i] * residuals[i + 1] for i in residuals if i + 1 in residuals]
    if len(products) < 3:
        return None
    variance = math.fsum(e * e for e in residuals.values()) / len(residuals)
    if variance <= 0:
        return None
    return math.fsum(products) / len(products) / variance


def _probability_above(threshold: float, benefit: float, se: float, df: int) -> float:
    """P(true benefit > threshold) under the t posterior (flat prior) centred on `benefit`."""
    if se == 0:
        return 1.0 if benefit > threshold else 0.0 if benefit < threshold else 0.5
    return tdist.cdf((benefit - threshold) / se, df)


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
    fit: _Fit, outcome: Outcome, *, enough: bool, nights_per_condition: dict[str, int]
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
    }


def _count(points: Iterable[_Point]) -> dict[str, int]:
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
        _Point(index_of(n), index_of(n) // 2, n.assigned, float(n.outcome)) for n in answered
    ]
    main_fit = _fit_pairs(assigned_points)
    main = _compare(
        main_fit,
        outcome,
        enough=(main_fit.complete_pairs or 0) >= MIN_COMPLETE_PAIRS,
        nights_per_condition=_count(assigned_points),
    )
    _, trend, residuals = _fit_nights(assigned_points)

    adherence = sum(1 for n in ordered if n.done == n.assigned) / len(ordered) if ordered else None
    pairs_covered = index_of(ordered[-1]) // 2 + 1 if ordered else 0
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
        residual_autocorrelation=_lag1_autocorrelation(residuals),
        pairs_covered=pairs_covered,
        planned_pairs=planned_pairs,
        stopped_early=planned_pairs is not None and pairs_covered < planned_pairs,
        without_carryover=_without_carryover(ordered, assigned_points, outcome, index_of),
        as_done=(
            _as_done(answered, outcome, index_of)
            if adherence is not None and adherence < ADHERENCE_FOR_AS_DONE
            else None
        ),
    )


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
    fit, _, _ = _fit_nights(kept)
    counts = _count(kept)
    fit = _Fit(
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
        _Point(index_of(n), index_of(n) // 2, n.done, float(n.outcome))
        for n in answered
        if n.done is not None
    ]
    fit = _fit_pairs(points, label="by what was done")
    enough = (fit.complete_pairs or 0) >= MIN_COMPLETE_PAIRS
    return Comparison(**_compare(fit, outcome, enough=enough, nights_per_condition=_count(points)))


# The words --------------------------------------------------------------------------------


def _amount(value: float, outcome: Outcome) -> str:
    text = f"{abs(value):.{outcome.decimals}f}"
    unit = (
        outcome.unit[:-1] if text in ("1", "1.0") and outcome.unit.endswith("s") else outcome.unit
    )
    return f"{text} {unit}"


def _smallest(outcome: Outcome) -> str:
    """The smallest change that matters as a person says it: "1 point", "10 minutes"."""
    amount = f"{outcome.smallest_change:g}"
    unit = outcome.unit[:-1] if amount == "1" and outcome.unit.endswith("s") else outcome.unit
    return f"{amount} {unit}"


def _difference(value: float, outcome: Outcome, *, measure: bool = True) -> str:
    """A difference A minus B in words: "1.4 points less pain the next morning"."""
    word = outcome.lower_word if value < 0 else outcome.higher_word
    return f"{_amount(value, outcome)} {word}" + (f" {outcome.measure}" if measure else "")


def verdict_sentence(result: Result, outcome: Outcome, *, a_label: str, b_label: str) -> str:
    """The result in plain words, for the person whose experiment it was. Never "proven":
    a 95 % interval is a good bet, not a proof."""
    verdict = result.verdict
    if verdict == Verdict.TOO_FEW_NIGHTS:
        needed = result.nights_needed or 2
        sentence = (
            "Too few nights for a verdict: about "
            f"{needed} more night{'s' if needed != 1 else ''} with a morning check-in "
            f"{'are' if needed != 1 else 'is'} needed, on both {a_label} and {b_label} nights."
        )
    else:
        low, high = result.ci_low, result.ci_high
        between = f"with {a_label} than with {b_label}"
        if verdict in (Verdict.LIKELY_HELPS, Verdict.LIKELY_WORSE):
            head = "Likely helps" if verdict == Verdict.LIKELY_HELPS else "Likely worse"
            # Both ends lie on one side of 0 here, so the interval reads as two amounts.
            near, far = sorted((abs(low), abs(high)))
            sentence = (
                f"{head}: about {_difference(result.estimate, outcome)} {between} "
                f"(95 % interval {near:.{outcome.decimals}f} to {far:.{outcome.decimals}f})."
            )
            if verdict == Verdict.LIKELY_HELPS and result.benefit < outcome.smallest_change:
                sentence += (
                    " That may be less than the smallest change that usually matters "
                    f"({_smallest(outcome)})."
                )
        else:
            span = (
                f"the 95 % interval runs from {_difference(low, outcome, measure=False)} to "
                f"{_difference(high, outcome)} {between}"
            )
            if verdict == Verdict.LIKELY_NO_DIFFERENCE_THAT_MATTERS and low == high == 0:
                sentence = (
                    "Likely no difference that matters: the answers were the same after "
                    f"{a_label} and after {b_label}."
                )
            elif verdict == Verdict.LIKELY_NO_DIFFERENCE_THAT_MATTERS:
                sentence = (
                    f"Likely no difference that matters: {span}, within the "
                    f"{_smallest(outcome)} that would matter."
                )
            else:
                sentence = f"No clear difference yet: {span}."
    if result.stopped_early:
        sentence += f" Stopped early after {result.pairs_covered} of {result.planned_pairs} pairs"
        sentence += (
            "."
            if verdict == Verdict.TOO_FEW_NIGHTS
            else (
                ": the interval is wider than planned, and stopping when the numbers look good "
                "makes a chance result more likely."
            )
        )
    return sentence
