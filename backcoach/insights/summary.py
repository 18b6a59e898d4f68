"""The progress summary in words, from the statistics in stats.py. Pure Python, no Django.

The words say what the numbers show and what they cannot: a change in pain since the start
is not proof that the routine caused it (back pain often eases by itself), and nights with
a practice against nights without is not a fair test. None of it promises a cure.
"""

import datetime as dt

from backcoach.charts import day_text

from . import stats

IMPORTANT_TEXT = "about 2 points or 30 %"


def span_text(first: dt.date, last: dt.date) -> str:
    return day_text(first) if first == last else f"{day_text(first)} to {day_text(last)}"


def one(value: float) -> str:
    """A number to one decimal: 3.0, 2.5."""
    return f"{value:.1f}"


def points(value: float) -> str:
    shown = one(abs(value))
    return f"{shown} point" if shown == "1.0" else f"{shown} points"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def pain_change_text(change: stats.PainChange) -> str:
    """The change in pain since the first days with a rating, judged against the smallest
    change that matters; or how many more days with a rating it waits for."""
    days = stats.BASELINE_DAYS
    if change.verdict is None:
        if change.days_rated == 0:
            return (
                f"No pain ratings yet. Rate your pain in a check-in or before a routine: after "
                f"{2 * days} days with a rating, this compares your first {days} with your "
                f"latest {days}."
            )
        return (
            f"You have rated your pain on {plural(change.days_rated, 'day')}. After "
            f"{plural(change.days_needed, 'more day')} with a rating, this compares your first "
            f"{days} with your latest {days}."
        )
    baseline, latest = change.baseline, change.latest
    assert baseline is not None and latest is not None and change.change is not None
    spans = (
        f"from {one(baseline.mean)} on average over your first {days} days with a rating "
        f"({span_text(baseline.first, baseline.last)}) to {one(latest.mean)} over your latest "
        f"{days} ({span_text(latest.first, latest.last)})"
    )
    verdict = change.verdict
    if verdict == stats.Verdict.UNCHANGED:
        return f"Pain about the same: {spans}."
    direction = "down" if change.change < 0 else "up"
    if verdict in (stats.Verdict.BETTER, stats.Verdict.WORSE):
        judged = "a change that matters"
    else:
        judged = f"less than the smallest change that matters ({IMPORTANT_TEXT})"
    return f"Pain {direction} {points(change.change)}, {judged}: {spans}."


def what_it_means_text(change: stats.PainChange) -> str | None:
    """What a change can and cannot tell, for each verdict."""
    if change.verdict is None:
        return None
    if change.verdict == stats.Verdict.WORSE:
        return (
            "Your pain is higher than when you started. If it keeps rising, or new symptoms "
            "come with it, please see a clinician."
        )
    return (
        f"The smallest change in pain that people with back pain notice as real is "
        f"{IMPORTANT_TEXT} on the 0-10 scale. This shows how your pain changed, not why: back "
        f"pain often eases by itself, so it does not show that the routine did it."
    )


def adherence_text(
    adherence: stats.Adherence, *, since: dt.date | None = None, with_year: bool = False
) -> str:
    """How often the person practised, on the nights since `since` (their first entry, or
    the first day the page looks at); `with_year` for a report kept on paper."""
    if adherence.share is None:
        return (
            "Your nights are counted from your first entry: after your first night, how "
            "often you practise shows here."
        )
    if since is None:
        start = "since your first entry"
    else:
        start = f"since {day_text(since)}{f' {since.year}' if with_year else ''}"
    return (
        f"You practised on {adherence.nights_practised} of the {plural(adherence.nights, 'night')} "
        f"{start} ({adherence.share:.0%})."
    )


def weeks_text(weeks: tuple[stats.Week, stats.Week] | None) -> str:
    if weeks is None:
        return (
            f"Your best and worst weeks show once two weeks (Monday to Sunday) each have pain "
            f"rated on at least {stats.MIN_DAYS_PER_WEEK} days, and differ."
        )
    best, worst = weeks
    return (
        f"Best week: the week of {day_text(best.start)}, pain {one(best.mean)} on average "
        f"({plural(best.days, 'day')} rated). Worst week: the week of {day_text(worst.start)}, "
        f"pain {one(worst.mean)} ({plural(worst.days, 'day')} rated)."
    )


def group_text(group: stats.NightGroup) -> str:
    parts = []
    if group.pain is not None:
        parts.append(f"pain {one(group.pain)} on average ({plural(group.pain_mornings, 'night')})")
    if group.onset_minutes is not None:
        parts.append(
            f"{group.onset_minutes:.0f} minutes to fall asleep "
            f"({plural(group.onset_mornings, 'night')})"
        )
    return " and ".join(parts) if parts else "no pain or sleep answers yet"


def nights_text(comparison: stats.NightComparison) -> list[str]:
    """The mornings after nights with a practice against the mornings after nights without,
    with the number of nights behind each number, and why it is not a fair test."""
    practised, skipped = comparison.practised, comparison.skipped
    if practised.mornings == 0 and skipped.mornings == 0:
        return [
            "Check in in the mornings, and the mornings after nights with a practice are "
            "set beside the mornings after nights without."
        ]
    sentences = []
    if practised.mornings:
        sentences.append(f"After nights with a practice: {group_text(practised)}.")
    else:
        sentences.append("No morning check-ins yet after a night with a practice.")
    if skipped.mornings:
        sentences.append(f"After nights without: {group_text(skipped)}.")
    else:
        sentences.append("No morning check-ins yet after a night without a practice.")
    sentences.append(
        "This is not a fair test: people practise on some nights and not on others for "
        "reasons that also change pain and sleep (a hard day, a late night, a flare-up), so a "
        "difference here may not be the routine's doing. Only nights chosen at random, "
        "with and without the routine, make a fair test: a personal experiment."
    )
    return sentences


def before_after_text(result: stats.BeforeAfter | None) -> str:
    if result is None:
        return "Rate your pain before and after a routine, and how it changes shows here."
    difference = round(result.change, 1)
    if difference == 0:
        moved = "no different on average"
    else:
        moved = f"{points(difference)} {'lower' if difference < 0 else 'higher'} on average"
    return (
        f"Over {plural(result.practices, 'practice')} rated before and after, pain was "
        f"{one(result.before)} before and {one(result.after)} after: {moved}. That is how it "
        f"felt straight after; whether it lasts shows in the next morning's pain."
    )
