"""A person's own routines: the builder's result started, saved, changed, made tonight's,
removed; private to its person; untouched by loading the library."""

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from backcoach.library import content, services
from backcoach.library.models import Routine, Technique
from backcoach.player import selectors as player
from backcoach.player.models import Practice
from backcoach.safety.services import screen_record
from tests.factories import client_for, make_person

pytestmark = pytest.mark.django_db

BUILD = {"minutes": "10", "in_bed": "on", "pain": "3"}
STANDING = {"minutes": "10", "pain": "3"}  # not in bed


def use_url(answers: dict) -> str:
    return reverse("library:build_use") + "?" + "&".join(f"{k}={v}" for k, v in answers.items())


@pytest.fixture
def person(library):
    person = make_person(email="nia@example.org")
    screen_record(person=person, answers={}, reason="signup")
    return person


@pytest.fixture
def client(person):
    return client_for(person)


def built_steps(client, answers=BUILD) -> list[tuple[str, int, str]]:
    page = client.get(reverse("library:build"), answers)
    return [(step.technique, step.duration, step.side) for step, _ in page.context["steps"]]


def steps_of(routine: Routine) -> list[tuple[str, int, str]]:
    return [(s.technique.slug, s.duration, s.side) for s in routine.steps.all()]


def test_start_plays_the_built_routine_as_the_persons_own_and_again_reuses_it(client, person):
    wanted = built_steps(client)
    response = client.post(use_url(BUILD), {"action": "start"})
    routine = person.own_routines.get()
    assert response.status_code == 302
    assert response.url == reverse("player:play", args=[routine.slug])
    assert routine.slug.startswith("mine-")
    assert (routine.purpose, routine.saved) == ("bedtime", False)
    assert steps_of(routine) == wanted
    # Its last step is the massage, as the builder planned it in bed.
    assert routine.steps.last().technique.kind == "massage"
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["script"]["routine"] == routine.slug
    # Not saved: not in My routines, and the same plan started again is the same routine.
    assert routine.name not in client.get(reverse("library:index")).content.decode()
    client.post(use_url(BUILD), {"action": "start"})
    assert person.own_routines.count() == 1


def test_save_keeps_it_in_my_routines_under_its_name(client, person):
    client.post(use_url(BUILD), {"action": "start"})
    response = client.post(use_url(BUILD), {"action": "save", "name": "  Sunday night  "})
    routine = person.own_routines.get()  # the routine started becomes the saved one
    assert response.status_code == 302
    assert response.url == routine.get_absolute_url()
    assert (routine.name, routine.saved) == ("Sunday night", True)
    index = client.get(reverse("library:index")).content.decode()
    assert "My routines" in index and "Sunday night" in index
    page = client.get(routine.get_absolute_url()).content.decode()
    assert "Only you see it" in page


def test_a_saved_routine_without_a_name_is_named_by_its_length(client, person):
    client.post(use_url(BUILD), {"action": "save", "name": ""})
    assert person.own_routines.get().name == "My 10-minute bedtime routine"


@pytest.mark.parametrize(
    "form, error",
    [
        ({"action": "save", "name": "Sunday night"}, "already have a routine called"),
        ({"action": "save", "name": "SUNDAY NIGHT"}, "already have a routine called"),
        ({"action": "save", "name": "x" * 81}, "at most 80"),
        ({"action": "save", "name": "bad\x00name"}, "character"),
        ({"action": "dance"}, "Select a valid choice"),
        ({}, "This field is required"),
    ],
)
def test_a_bad_save_is_refused_and_changes_nothing(client, person, form, error):
    client.post(use_url(BUILD), {"action": "save", "name": "Sunday night"})
    before = list(Routine.objects.values_list("pk", "name", "saved"))
    response = client.post(use_url(BUILD), form)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert list(Routine.objects.values_list("pk", "name", "saved")) == before


def test_bad_builder_answers_change_nothing(client, person):
    for answers in ({"minutes": "999", "pain": "3"}, {"minutes": "ten"}, {}):
        response = client.post(use_url(answers), {"action": "start"})
        assert response.status_code in (302, 400)
        assert not response.url.startswith("/play/") if response.status_code == 302 else True
    # Limits that nothing fits: the reason, and no routine.
    none_fit = {"minutes": "30", "in_bed": "on", "pain": "9", "avoid_positions": "lying-on-back"}
    response = client.post(use_url(none_fit), {"action": "start"})
    assert response.status_code == 400
    assert "Nothing fits yet" in response.content.decode()
    assert not person.own_routines.exists()


