"""One safety gate, every way to play: each routine of the shipped library, in each safety
state, through the web player, tonight's routine, the audio-track request and the terminal
player. What is expected is worked out here from the library's own files (a routine is
gentle when all its techniques are), not from the code under test."""

import pytest
from django.core.management import CommandError, call_command

from backcoach.library import content
from backcoach.library import services as library_services
from backcoach.player.management.commands import play
from backcoach.safety.content import red_flag_groups
from backcoach.safety.services import flare_up_record, screen_confirm_assessed, screen_record
from tests.clients import Browser
from tests.factories import make_person

SOON_FLAGS = [
    flag.key for group in red_flag_groups() if group.level == "soon" for flag in group.flags
]
URGENT_FLAG = next(group.flags[0].key for group in red_flag_groups() if group.level == "urgent")
# Each state: whether routines stop altogether, and whether only gentle ones play.
STATES = {
    "no warning signs": ("plays", False),
    **{f"see a clinician soon ({key})": ("plays", True) for key in SOON_FLAGS},
    "urgent signs, assessed since": ("plays", True),
    "a flare-up": ("plays", True),
    "urgent signs, not assessed": ("stops", True),
    "no safety check yet": ("stops", False),
}


def put_in(person, state: str) -> None:
    if state.startswith("see a clinician soon"):
        screen_record(person=person, answers={state.split("(")[1].rstrip(")"): True})
    elif state == "urgent signs, assessed since":
        screen_confirm_assessed(screen=screen_record(person=person, answers={URGENT_FLAG: True}))
    elif state == "urgent signs, not assessed":
        screen_record(person=person, answers={URGENT_FLAG: True})
    elif state == "a flare-up":
        screen_record(person=person, answers={})
        flare_up_record(person=person, pain=8)
    elif state == "no warning signs":
        screen_record(person=person, answers={})


class Played(Exception):
    """The terminal player got past every check and began the routine."""


def gentle_routines(library) -> dict[str, bool]:
    intensity = {technique.slug: technique.intensity for technique in library.techniques}
    return {
        routine.slug: all(intensity[step.technique] == "gentle" for step in routine.steps)
        for routine in library.routines
    }


def csrf_client(person) -> Browser:
    client = Browser()
    client.force_login(person)
    client.get("/library/")  # the page sets the CSRF cookie, as a browser's visit would
    return client


def ways_to_play(person, client, slug) -> dict[str, bool]:
    """Whether the routine plays, by each way in."""
    page = client.get(f"/play/{slug}/")
    track = client.post(f"/play/{slug}/track/", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert track.status_code in (200, 202, 403), track.content
    try:
        call_command("play", slug, "--person", person.email, "--no-speak", "--no-ratings")
        terminal = False  # returned without playing: cannot happen, Played is raised
    except Played:
        terminal = True
    except CommandError:
        terminal = False
    return {
        "web": page.status_code == 200 and b'id="player"' in page.content,
        "track": track.status_code in (200, 202),
        "terminal": terminal,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(STATES))
def test_what_plays_in_each_safety_state_by_every_way_in(state, voice, monkeypatch):
    library = content.load_library()
    library_services.library_load(library=library)
    gentle = gentle_routines(library)
    assert any(gentle.values()) and not all(gentle.values())  # the test can tell them apart
    person = make_person()
    put_in(person, state)
    stops, gentle_only = STATES[state]

    def began(self):
        raise Played

    monkeypatch.setattr(play.Command, "run_routine", began)
    client = csrf_client(person)
    for slug, is_gentle in gentle.items():
        expected = stops == "plays" and (is_gentle or not gentle_only)
        assert ways_to_play(person, client, slug) == dict.fromkeys(
            ("web", "track", "terminal"), expected
        ), slug
        if stops == "plays" and not expected:
            page = client.get(f"/play/{slug}/").content.decode()
            assert "is not for you right now" in page
            assert "only gentle routines" in page
            assert "/play/flare-up-gentle/" in page  # the gentle one, offered

    # Tonight's routine is one that plays, or the safety page when none may.
    tonight = client.get("/play/tonight/")
    assert tonight.status_code == 302
    if stops == "stops":
        assert tonight["Location"].startswith("/safety/")
    else:
        slug = tonight["Location"].removeprefix("/play/").strip("/")
        assert gentle[slug] or not gentle_only
        assert ways_to_play(person, client, slug) == dict.fromkeys(
            ("web", "track", "terminal"), True
        )
