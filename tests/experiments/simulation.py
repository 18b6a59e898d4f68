"""Simulated personal experiments with a known true effect, to check that the analysis keeps
its promises: the 95 % interval covers the truth about 95 % of the time, and "likely helps"
is rare when nothing helps. Pure Python; used by tests/experiments/test_simulation.py and
bench/experiments.py.

Each experiment follows a real `Schedule` (pairs in random order) and draws one answer a
morning, each missing with probability `missing`:

- pain: a level that falls by 0.05 points a night (about 0.35 a week), plus AR(1) noise
  (marginal SD 1.5, autocorrelation φ), plus the effect on A nights; rounded to a whole
  number and kept within 0-10, as a person answers;
- minutes to fall asleep: 20 minutes falling by 0.1 a night, plus a right-skewed lognormal
  part (median 12 minutes, log-SD 0.8, its log an AR(1) with autocorrelation φ), plus the
  effect on A nights (a shift of the mean); rounded to whole minutes, at most 720.

The true effect is the difference in the mean answer, A minus B, as the person reports it.
Rounding does not change a whole-number shift, but clipping to 0-10 does, so for pain it is
computed exactly from the normal distribution (`true_effect`). For minutes nothing is clipped:
the smallest value is 20 - 0.1·83 - 10 > 0, and a lognormal part above 700 minutes has a
probability below 1e-6.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import NormalDist

from backcoach.experiments import analysis, tdist
from backcoach.experiments.analysis import Night, Verdict
from backcoach.experiments.fit import Point, fit_nights
from backcoach.experiments.outcomes import OUTCOMES, Outcome
from backcoach.experiments.schedule import SEED_LIMIT, A, B, Schedule

FIRST_NIGHT = dt.date(2026, 1, 5)
PAIN_LEVEL, PAIN_TREND, PAIN_SD = 5.0, -0.05, 1.5
SLEEP_FLOOR, SLEEP_TREND, SLEEP_MEDIAN, SLEEP_LOG_SD = 20.0, -0.1, 12.0, 0.8
PHIS = (0.0, 0.25, 0.5)
EFFECTS = {"pain": -1.0, "sleep_onset_minutes": -10.0}  # A lowers it by the smallest change
SEED = 20261206


@dataclass(frozen=True)
class Scenario:
    outcome: str  # "pain" or "sleep_onset_minutes"
    phi: float
    effect: float  # A minus B before rounding and clipping, in the outcome's unit
    pairs: int = 14
    missing: float = 0.1

    @property
    def name(self) -> str:
        effect = "no effect" if self.effect == 0 else f"effect {self.effect:g}"
        return f"{self.outcome}, phi {self.phi:g}, {effect}, {self.pairs} pairs"


def scenarios(*, effect: bool, pairs: int = 14) -> list[Scenario]:
    """Every outcome at every φ, with the smallest change that matters as the true effect
    (A helps) or with none."""
    return [
        Scenario(outcome, phi, EFFECTS[outcome] if effect else 0.0, pairs)
        for outcome in EFFECTS
        for phi in PHIS
    ]


def _ar1(rng: random.Random, count: int, phi: float) -> list[float]:
    """A stationary AR(1) series with standard normal marginals."""
    innovation_sd = math.sqrt(1.0 - phi * phi)
    series = [rng.gauss(0.0, 1.0)]
    for _ in range(count - 1):
        series.append(phi * series[-1] + rng.gauss(0.0, innovation_sd))
    return series


def simulate(scenario: Scenario, rng: random.Random) -> list[Night]:
    """One experiment's nights, as the app would pass them to `analyse`."""
    schedule = Schedule(
        first_night=FIRST_NIGHT, pairs=scenario.pairs, seed=rng.randrange(SEED_LIMIT)
    )
    plan = schedule.nights()
    noise = _ar1(rng, len(plan), scenario.phi)
    nights = []
    for t, ((night, condition), z) in enumerate(zip(plan, noise, strict=True)):
        shift = scenario.effect if condition == A else 0.0
        if scenario.outcome == "pain":
            latent = PAIN_LEVEL + PAIN_TREND * t + PAIN_SD * z + shift
            value = float(min(10, max(0, round(latent))))
        else:
            latent = (
                SLEEP_FLOOR + SLEEP_TREND * t + SLEEP_MEDIAN * math.exp(SLEEP_LOG_SD * z) + shift
            )
            value = float(min(720, round(latent)))
        answered = rng.random() >= scenario.missing
        nights.append(Night(night, condition, condition, value if answered else None))
    return nights


