"""The analysis keeps its promises on simulated experiments with a known truth (see
simulation.py and docs/experiments.md): for each outcome and each autocorrelation φ, 1,000
four-week experiments with a fixed seed each.

- With a true effect (the smallest change that matters, helpful), the 95 % interval covers
  it 93-97 % of the time, and "likely worse" or "likely no difference that matters" are rare.
- With no effect, the interval covers 0 93-97 % of the time and "likely helps" comes at
  most 5 % of the time (2.5 % is what a 95 % interval promises).

Beside them, planted faults (a z interval, ignoring the pairs, an 80 % interval) that these
checks must catch.
"""

from statistics import NormalDist

import pytest

from backcoach.experiments import analysis, tdist
from backcoach.experiments.analysis import Verdict
from tests.experiments import simulation

EXPERIMENTS = 1000
COVERAGE = (0.93, 0.97)
FALSE_HELPS = 0.05


def ids(scenario: simulation.Scenario) -> str:
    return f"{scenario.outcome}-phi{scenario.phi:g}"


def coverage_is_kept(rates: simulation.Rates) -> bool:
    return COVERAGE[0] <= rates.coverage <= COVERAGE[1]


@pytest.mark.parametrize("scenario", simulation.scenarios(effect=True), ids=ids)
def test_the_interval_covers_a_true_effect_about_95_times_in_100(scenario):
    rates = simulation.run(scenario, experiments=EXPERIMENTS)
    assert rates.with_interval >= 0.99 * EXPERIMENTS
    assert coverage_is_kept(rates), f"coverage {rates.coverage:.3f} for {scenario.name}"
    # A helpful effect of the smallest size that matters is almost never called the opposite.
    assert rates.verdicts[Verdict.LIKELY_WORSE] <= 0.01 * EXPERIMENTS
    assert rates.verdicts[Verdict.LIKELY_NO_DIFFERENCE_THAT_MATTERS] <= 0.05 * EXPERIMENTS


@pytest.mark.parametrize("scenario", simulation.scenarios(effect=False), ids=ids)
def test_with_no_effect_likely_helps_is_rare(scenario):
    rates = simulation.run(scenario, experiments=EXPERIMENTS)
    assert rates.likely_helps <= FALSE_HELPS, f"{rates.likely_helps:.3f} for {scenario.name}"
    assert coverage_is_kept(rates), f"coverage {rates.coverage:.3f} for {scenario.name}"


def test_the_simulated_truth_for_pain_is_the_mean_answer_after_rounding_and_clipping():
    # Brute force over the same nights: the exact value within Monte Carlo error (SD ~0.004).
    import random

    scenario = simulation.Scenario("pain", 0.0, -1.0)
    rng = random.Random(3)
    total = count = 0
    for t in range(2 * scenario.pairs):
        level = simulation.PAIN_LEVEL + simulation.PAIN_TREND * t
        for _ in range(4000):
            e = rng.gauss(0, simulation.PAIN_SD)
            total += min(10, max(0, round(level + e - 1))) - min(10, max(0, round(level + e)))
            count += 1
    assert simulation.true_effect(scenario) == pytest.approx(total / count, abs=0.015)
    assert simulation.true_effect(scenario) != -1.0  # clipping at 0 does change it
    assert simulation.true_effect(simulation.Scenario("sleep_onset_minutes", 0.5, -10.0)) == -10


# The planted faults -----------------------------------------------------------------------


def test_the_coverage_check_catches_a_z_interval(monkeypatch):
    monkeypatch.setattr(tdist, "ppf", lambda p, df: NormalDist().inv_cdf(p))
    rates = simulation.run(simulation.Scenario("pain", 0.0, -1.0), experiments=EXPERIMENTS)
    assert rates.coverage < COVERAGE[0]


def test_the_coverage_check_catches_ignoring_the_pairs():
    # The all-nights model: its intervals are too wide when nights come in spells.
    scenario = simulation.Scenario("pain", 0.5, -1.0)
    rates = simulation.run(scenario, experiments=EXPERIMENTS, method=simulation.all_nights_method)
    assert rates.coverage > COVERAGE[1]


def test_the_false_helps_check_catches_an_80_percent_interval(monkeypatch):
    monkeypatch.setattr(analysis, "LEVEL", 0.80)
    rates = simulation.run(simulation.Scenario("pain", 0.0, 0.0), experiments=EXPERIMENTS)
    assert rates.likely_helps > FALSE_HELPS
    assert rates.coverage < COVERAGE[0]
