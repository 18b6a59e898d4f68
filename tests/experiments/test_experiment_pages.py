"""Starting, following, stopping and reading a personal experiment, through its pages."""

import datetime as dt
import json
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backcoach.diary.services import checkin_edit
from backcoach.experiments import record, selectors, services
from backcoach.experiments.models import Experiment
from tests.commands import run
from tests.experiments.data import live_nights, make_experiment
from tests.factories import client_for, make_routine

INDEX = reverse("experiments:index")


@pytest.fixture
def massage(db):
    return make_routine(slug="bedtime-back-self-massage", purpose="bedtime", is_default=True)


@pytest.fixture
def stretch(db):
    return make_routine(slug="bedtime-stretch", name="Bedtime stretch", purpose="bedtime")


def helps_by_two_points(seed: int = 1):
    """Morning pain about 2 points lower after A nights, with noise."""
    rng = random.Random(seed)

    def answers(index: int, condition: str) -> dict:
        pain = 5 - (2 if condition == "A" else 0) + rng.gauss(0, 1)
        minutes = 30 - (5 if condition == "A" else 0) + rng.gauss(0, 8)
        return {
            "pain": min(10, max(0, round(pain))),
            "sleep_onset_minutes": max(0, round(minutes)),
            "sleep_quality": 3,
        }

    return answers


