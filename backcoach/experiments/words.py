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


def smallest(outcome: Outcome) -> str:
    """The smallest change that matters as a person says it: "1 point", "10 minutes"."""
    amount = f"{outcome.smallest_change:g}"
    unit = outcome.unit[:-1] if amount == "1" and outcome.unit.endswith("s") else outcome.unit
    return f"{amount} {unit}"


def _difference(value: float, outcome: Outcome, *, measure: bool = True) -> str:
    """A difference A minus B in words: "1.4 points less pain the next morning"."""
    word = outcome.lower_word if value < 0 else outcome.higher_word
    return f"{_amount(value, outcome)} {word}" + (f" {outcome.measure}" if measure else "")


NOT_BLIND = (
    " You knew which nights were which, so what you expected of them is part of what was measured."
)


def chance(probability: float) -> str:
    """A probability as a person reads it: never "100 %" or "0 %", which no finite
    experiment can show."""
    if probability > 0.99:
        return "more than 99 %"
    if probability < 0.01:
        return "less than 1 %"
    return f"{round(100 * probability)} %"


def _interval(low: float, high: float, outcome: Outcome) -> str:
    """A 95 % interval whose ends are on one side of 0, as two amounts."""
    near, far = sorted((abs(low), abs(high)))
    shown = f"{near:.{outcome.decimals}f}", f"{far:.{outcome.decimals}f}"
    if shown[0] == shown[1]:
        return "the same difference in every pair of nights"
    return f"95 % interval {shown[0]} to {shown[1]}"


def restarted(earlier_starts: int) -> str:
    """What starting again after seeing draws does to a result ("" for a first start)."""
    if not earlier_starts:
        return ""
    starts = "a stopped start" if earlier_starts == 1 else f"{earlier_starts} stopped starts"
    return (
        f" It was started again after {starts} in the two weeks before, whose draws were "
        "seen (they are listed with it): if a start was stopped for the draw it showed, the "
        "result may lean towards the nights that were preferred."
    )


def missing_sentence(result: Result, outcome: Outcome, *, a_label: str, b_label: str) -> str:
    """What uneven missing mornings do to a result ("" when they are even, or when too few
    nights give no result: that sentence already asks for mornings after both)."""
    if result.verdict == Verdict.TOO_FEW_NIGHTS:
        return ""
    missing = result.missing_by_condition
    if not result.missing_uneven:
        if result.tipping_point is None:
            return ""
        favoured = "A" if result.verdict == Verdict.LIKELY_HELPS else "B"
        label = a_label if favoured == "A" else b_label
        count = missing[favoured]
        return (
            f" {count} morning{'s' if count != 1 else ''} after {label} nights "
            f"{'are' if count != 1 else 'is'} missing: the verdict would change if "
            f"{'they' if count != 1 else 'it'} had been "
            f"{_amount(result.tipping_point, outcome)} worse than the ones given."
        )
    counts = (
        f" Mornings are missing unevenly: {missing['A']} after {a_label} nights, "
        f"{missing['B']} after {b_label} nights."
    )
    if result.verdict == Verdict.WITHHELD:
        return counts + (
            " A result leans when mornings are skipped after worse nights: check in after "
            "both kinds of night."
        )
    if result.verdict not in (Verdict.LIKELY_HELPS, Verdict.LIKELY_WORSE):
        return counts + " If they were skipped after worse nights, the result leans."
    favoured = a_label if result.verdict == Verdict.LIKELY_HELPS else b_label
    if result.tipping_point is None:
        return counts + (
            f" The verdict holds even if the missing mornings after {favoured} nights were "
            "as bad as the scale allows."
        )
    return counts + (
        f" The verdict would change if the missing mornings after {favoured} nights had been "
        f"{_amount(result.tipping_point, outcome)} worse than the ones given: judge whether "
        "that is likely."
    )


def verdict_sentence(
    result: Result, outcome: Outcome, *, a_label: str, b_label: str, earlier_starts: int = 0
) -> str:
    """The result in plain words, for the person whose experiment it was. Never "proven":
    a 95 % interval is a good bet, not a proof. `earlier_starts`: how many stopped
    experiments came just before this one (selectors.earlier_starts)."""
    verdict = result.verdict
    if verdict == Verdict.WITHHELD:
        answered = result.nights - result.missing_mornings
        return (
            "The result comes at the end, from all the nights together: read along the way, "
            "with a stop when it looks good, it would too often call a chance difference "
            f"real. So far {answered} of {result.nights} night{'s' if result.nights != 1 else ''} "
            "have a morning check-in."
        ) + missing_sentence(result, outcome, a_label=a_label, b_label=b_label)
    if verdict == Verdict.DESCRIBED:
        between = f"with {a_label} than with {b_label}"
        if result.ci_low == result.ci_high:
            amount = f"{_difference(result.estimate, outcome)} {between}, the same every pair"
        else:
            amount = (
                f"about {_difference(result.estimate, outcome)} {between} (95 % interval "
                f"{_difference(result.ci_low, outcome, measure=False)} to "
                f"{_difference(result.ci_high, outcome, measure=False)})"
            )
        return (
            f"{amount[0].upper()}{amount[1:]}. Described, not judged: only the main measure "
            "gives the verdict, so that measuring several things does not give several "
            "chances of a difference that chance alone made."
        )
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
            sentence = (
                f"{head}: about {_difference(result.estimate, outcome)} {between} "
                f"({_interval(low, high, outcome)})."
            )
            if verdict == Verdict.LIKELY_HELPS and result.benefit < outcome.smallest_change:
                sentence += (
                    " That may be less than the smallest change that usually matters "
                    f"({smallest(outcome)})."
                )
            if verdict == Verdict.LIKELY_HELPS and result.p_noticeable is not None:
                sentence += (
                    f" The chance that it helps by a change you would notice "
                    f"({smallest(outcome)} or more) is {chance(result.p_noticeable)}, judged "
                    "sceptically (as if, before you began, a change that large seemed unlikely)."
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
                    f"{smallest(outcome)} that would matter."
                )
            else:
                sentence = f"No clear difference yet: {span}."
    if result.stopped_early:
        planned = 2 * result.planned_pairs
        sentence += f" Stopped early after {result.nights_covered} of {planned} nights"
        sentence += (
            "."
            if verdict == Verdict.TOO_FEW_NIGHTS
            else (
                ": the interval is wider than planned, and stopping when the numbers look good "
                "makes a chance result more likely."
            )
        )
    sentence += missing_sentence(result, outcome, a_label=a_label, b_label=b_label)
    if verdict != Verdict.TOO_FEW_NIGHTS:
        sentence += NOT_BLIND
    return sentence + restarted(earlier_starts)