def _mean_pain_answer(level: float) -> float:
    """E[clip(round(level + e), 0, 10)] for e ~ N(0, PAIN_SD²)."""
    noise = NormalDist(level, PAIN_SD)
    return sum(1.0 - noise.cdf(k - 0.5) for k in range(1, 11))  # sum of P(answer >= k)


def true_effect(scenario: Scenario) -> float:
    """The difference in the mean answer, A minus B, averaged over the schedule's nights
    (the pair model's target: with the order random, each pair weighs both of its nights
    alike)."""
    if scenario.outcome != "pain":
        return scenario.effect
    levels = [PAIN_LEVEL + PAIN_TREND * t for t in range(2 * scenario.pairs)]
    return sum(
        _mean_pain_answer(level + scenario.effect) - _mean_pain_answer(level) for level in levels
    ) / len(levels)


# A method takes an experiment's nights and gives (ci_low, ci_high, verdict).
Method = Callable[[list[Night], Outcome], tuple[float | None, float | None, str]]


def pair_method(nights: list[Night], outcome: Outcome):
    """The method the app uses: `analyse`."""
    result = analysis.analyse(nights, outcome)
    return result.ci_low, result.ci_high, result.verdict


def all_nights_method(nights: list[Night], outcome: Outcome):
    """The rejected method: OLS on all nights (condition and trend) as if they were
    independent, with the same t interval and verdict rule."""
    first = nights[0].night
    points = [
        Point((n.night - first).days, (n.night - first).days // 2, n.assigned, n.outcome)
        for n in nights
        if n.outcome is not None
    ]
    fit, _, _ = fit_nights(points)
    counts = analysis._count(points)
    enough = min(counts.values()) >= analysis.MIN_COMPLETE_PAIRS
    compared = analysis._compare(fit, outcome, enough=enough, nights_per_condition=counts)
    return compared["ci_low"], compared["ci_high"], compared["verdict"]


def pairs_without_trend_method(nights: list[Night], outcome: Outcome):
    """A simpler method we weighed: the mean of the complete pairs' differences with a t
    interval (the pair model without the order term). Valid too, and a little narrower,
    but its estimate tilts when the orders happen to be unbalanced and something differs
    between AB and BA pairs (a trend, or carryover into the second night)."""
    first = nights[0].night
    by_pair: dict[int, dict[str, float]] = {}
    for n in nights:
        if n.outcome is not None:
            by_pair.setdefault((n.night - first).days // 2, {})[n.assigned] = n.outcome
    differences = [pair[A] - pair[B] for pair in by_pair.values() if len(pair) == 2]
    count = len(differences)
    if count < 2:
        return None, None, Verdict.TOO_FEW_NIGHTS
    mean = sum(differences) / count
    variance = sum((d - mean) ** 2 for d in differences) / (count - 1)
    half = tdist.ppf(0.975, count - 1) * math.sqrt(variance / count)
    low, high = mean - half, mean + half
    if count < analysis.MIN_COMPLETE_PAIRS:
        return low, high, Verdict.TOO_FEW_NIGHTS
    sign = -1.0 if outcome.lower_is_better else 1.0
    benefit_low, benefit_high = sorted((sign * low, sign * high))
    return low, high, analysis.verdict_for(benefit_low, benefit_high, outcome.smallest_change)


@dataclass
class Rates:
    scenario: Scenario
    experiments: int
    truth: float
    with_interval: int = 0
    covered: int = 0
    widths: list[float] = field(default_factory=list)
    verdicts: Counter = field(default_factory=Counter)

    @property
    def coverage(self) -> float:
        """Share of the experiments with an interval whose interval covers the truth."""
        return self.covered / self.with_interval if self.with_interval else math.nan

    @property
    def likely_helps(self) -> float:
        """Share of all experiments with the verdict "likely helps"."""
        return self.verdicts[Verdict.LIKELY_HELPS] / self.experiments

    @property
    def mean_width(self) -> float:
        return sum(self.widths) / len(self.widths) if self.widths else math.nan


def run(
    scenario: Scenario,
    *,
    experiments: int = 1000,
    seed: int = SEED,
    method: Method = pair_method,
) -> Rates:
    """Simulate `experiments` experiments of a scenario (seeded) and count what the method
    says about them."""
    rng = random.Random(
        f"{seed}:{scenario.outcome}:{scenario.phi}:{scenario.effect}:{scenario.pairs}"
    )
    outcome = OUTCOMES[scenario.outcome]
    rates = Rates(scenario, experiments, true_effect(scenario))
    for _ in range(experiments):
        low, high, verdict = method(simulate(scenario, rng), outcome)
        rates.verdicts[verdict] += 1
        if low is not None:
            rates.with_interval += 1
            rates.covered += low <= rates.truth <= high
            rates.widths.append(high - low)
    return rates
