"""The progress summary's words, from known statistics."""

import datetime as dt

from backcoach.insights import stats, summary

D0 = dt.date(2026, 10, 5)


def days_of(values: list[float]) -> dict[dt.date, float]:
    return {D0 + dt.timedelta(days=i): value for i, value in enumerate(values)}


def text_for(values: list[float]) -> str:
    return summary.pain_change_text(stats.pain_change(days_of(values)))


def test_pain_six_for_two_weeks_then_three_reads_down_three_points_a_change_that_matters():
    text = text_for([6.0] * 14 + [3.0] * 14)
    assert text.startswith("Pain down 3.0 points, a change that matters: from 6.0 on average")
    assert "(5 Oct to 18 Oct)" in text and "3.0 over your latest 14 (19 Oct to 1 Nov)" in text


def test_two_points_down_is_a_change_that_matters_whatever_the_percentage():
    assert text_for([8.0] * 14 + [6.0] * 14).startswith(
        "Pain down 2.0 points, a change that matters"
    )
    assert text_for([8.0] * 14 + [6.1] * 14).startswith("Pain down 1.9 points, less than")


def test_a_small_change_is_called_smaller_than_one_that_matters():
    assert text_for([5.0] * 14 + [4.0] * 14).startswith(
        "Pain down 1.0 point, less than the smallest change that matters (about 2 points or 30 %)"
    )
    assert text_for([3.0] * 14 + [3.5] * 14).startswith("Pain up 0.5 points, less than")
    assert text_for([4.0] * 28).startswith("Pain about the same: from 4.0")


def test_a_rise_that_matters_is_said_plainly_and_points_to_care():
    change = stats.pain_change(days_of([3.0] * 14 + [5.5] * 14))
    assert summary.pain_change_text(change).startswith("Pain up 2.5 points, a change that matters")
    assert "see a clinician" in summary.what_it_means_text(change)


def test_too_little_data_says_how_many_more_days_are_needed():
    assert text_for([5.0] * 20) == (
        "You have rated your pain on 20 days. After 8 more days with a rating, this compares "
        "your first 14 with your latest 14."
    )
    assert "After 1 more day with a rating" in text_for([5.0] * 27)
    assert text_for([5.0]).startswith("You have rated your pain on 1 day.")
    assert text_for([]).startswith("No pain ratings yet.")
    assert "after 28 days with a rating" in text_for([])


def test_a_better_verdict_says_what_it_does_not_show_and_promises_no_cure():
    change = stats.pain_change(days_of([6.0] * 14 + [3.0] * 14))
    meaning = summary.what_it_means_text(change)
    assert "not why" in meaning and "does not show that the routine did it" in meaning
    everything = " ".join([summary.pain_change_text(change), meaning]).lower()
    assert "cure" not in everything and "heal" not in everything


def test_adherence_reads_as_nights_of_nights():
    text = summary.adherence_text(stats.Adherence(nights_practised=15, nights=21))
    assert text == "You practised on 15 of the 21 nights since your first entry (71%)."
    assert "after your first night" in summary.adherence_text(stats.Adherence(0, 0))


def test_best_and_worst_weeks_name_the_week_and_its_days():
    best = stats.Week(start=dt.date(2026, 10, 12), days=7, mean=2.94)
    worst = stats.Week(start=dt.date(2026, 10, 5), days=5, mean=5.1)
    assert summary.weeks_text((best, worst)) == (
        "Best week: the week of 12 Oct, pain 2.9 on average (7 days rated). Worst week: the "
        "week of 5 Oct, pain 5.1 (5 days rated)."
    )
    assert "at least 3 days" in summary.weeks_text(None)


def test_nights_with_and_without_give_the_count_behind_each_number_and_say_it_is_not_fair():
    comparison = stats.NightComparison(
        practised=stats.NightGroup(
            mornings=10, pain_mornings=9, pain=3.24, onset_mornings=10, onset_minutes=18.4
        ),
        skipped=stats.NightGroup(
            mornings=4, pain_mornings=4, pain=4.1, onset_mornings=1, onset_minutes=25.0
        ),
    )
    first, second, caveat = summary.nights_text(comparison)
    assert first == (
        "After nights with a practice: pain 3.2 on average (9 nights) and 18 minutes to fall "
        "asleep (10 nights)."
    )
    assert second == (
        "After nights without: pain 4.1 on average (4 nights) and 25 minutes to fall asleep "
        "(1 night)."
    )
    assert caveat.startswith("This is not a fair test")
    assert "Only nights chosen at random" in caveat


def test_a_group_without_mornings_says_so():
    comparison = stats.NightComparison(
        practised=stats.NightGroup(mornings=2, pain_mornings=2, pain=3.0),
        skipped=stats.NightGroup(),
    )
    sentences = summary.nights_text(comparison)
    assert sentences[0] == "After nights with a practice: pain 3.0 on average (2 nights)."
    assert sentences[1] == "No morning check-ins yet after a night without a practice."
    empty = stats.NightComparison(stats.NightGroup(), stats.NightGroup())
    assert summary.nights_text(empty)[0].startswith("Check in in the mornings")


def test_before_and_after_in_words():
    text = summary.before_after_text(stats.BeforeAfter(practices=14, before=4.6, after=3.1))
    assert text.startswith(
        "Over 14 practices rated before and after, pain was 4.6 before and 3.1 after: "
        "1.5 points lower on average."
    )
    assert "Rate your pain before and after" in summary.before_after_text(None)


def test_dates_read_as_day_and_month():
    assert summary.day_text(dt.date(2026, 3, 1)) == "1 Mar"
    assert summary.span_text(dt.date(2026, 3, 1), dt.date(2026, 3, 1)) == "1 Mar"