def start(person, **choices):
    """An experiment started through the service, from tonight."""
    return services.experiment_start(
        person=person,
        **{
            "question": "massage-pain",
            "routine_b": None,
            "outcome": "pain",
            "secondary_outcomes": [],
            "weeks": 4,
            "first_night": selectors.today_of(person),
            **choices,
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("choices", "reason"),
    [
        ({"first_night": dt.date(2020, 1, 1)}, "first night"),
        ({"weeks": 1}, "weeks must be between"),
        ({"weeks": 13}, "weeks must be between"),
        ({"outcome": "happiness"}, "what to measure"),
        ({"secondary_outcomes": ["mood"]}, "what to measure"),
    ],
)
def test_the_service_refuses_what_the_form_would_not_send(person, massage, choices, reason):
    with pytest.raises(services.ExperimentRefused, match=reason):
        start(person, routine_a=massage, **choices)
    assert not Experiment.objects.exists()


def test_the_same_routine_twice_is_refused(person, massage):
    with pytest.raises(services.ExperimentRefused, match="two different"):
        start(person, question="two-routines", routine_a=massage, routine_b=massage)


def start_form(**overrides) -> dict:
    return {"question": "massage-pain", "weeks": "4", "start": "tonight", **overrides}


@pytest.mark.django_db
def test_a_person_starts_an_experiment_whose_schedule_is_then_fixed(person_client, person, massage):
    response = person_client.post(INDEX, start_form())
    experiment = Experiment.objects.get()
    assert response["Location"] == reverse("experiments:detail", args=[experiment.pk])
    assert (experiment.person, experiment.routine_a, experiment.routine_b) == (
        person,
        massage,
        None,
    )
    assert (experiment.outcome, experiment.pairs) == ("pain", 14)
    assert experiment.secondary_outcomes == ["sleep_onset_minutes", "sleep_quality"]
    assert experiment.first_night == selectors.today_of(person)
    page = person_client.get(response["Location"]).content.decode()
    assert "Tonight:" in page
    assert "The result comes at the end, from all the nights together" in page


@pytest.mark.django_db
def test_two_routines_are_compared_by_the_chosen_answer(person_client, massage, stretch):
    form = start_form(
        question="two-routines",
        routine_a=massage.slug,
        routine_b=stretch.slug,
        outcome="sleep_onset_minutes",
        start="tomorrow",
        weeks="2",
    )
    person_client.post(INDEX, form)
    experiment = Experiment.objects.get()
    assert (experiment.routine_b, experiment.outcome, experiment.pairs) == (
        stretch,
        "sleep_onset_minutes",
        7,
    )
    assert experiment.b_label == "Bedtime stretch"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"weeks": "1"},
        {"weeks": "13"},
        {"weeks": "four"},
        {"weeks": ""},
        {"weeks": "99999999999999999999999"},
        {"question": "cure-me"},
        {"question": ""},
        {"start": "yesterday"},
        {"question": "two-routines", "routine_a": "bedtime-back-self-massage"},
        {
            "question": "two-routines",
            "routine_a": "bedtime-back-self-massage",
            "routine_b": "bedtime-back-self-massage",
        },
        {
            "question": "two-routines",
            "routine_a": "no-such-routine",
            "routine_b": "bedtime-stretch",
        },
        {"question": "two-routines", "routine_a": "desk-break", "routine_b": "bedtime-stretch"},
        {"question": "two-routines", "outcome": "happiness"},
        {"question": "massage-pain\u0000"},
    ],
)
def test_bad_input_is_refused_and_starts_nothing(person_client, massage, stretch, overrides):
    make_routine(slug="desk-break", purpose="desk")
    response = person_client.post(INDEX, start_form(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Experiment.objects.exists()


@pytest.mark.django_db
def test_a_second_experiment_while_one_runs_is_refused_with_a_reason(person, massage, stretch):
    start(person, routine_a=massage)
    with pytest.raises(services.ExperimentRefused, match="already running"):
        start(person, question="two-routines", routine_a=massage, routine_b=stretch, weeks=2)
    assert Experiment.objects.count() == 1


@pytest.mark.django_db
def test_the_form_is_not_offered_while_one_runs(person_client, person, massage):
    running = make_experiment(person, routine_a=massage, nights_ago=3)
    page = person_client.get(INDEX)
    assert page.context["form"] is None
    response = person_client.post(INDEX, start_form())
    assert response["Location"] == reverse("experiments:detail", args=[running.pk])
    assert Experiment.objects.count() == 1


@pytest.mark.django_db
def test_a_finished_experiment_makes_way_for_the_next(person, massage):
    done = make_experiment(person, routine_a=massage, pairs=7)
    assert done.state(selectors.today_of(person)) == Experiment.Status.FINISHED
    start(person, routine_a=massage, weeks=2)
    done.refresh_from_db()
    assert done.status == Experiment.Status.FINISHED
    assert person.experiments.filter(status="running").count() == 1


@pytest.mark.django_db
def test_tonight_is_what_the_schedule_drew(person, massage):
    experiment = make_experiment(person, routine_a=massage, nights_ago=5)
    tonight = selectors.tonight(person)
    assert tonight.condition == experiment.schedule.condition(selectors.today_of(person))
    assert tonight.number == 6
    assert tonight.routine == (massage if tonight.condition == "A" else None)


@pytest.mark.django_db
def test_play_tonight_on_a_night_without_routine_gives_that_instruction(client, massage):
    from tests.factories import make_screened_person

    person = make_screened_person()
    client.force_login(person)
    experiment = make_experiment(person, routine_a=massage, nights_ago=0)
    # Find a seed whose first night is a B night.
    experiment.seed = next(
        seed
        for seed in range(100)
        if Experiment(first_night=experiment.first_night, pairs=14, seed=seed).schedule.condition(
            experiment.first_night
        )
        == "B"
    )
    experiment.save()
    response = client.get(reverse("player:tonight"))
    assert response["Location"] == reverse("experiments:tonight")
    page = client.get(response["Location"]).content.decode()
    assert "Tonight: No routine: just go to sleep" in page
    home = client.get("/").content.decode()
    assert 'data-experiment-tonight="B"' in home
    assert "What to do tonight" in home


@pytest.mark.django_db
def test_the_nights_join_each_evening_to_its_practice_and_morning(person, massage):
    experiment = make_experiment(person, routine_a=massage, pairs=7)
    nights = experiment.schedule.nights()
    skipped = nights[3][0]  # no morning check-in
    against = nights[5][0]  # the other condition than drawn
    live_nights(
        experiment,
        answers=lambda index, condition: None if index == 3 else {"pain": index % 10},
        done=lambda night, assigned: (
            ("B" if assigned == "A" else "A") if night == against else assigned
        ),
    )
    rows = {row["night"]: row for row in selectors.experiment_nights(experiment)}
    assert len(rows) == 14
    assert rows[skipped.isoformat()]["pain"] is None
    assert rows[against.isoformat()]["done"] != rows[against.isoformat()]["assigned"]
    assert all(r["done"] == r["assigned"] for n, r in rows.items() if n != against.isoformat())
    assert rows[nights[4][0].isoformat()]["pain"] == 4


@pytest.mark.django_db
def test_a_practice_after_midnight_counts_for_the_evening_before(person, massage):
    from tests.factories import make_practice

    experiment = make_experiment(person, routine_a=massage, pairs=7)
    night = next(n for n, c in experiment.schedule.nights() if c == "B")
    after_midnight = dt.datetime.combine(
        night + dt.timedelta(days=1), dt.time(0, 40), tzinfo=person.zone
    )
    make_practice(
        person,
        routine=massage,
        started_at=after_midnight,
        ended_at=after_midnight + dt.timedelta(minutes=5),
    )
    rows = {row["night"]: row for row in selectors.experiment_nights(experiment)}
    assert rows[night.isoformat()]["done"] == "A"


@pytest.mark.django_db
def test_four_weeks_that_favour_the_massage_read_likely_helps(person_client, person, massage):
    experiment = make_experiment(person, routine_a=massage)
    live_nights(experiment, answers=helps_by_two_points())
    response = person_client.get(reverse("experiments:detail", args=[experiment.pk]))
    report = response.context["report"]
    assert report.state == "finished"
    assert report.primary["verdict"] == "likely_helps"
    assert 1.0 < report.primary["benefit"] < 3.0
    page = response.content.decode()
    assert "Likely helps: about" in page
    assert "never" not in report.primary["sentence"].lower() or "proven" not in page.lower()
    assert report.nights_chart.count("<circle") >= 28
    assert report.difference_chart is not None
    assert (report.nights_so_far, report.missing_mornings, report.followed) == (28, 0, 28)


@pytest.mark.django_db
def test_too_few_nights_give_no_verdict_and_say_how_many_more(person_client, person, massage):
    experiment = make_experiment(person, routine_a=massage, nights_ago=4)
    live_nights(experiment, answers=helps_by_two_points())
    url = reverse("experiments:detail", args=[experiment.pk])
    assert person_client.get(url).context["report"].nights_left == 24
    person_client.post(reverse("experiments:stop", args=[experiment.pk]))
    report = person_client.get(url).context["report"]
    assert report.primary["verdict"] == "too_few_nights"
    assert "more night" in report.primary["sentence"]


@pytest.mark.django_db
def test_stopping_early_keeps_the_nights_and_the_result_says_so(person_client, person, massage):
    experiment = make_experiment(person, routine_a=massage, nights_ago=18)
    live_nights(experiment, answers=helps_by_two_points())
    response = person_client.post(reverse("experiments:stop", args=[experiment.pk]))
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert experiment.status == "stopped"
    report = person_client.get(reverse("experiments:detail", args=[experiment.pk])).context[
        "report"
    ]
    assert report.nights_so_far == 18
    assert "Stopped early after 18 of 28 nights" in report.primary["sentence"]
    assert selectors.tonight(person) is None


@pytest.mark.django_db
def test_nights_against_the_schedule_also_get_a_result_as_done(person_client, person, massage):
    experiment = make_experiment(person, routine_a=massage)
    flip = random.Random(3)
    live_nights(
        experiment,
        answers=helps_by_two_points(),
        done=lambda night, assigned: (
            ("B" if assigned == "A" else "A") if flip.random() < 0.35 else assigned
        ),
    )
    response = person_client.get(reverse("experiments:detail", args=[experiment.pk]))
    report = response.context["report"]
    assert report.followed < 0.8 * report.nights_so_far
    assert report.as_done
    assert "fewer than 8 nights in 10" in response.content.decode()


@pytest.mark.django_db
def test_a_morning_edited_after_the_end_is_a_deviation_that_moves_nothing(
    person_client, person, massage
):
    experiment = make_experiment(person, routine_a=massage, nights_ago=30)
    live_nights(experiment, answers=helps_by_two_points())
    url = reverse("experiments:detail", args=[experiment.pk])
    before = person_client.get(url).context["report"]
    assert before.deviations == []
    for checkin in person.checkins.filter(kind="morning")[:6]:
        checkin_edit(checkin=checkin, values={"pain": 10})
    after = person_client.get(url).context["report"]
    assert [d["change"] for d in after.deviations] == ["changed"] * 6
    assert after.primary == before.primary
    assert after.with_deviations != before.primary["sentence"]
    assert "Entries made later" in person_client.get(url).content.decode()


@pytest.mark.django_db
def test_mornings_back_dated_through_the_api_after_the_end_cannot_pad_the_verdict(
    person_client, person, massage, tmp_path
):
    """The check from outside: a 14-night experiment ended with one morning; 13 mornings
    sent afterwards through the API, chosen by the draw (pain 1 after A, 8 after B), made it
    "Likely helps ... 7.0 points" with no warning, and reanalyse agreed."""
    experiment = make_experiment(person, routine_a=massage, pairs=7)
    live_nights(experiment, answers=lambda index, condition: {"pain": 5} if index == 0 else None)
    url = reverse("experiments:detail", args=[experiment.pk])
    at_the_end = person_client.get(url).context["report"].primary
    assert at_the_end["verdict"] == "too_few_nights"
    for night, condition in experiment.schedule.nights()[1:]:
        morning = dt.datetime.combine(night + dt.timedelta(days=1), dt.time(7, 30))
        sent = person_client.post(
            "/api/checkins/",
            json.dumps(
                {
                    "kind": "morning",
                    "recorded_at": morning.replace(tzinfo=person.zone).isoformat(),
                    "pain": 1 if condition == "A" else 8,
                }
            ),
            content_type="application/json",
        )
        assert sent.status_code == 201, sent.content
    report = person_client.get(url).context["report"]
    assert report.primary == at_the_end
    assert len(report.deviations) == 13
    assert {(d["entry"], d["change"]) for d in report.deviations} == {("morning check-in", "added")}
    assert report.with_deviations.startswith("Likely helps: about 6.3 points less pain")
    exported = person_client.get(reverse("experiments:export", args=[experiment.pk])).json()
    assert exported["analysis"]["pain"]["verdict"] == "too_few_nights"
    assert record.reanalysed(exported)[1] == []
    path = tmp_path / "experiment.json"
    path.write_text(json.dumps(exported))
    said = run("experiment", "reanalyse", str(path), data_dir=tmp_path)
    assert said.returncode == 0, said.stderr
    assert said.stdout.count("Deviation: night ") == 13
    assert "With the deviations: Likely helps" in said.stdout
    assert said.stdout.startswith("pain: Too few nights for a verdict")


@pytest.mark.django_db
def test_the_result_page_takes_the_same_queries_for_two_or_twelve_weeks(
    person_client, person, stranger, massage
):
    short = make_experiment(person, routine_a=massage, pairs=7, status="stopped")
    live_nights(short, answers=helps_by_two_points())
    with CaptureQueriesContext(connection) as few:
        person_client.get(reverse("experiments:detail", args=[short.pk]))
    long = make_experiment(stranger, routine_a=massage, pairs=42, status="stopped")
    live_nights(long, answers=helps_by_two_points())
    stranger_client = client_for(stranger)
    with CaptureQueriesContext(connection) as many:
        stranger_client.get(reverse("experiments:detail", args=[long.pk]))
    assert len(few) == len(many), [q["sql"][:90] for q in many.captured_queries]


@pytest.mark.django_db
def test_the_export_re_runs_to_the_same_numbers(person_client, person, massage):
    experiment = make_experiment(person, routine_a=massage)
    live_nights(experiment, answers=helps_by_two_points())
    response = person_client.get(reverse("experiments:export", args=[experiment.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["schedule"]["seed"] == experiment.seed
    assert len(data["nights"]) == 28
    fresh, differences = record.reanalysed(data)
    assert differences == []
    assert fresh["pain"]["verdict"] == "likely_helps"
    data["nights"][0]["pain"] = 10 if data["nights"][0]["pain"] != 10 else 0
    assert record.reanalysed(data)[1]


@pytest.mark.django_db
def test_the_calendar_feed_says_each_nights_assignment(person, massage):
    import icalendar

    from backcoach.reminders.models import CalendarFeed
    from backcoach.reminders.selectors import feed_calendar

    feed = CalendarFeed.objects.create(person=person, lead_minutes=30)
    experiment = make_experiment(person, routine_a=massage, nights_ago=0)
    calendar = icalendar.Calendar.from_ical(
        feed_calendar(feed.token, player_url="http://x/play/tonight/")
    )
    events = list(calendar.walk("VEVENT"))
    overrides = {
        event.decoded("recurrence-id").date(): str(event["summary"])
        for event in events
        if "recurrence-id" in event
    }
    assert len(overrides) == 28
    assert {event["uid"] for event in events} == {f"bedtime-{feed.pk}@backcoach"}
    for night, condition in experiment.schedule.nights():
        assert overrides[night].endswith(experiment.label(condition))
    tonight = overrides[experiment.first_night]
    assert tonight.startswith("Experiment: night 1 of 28: ")


@pytest.mark.django_db
def test_a_running_experiment_shows_its_nights_but_no_result_until_the_end(
    person_client, person, massage
):
    """A look every night and a stop at the first "helps" would make a chance result
    look real: while it runs, the page, the export and the clinician's report hold no
    verdict, no number comparing A with B and no answer beside its condition."""
    experiment = make_experiment(person, routine_a=massage, nights_ago=20)
    live_nights(experiment, answers=helps_by_two_points())
    url = reverse("experiments:detail", args=[experiment.pk])
    response = person_client.get(url)
    report, page = response.context["report"], response.content.decode()
    assert report.withheld and report.nights_so_far == 20 and report.nights_left == 8
    for key, result in report.document["analysis"].items():
        assert result["verdict"] == "withheld_until_the_end", key
        assert result["estimate"] is None and result["p_helpful"] is None
    assert "The result comes at the end" in page
    assert "checked in" in page and "Chance that A" not in page
    for hidden in ("Likely helps", "95 % interval", "Night by night", "The other morning"):
        assert hidden not in page
    assert report.nights_chart is None and report.difference_chart is None
    exported = person_client.get(reverse("experiments:export", args=[experiment.pk])).json()
    assert {r["verdict"] for r in exported["analysis"].values()} == {"withheld_until_the_end"}


@pytest.mark.django_db
def test_at_the_end_the_main_measure_is_judged_and_the_others_described(
    person_client, person, massage
):
    experiment = make_experiment(person, routine_a=massage)
    live_nights(experiment, answers=helps_by_two_points())
    ended = person_client.get(reverse("experiments:detail", args=[experiment.pk]))
    report, page = ended.context["report"], ended.content.decode()
    assert report.primary["verdict"] == "likely_helps"
    assert report.chance_better in ("more than 99 %", *(f"{n} %" for n in range(1, 100)))
    assert "100 %" not in page and " 0 %" not in page
    assert "1 points" not in page
    assert len(report.secondary) == 2
    for label, result in report.secondary:
        assert result["verdict"] in ("described_not_judged", "too_few_nights"), label
        assert result["p_helpful"] is None


@pytest.mark.django_db
def test_starting_again_after_seeing_the_draw_keeps_every_draw_it_replaced(
    person_client, person, massage
):
    """Start, read tonight's draw, stop, start again: six tries in a second used to leave
    only the last. Each stopped start's draws are now in the next one's record, page and
    export, and its verdict says it was started again."""
    tonight = selectors.today_of(person)
    seen = []
    for _ in range(6):
        tried = start(person, routine_a=massage)
        seen.append(tried.schedule.condition(tonight))
        services.experiment_stop(experiment=tried)
    kept = start(person, routine_a=massage)
    assert [s["drawn"] for s in kept.earlier_starts] == [
        [{"night": tonight.isoformat(), "condition": c, "label": kept.label(c)}] for c in seen
    ]
    url = reverse("experiments:detail", args=[kept.pk])
    page = person_client.get(url).content.decode()
    assert "Started again" in page and "6 others were started and stopped" in page
    exported = person_client.get(reverse("experiments:export", args=[kept.pk])).json()
    assert len(exported["protocol"]["earlier_starts"]) == 6
    assert record.reanalysed(exported)[1] == []
    # At the end, the verdict says so.
    kept.first_night -= dt.timedelta(days=28)
    kept.save()
    ended = person_client.get(url).context["report"]
    assert "It was started again after 6 stopped starts" in ended.primary["sentence"]


@pytest.mark.django_db
def test_a_start_stopped_more_than_two_weeks_before_is_not_listed(person, massage):
    old = services.experiment_stop(experiment=start(person, routine_a=massage))
    Experiment.objects.filter(pk=old.pk).update(
        stopped_at=old.stopped_at - selectors.RESTART_WINDOW - dt.timedelta(minutes=1)
    )
    assert start(person, routine_a=massage).earlier_starts == []


@pytest.mark.django_db
def test_the_smallest_changes_that_matter_link_their_sources(person_client, massage):
    page = person_client.get(INDEX).content.decode()
    for doi in ("10.1016/j.ejpain.2003.09.004", "10.1016/j.jpain.2007.09.005", "10.5664/jcsm.8988"):
        assert f'href="https://doi.org/{doi}"' in page