def test_make_this_my_bedtime_routine_is_what_start_tonight_plays(client, person):
    response = client.post(use_url(BUILD), {"action": "bedtime", "name": "Mine"})
    routine = person.own_routines.get()
    assert response.url == reverse("home")
    person.refresh_from_db()
    assert person.bedtime_routine == routine and routine.saved
    home = client.get(reverse("home")).content.decode()
    assert f'href="/play/{routine.slug}/" data-tonight>Start tonight' in home
    default = player.default_routine()
    assert f'href="/play/{default.slug}/">start {default.name}</a>' in home  # one tap away
    assert client.get(reverse("player:tonight")).url == reverse("player:play", args=[routine.slug])

    # Back to the default, from the routine's own page.
    client.post(reverse("library:bedtime", args=[routine.slug]))
    person.refresh_from_db()
    assert person.bedtime_routine is None
    assert player.tonight(person).routine == default


def test_a_routine_for_the_day_cannot_be_the_bedtime_routine(client, person):
    response = client.post(use_url(STANDING), {"action": "bedtime"})
    assert response.status_code == 400
    assert "built for bed" in response.content.decode()
    person.refresh_from_db()
    assert person.bedtime_routine is None and not person.own_routines.exists()
    page = client.get(reverse("library:build"), STANDING).content.decode()
    assert "Make this my bedtime routine" not in page
    assert (
        "Make this my bedtime routine"
        in client.get(reverse("library:build"), BUILD).content.decode()
    )


def edit_data(routine, rows, name="Changed"):
    """The edit form's fields: rows of (seconds, place, leave out) in the routine's order."""
    data = {
        "name": name,
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": str(len(rows)),
    }
    for index, (seconds, place, leave_out) in enumerate(rows):
        data[f"steps-{index}-duration"] = str(seconds)
        data[f"steps-{index}-ORDER"] = str(place)
        if leave_out:
            data[f"steps-{index}-DELETE"] = "on"
    return data


@pytest.fixture
def saved(client, person):
    client.post(use_url(BUILD), {"action": "save", "name": "Sunday night"})
    routine = person.own_routines.get()
    assert routine.steps.count() >= 2
    return routine


