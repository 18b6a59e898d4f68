"""A personal experiment's result in plain words: the verdict's sentence, for the person
whose experiment it was. Pure Python, no Django."""

from .analysis import Result, Verdict
from .outcomes import Outcome


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