def test_its_steps_can_be_reordered_re_timed_and_left_out(client, saved):
    steps = list(saved.steps.select_related("technique"))
    first, second = steps[0], steps[1]
    rows = [(s.duration, n, False) for n, s in enumerate(steps, 1)]
    rows[0] = (first.technique.min_duration, 2, False)  # shortest, and second
    rows[1] = (second.duration, 1, False)  # first
    rows[-1] = (*rows[-1][:2], True) if len(rows) > 2 else rows[-1]
    page = client.get(reverse("library:routine_edit", args=[saved.slug]))
    assert page.status_code == 200
    response = client.post(
        reverse("library:routine_edit", args=[saved.slug]), edit_data(saved, rows, "Short one")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved.refresh_from_db()
    now = steps_of(saved)
    assert saved.name == "Short one"
    assert now[0] == (second.technique.slug, second.duration, second.side)
    assert now[1] == (first.technique.slug, first.technique.min_duration, first.side)
    assert len(now) == (len(steps) - 1 if len(steps) > 2 else len(steps))
    # The player spreads the cues over the new length.
    page = client.get(reverse("player:play", args=[saved.slug]))
    assert page.context["script"]["steps"][1]["duration"] == first.technique.min_duration


@pytest.mark.parametrize(
    "change, error",
    [
        (
            lambda rows, steps: [(steps[0].technique.max_duration + 1, 1, False), *rows[1:]],
            "less than or equal",
        ),
        (
            lambda rows, steps: [(steps[0].technique.min_duration - 1, 1, False), *rows[1:]],
            "greater than or equal",
        ),
        (lambda rows, steps: [("ten", 1, False), *rows[1:]], "Enter a whole number"),
        (lambda rows, steps: [("9" * 30, 1, False), *rows[1:]], "less than or equal"),
        (lambda rows, steps: [(r[0], r[1], True) for r in rows], "Keep at least one step"),
        (lambda rows, steps: [*rows, (60, 9, False)], "changed since this page"),
        (lambda rows, steps: rows[:1], "changed since this page"),
    ],
)
def test_a_bad_change_is_refused_and_changes_nothing(client, saved, change, error):
    steps = list(saved.steps.select_related("technique"))
    rows = [(s.duration, n, False) for n, s in enumerate(steps, 1)]
    before = steps_of(saved)
    response = client.post(
        reverse("library:routine_edit", args=[saved.slug]), edit_data(saved, change(rows, steps))
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    saved.refresh_from_db()
    assert (saved.name, steps_of(saved)) == ("Sunday night", before)


def test_a_name_taken_by_another_of_ones_routines_is_refused(client, person, saved):
    client.post(use_url({**BUILD, "minutes": "6"}), {"action": "save", "name": "Other"})
    steps = list(saved.steps.all())
    rows = [(s.duration, n, False) for n, s in enumerate(steps, 1)]
    response = client.post(
        reverse("library:routine_edit", args=[saved.slug]), edit_data(saved, rows, "other")
    )
    assert response.status_code == 400
    assert "already have a routine called" in response.content.decode()


def test_removing_it_hides_it_keeps_its_practices_and_tonight_goes_back_to_the_default(
    client, person, saved
):
    client.post(reverse("library:bedtime", args=[saved.slug]))
    person.refresh_from_db()
    assert person.bedtime_routine == saved
    response = client.post(reverse("library:routine_remove", args=[saved.slug]))
    assert response.url == reverse("library:index")
    saved.refresh_from_db()
    person.refresh_from_db()
    assert not saved.is_active and person.bedtime_routine is None
    assert client.get(saved.get_absolute_url()).status_code == 404
    assert client.get(reverse("player:play", args=[saved.slug])).status_code == 404
    assert player.tonight(person).routine == player.default_routine()


def test_another_persons_routine_is_not_found_anywhere(saved):
    stranger = client_for(make_person(email="sam@example.org"))
    for name in ("library:routine", "library:routine_edit", "player:play"):
        assert stranger.get(reverse(name, args=[saved.slug])).status_code in (404, 302)
    for name in ("library:routine_edit", "library:routine_remove", "library:bedtime"):
        assert stranger.post(reverse(name, args=[saved.slug]), {"name": "x"}).status_code == 404
    assert "Sunday night" not in stranger.get(reverse("library:index")).content.decode()
    saved.refresh_from_db()
    assert saved.is_active and saved.name == "Sunday night"


def test_a_stranger_cannot_choose_it_through_the_service_either(saved):
    stranger = make_person(email="sam@example.org")
    with pytest.raises(services.RoutineRefused):
        services.bedtime_routine_choose(person=stranger, routine=saved)
    with pytest.raises(services.RoutineRefused):
        services.own_routine_remove(person=stranger, routine=saved)


def test_loading_the_library_leaves_peoples_routines_alone(person, saved):
    assert services.library_status(content.load_library()) == (
        "The database matches the content files."
    )
    result = services.library_load(library=content.load_library(), force=True)
    assert not result.changed
    saved.refresh_from_db()
    assert saved.is_active and saved.owner == person


def test_a_content_file_may_not_take_a_slug_kept_for_peoples_routines(content_dir):
    path = next((content_dir / "routines").glob("*.yaml"))
    text = path.read_text()
    slug = next(line for line in text.splitlines() if line.startswith("slug:"))
    path.write_text(text.replace(slug, "slug: mine-abc"))
    with pytest.raises(content.ContentError, match="kept for people's own routines"):
        content.load_library(content_dir)


def test_a_practice_of_it_is_recorded_for_its_person_and_refused_for_anyone_else(
    client, person, saved
):
    step = saved.steps.select_related("technique").first()
    ended = timezone.now() - dt.timedelta(minutes=1)

    def body():
        return json.dumps(
            {
                "id": str(uuid.uuid4()),
                "routine": saved.slug,
                "started_at": (ended - dt.timedelta(seconds=step.duration + 10)).isoformat(),
                "ended_at": ended.isoformat(),
                "status": "completed",
                "steps": [
                    {
                        "technique": step.technique.slug,
                        "side": step.side,
                        "planned_seconds": step.duration,
                        "done_seconds": step.duration,
                    }
                ],
            }
        )

    url = reverse("api:record_practice")
    response = client.post(url, body(), content_type="application/json")
    assert response.status_code == 201, response.content
    assert person.practices.get().routine == saved
    stranger = client_for(make_person(email="sam@example.org"))
    response = stranger.post(url, body(), content_type="application/json")
    assert response.status_code == 400
    assert "no routine called" in response.content.decode()
    assert Practice.objects.count() == 1


def test_only_its_own_steps_can_be_kept(person, saved):
    other = Technique.objects.exclude(pk__in=saved.steps.values("technique")).first()
    with pytest.raises(services.RoutineRefused, match="own steps"):
        services.own_routine_update(
            person=person,
            routine=saved,
            name="Sunday night",
            steps=[services.OwnStep(other.slug, other.default_duration, "both")],
        )


def test_the_default_routine_page_says_it_is_tonights_until_another_is_chosen(client, person):
    default = player.default_routine()
    page = client.get(default.get_absolute_url()).content.decode()
    assert "This is your bedtime routine" in page
    assert "Make this my bedtime routine" not in page
    client.post(use_url(BUILD), {"action": "bedtime", "name": "Mine"})
    page = client.get(default.get_absolute_url()).content.decode()
    assert "Make this my bedtime routine" in page


def test_a_second_routine_saved_without_a_name_gets_a_number(client, person):
    client.post(use_url(BUILD), {"action": "save"})
    client.post(use_url({**BUILD, "focus": "hips"}), {"action": "save"})
    names = sorted(person.own_routines.values_list("name", flat=True))
    assert names == ["My 10-minute bedtime routine", "My 10-minute bedtime routine 2"]
