"""What the players say and when: unit cases and Hypothesis properties over plain stand-ins."""

from itertools import pairwise
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.library import content, cue_timing
from backcoach.library.vocabulary import PURPOSES
from backcoach.player import playback

CAUTIONS = [
    {"key": "osteoporosis", "say": "Roll slowly, no bouncing."},
    {"key": "pregnancy", "say": "Stay off your front."},
]


def technique(*, name="Knee to chest", cues=None, cautions=(), default_duration=60):
    return SimpleNamespace(
        slug=name.lower().replace(" ", "-"),
        name=name,
        summary=f"{name}, gently.",
        default_duration=default_duration,
        cues=cues if cues is not None else [{"at": 0, "say": "Lie on your back."}],
        cautions=list(cautions),
    )


def step(technique, *, side="both", duration=60):
    return SimpleNamespace(technique=technique, side=side, duration=duration)


ROUTINE = SimpleNamespace(slug="wind-down", name="Wind down", purpose="anytime")
BEDTIME_ROUTINE = SimpleNamespace(slug="lights-out", name="Lights out", purpose="bedtime")


def cues_of(*, duration=60, default=None, side="both", cues=None, cautions=()):
    """The spoken cues of one step, through step_cues; written for `default` seconds (the
    step's own length unless given)."""
    return playback.step_cues(
        name="Knee to chest",
        side=side,
        duration=duration,
        default_duration=default or duration,
        cues=cues if cues is not None else [{"at": 0, "say": "Lie on your back."}],
        cautions=list(cautions),
    )


def times(cues) -> list[int]:
    return [cue["at"] for cue in cues]


def test_the_first_cue_names_the_step_and_the_side():
    assert cues_of(side="left")[0] == {
        "at": 0,
        "say": "Knee to chest. Left side. Lie on your back.",
    }
    assert cues_of(side="right")[0]["say"] == "Knee to chest. Right side. Lie on your back."
    assert cues_of(side="both")[0]["say"] == "Knee to chest. Lie on your back."


def test_only_the_first_cue_names_the_step():
    cues = cues_of(cues=[{"at": 0, "say": "Lie down."}, {"at": 20, "say": "Breathe out."}])
    assert [cue["say"] for cue in cues] == ["Knee to chest. Lie down.", "Breathe out."]


def test_a_step_left_without_cues_still_names_itself_at_the_start():
    cues = cues_of(duration=30, side="right", cues=[])
    assert times(cues) == [0]
    assert cues[0]["say"].startswith("Knee to chest. Right side.")


def test_cues_come_in_time_order_with_the_caution_and_half_way_in_between():
    cues = cues_of(
        duration=120,
        cues=[{"at": 0, "say": "Lie down."}, {"at": 30, "say": "Hug the knee."}],
        cautions=CAUTIONS[:1],
    )
    assert times(cues) == [0, 5, 30, 60]
    assert cues[1] == {"at": 5, "say": "Take care: Roll slowly, no bouncing.", "caution": True}
    assert cues[3]["say"] == "Half-way."


def test_a_caution_takes_its_own_moment_and_the_cues_after_it_make_room():
    cues = cues_of(
        duration=60,
        cues=[{"at": 0, "say": "Lie down."}, {"at": 5, "say": "Breathe out."}],
        cautions=CAUTIONS[:1],
    )
    assert times(cues) == [0, 5, 10]
    assert [cue["say"] for cue in cues[1:]] == [
        "Take care: Roll slowly, no bouncing.",
        "Breathe out.",
    ]


def test_several_cautions_are_spoken_together_in_their_order():
    cues = cues_of(cautions=CAUTIONS)
    assert cues[1]["say"] == "Take care: Roll slowly, no bouncing. Stay off your front."


def test_a_caution_comes_within_the_first_seconds_even_of_a_short_step():
    for duration in (60, 20, 10):
        caution = [cue for cue in cues_of(duration=duration, cautions=CAUTIONS) if cue["at"]]
        assert times(caution) == [playback.CAUTION_AT], duration
        assert caution[0]["caution"] is True


def test_a_step_with_no_room_for_a_caution_says_it_with_its_first_cue():
    for duration in (9, 4, 1):
        [cue] = cues_of(duration=duration, cautions=CAUTIONS[:1])
        assert cue == {
            "at": 0,
            "say": "Knee to chest. Lie on your back. Take care: Roll slowly, no bouncing.",
            "caution": True,
        }, duration
    full = [{"at": at, "say": f"At {at}."} for at in (0, 5, 10, 15, 20, 25)]
    cues = cues_of(duration=30, cues=full, cautions=CAUTIONS[:1])
    assert times(cues) == [0, 5, 10, 15, 20, 25]
    assert cues[0]["say"].endswith("At 0. Take care: Roll slowly, no bouncing.")


MASSAGE_CUES = [
    {"at": 0, "say": "Lie down."},
    {"at": 25, "say": "Hands under the back."},
    {"at": 150, "say": "Half way through the circles."},
    {"at": 275, "say": "Rest."},
]


def test_a_longer_step_spreads_its_cues_in_proportion():
    assert times(cues_of(duration=600, default=300, cues=MASSAGE_CUES)) == [0, 50, 300, 550]


def test_a_shorter_step_draws_its_cues_in_and_keeps_the_last_before_the_end():
    assert times(cues_of(duration=120, default=300, cues=MASSAGE_CUES)) == [0, 10, 60, 110]
    # Scaled, the last two would be 5 s and 7 s from the end: moved in, 5 s apart.
    cues = [{"at": 0, "say": "A."}, {"at": 50, "say": "B."}, {"at": 55, "say": "C."}]
    assert times(cues_of(duration=24, default=60, cues=cues)) == [0, 14, 19]


def test_cues_past_the_end_of_the_step_are_moved_into_it_not_dropped():
    cues = cues_of(
        duration=30,
        cues=[
            {"at": 0, "say": "Lie down."},
            {"at": 29, "say": "Last breath."},
            {"at": 30, "say": "Too late."},
            {"at": 45, "say": "Far too late."},
        ],
    )
    assert times(cues) == [0, 15, 20, 25]
    assert [cue["say"] for cue in cues[1:]] == ["Last breath.", "Too late.", "Far too late."]


def test_a_step_too_short_for_its_cues_joins_the_closest_ones():
    cues = [{"at": 0, "say": "A."}, {"at": 3, "say": "B."}, {"at": 20, "say": "C."}]
    assert cues_of(duration=12, default=30, cues=cues) == [
        {"at": 0, "say": "Knee to chest. A. B."},
        {"at": 7, "say": "C."},
    ]


def test_a_long_step_gets_a_half_way_cue():
    assert cues_of(duration=90)[-1] == {"at": 45, "say": "Half-way."}
    assert cues_of(duration=301)[-1] == {"at": 150, "say": "Half-way."}


def test_a_step_shorter_than_a_minute_and_a_half_gets_none():
    assert times(cues_of(duration=89)) == [0]


def test_no_half_way_cue_when_the_step_has_a_cue_near_the_middle():
    def with_cue_at(at):
        return cues_of(duration=120, cues=[{"at": 0, "say": "Lie down."}, {"at": at, "say": "."}])

    assert times(with_cue_at(45)) == [0, 45]  # 15 s from the middle is near
    assert times(with_cue_at(75)) == [0, 75]
    assert times(with_cue_at(44)) == [0, 44, 60]
    assert times(with_cue_at(76)) == [0, 60, 76]


def test_cautions_are_spoken_only_for_the_persons_conditions():
    steps = [step(technique(cautions=CAUTIONS))]

    def said(conditions):
        script = playback.routine_script(routine=ROUTINE, steps=steps, conditions=conditions)
        return " ".join(cue["say"] for cue in script["steps"][0]["cues"])

    assert "Take care" not in said(frozenset())
    assert "Take care" not in said(frozenset({"knee-problem"}))
    osteoporosis = said(frozenset({"osteoporosis", "knee-problem"}))
    assert "Roll slowly, no bouncing." in osteoporosis
    assert "Stay off your front." not in osteoporosis
    assert "Stay off your front." in said(frozenset({"pregnancy"}))


def test_the_script_carries_each_step_with_its_own_cues():
    roll = technique(name="Pelvic tilt", cues=[{"at": 0, "say": "Flatten your back."}])
    steps = [step(technique(), side="left", duration=45), step(roll, duration=120)]
    script = playback.routine_script(routine=ROUTINE, steps=steps)
    assert [
        (s["technique"], s["name"], s["summary"], s["side"], s["duration"]) for s in script["steps"]
    ] == [
        ("knee-to-chest", "Knee to chest", "Knee to chest, gently.", "left", 45),
        ("pelvic-tilt", "Pelvic tilt", "Pelvic tilt, gently.", "both", 120),
    ]
    assert script["steps"][0]["cues"] == [
        {"at": 0, "say": "Knee to chest. Left side. Lie on your back."}
    ]
    assert times(script["steps"][1]["cues"]) == [0, 60]


def test_the_script_leads_in_with_the_first_step_and_closes_the_routine():
    steps = [step(technique()), step(technique(name="Pelvic tilt"))]
    script = playback.routine_script(routine=ROUTINE, steps=steps)
    assert script["routine"] == "wind-down"
    assert script["routineName"] == "Wind down"
    assert script["leadIn"] == playback.LEAD_IN_SECONDS
    assert script["leadInCue"] == (
        f"Get ready. First: Knee to chest. We start in {playback.LEAD_IN_SECONDS} seconds."
    )
    assert script["endCue"].startswith("That is the end of the routine.")
    assert script["bedtime"] is False


def test_a_script_without_a_saved_routine_or_steps_still_reads_well():
    script = playback.routine_script(routine=None, steps=[])
    assert script["routine"] is None
    assert script["routineName"] == "Tonight's routine"
    assert "First: the routine." in script["leadInCue"]
    assert script["steps"] == []
    assert script["endCue"] == playback.END_CUE


def test_a_bedtime_script_says_it_ends_in_quiet_after_its_last_cue():
    rest = technique(name="Rest", cues=[{"at": 0, "say": "Rest."}, {"at": 50, "say": "Sleep."}])
    script = playback.routine_script(routine=BEDTIME_ROUTINE, steps=[step(technique()), step(rest)])
    assert (script["bedtime"], script["endCue"]) == (True, "")
    assert script["steps"][-1]["cues"][-1] == {"at": 50, "say": "Sleep."}


def test_every_other_purpose_closes_with_words_and_none_of_them_says_sleep_well():
    for purpose in set(PURPOSES) - {playback.BEDTIME}:
        routine = SimpleNamespace(slug="any", name="Any", purpose=purpose)
        script = playback.routine_script(routine=routine, steps=[step(technique())])
        assert script["bedtime"] is False, purpose
        assert script["endCue"].startswith("That is the end of the routine. Well done"), purpose
        assert "sleep" not in script["endCue"].lower(), purpose


def test_a_desk_break_and_a_morning_routine_close_with_words_for_what_comes_next():
    closing = {
        purpose: playback.routine_script(
            routine=SimpleNamespace(slug="any", name="Any", purpose=purpose),
            steps=[step(technique())],
        )["endCue"]
        for purpose in ("desk", "morning", "anytime")
    }
    assert "Sit back down" in closing["desk"]
    assert "day" in closing["morning"]
    assert closing["anytime"] == playback.END_CUE
    assert len(set(closing.values())) == 3


def assert_timed_to_fit(cues: list[dict], duration: int) -> None:
    """The timing rules: from 0 s, in order, CUE_GAP apart, the last END_CLEARANCE
    before the end (a step shorter than that has its one cue at 0 s)."""
    moments = times(cues)
    assert moments[0] == 0, moments
    gaps = [later - earlier for earlier, later in pairwise(moments)]
    assert all(gap >= cue_timing.CUE_GAP for gap in gaps), moments
    assert moments[-1] == 0 or moments[-1] <= duration - cue_timing.END_CLEARANCE, moments
    assert moments[-1] < duration or duration == 0, moments


def assert_said_in_order(cues: list[dict], texts: list[str]) -> None:
    said = " ".join(cue["say"] for cue in cues)
    position = 0
    for text in texts:
        found = said.find(text, position)
        assert found >= position, (text, said)
        position = found + len(text)


LIBRARY = content.load_library()


@pytest.mark.parametrize("technique", LIBRARY.techniques, ids=lambda t: t.slug)
def test_every_technique_fits_its_cues_into_every_length_it_allows(technique):
    """Each whole second from the shortest to the longest, with and without a caution:
    every cue of the technique is its own cue, in order, by the timing rules."""
    written = [{"at": cue.at, "say": cue.say} for cue in technique.cues]
    caution = [{"key": "osteoporosis", "say": "Roll slowly, no bouncing."}]
    for duration in range(technique.min_duration, technique.max_duration + 1):
        for cautions in ([], caution):
            cues = playback.step_cues(
                name=technique.name,
                side="left",
                duration=duration,
                default_duration=technique.default_duration,
                cues=written,
                cautions=cautions,
            )
            assert_timed_to_fit(cues, duration)
            own = [cue for cue in cues if cue["say"] != "Half-way."]
            if cautions and not own[0].get("caution"):
                assert own.pop(1)["say"] == "Take care: Roll slowly, no bouncing."
            assert len(own) == len(written), (duration, cues)
            assert all(
                cue["say"].endswith(w["say"]) for cue, w in zip(own[1:], written[1:], strict=True)
            )
            assert own[0]["say"].startswith(f"{technique.name}. Left side. {written[0]['say']}")


def test_at_its_default_length_a_technique_keeps_the_moments_its_file_gives():
    for technique in LIBRARY.techniques:
        cues = playback.step_cues(
            name=technique.name,
            side="both",
            duration=technique.default_duration,
            default_duration=technique.default_duration,
            cues=[{"at": cue.at, "say": cue.say} for cue in technique.cues],
            cautions=[],
        )
        written = [cue.at for cue in technique.cues]
        assert [at for at in times(cues) if at in written] == written, technique.slug


# Made-up techniques as the content files allow them: cues in time order from 0 s, one
# per moment, before the longest duration, and as many as the shortest one holds.
keys = st.sampled_from(["osteoporosis", "pregnancy", "knee-problem", "wrist-problem"])


@st.composite
def steps_with_cues(draw, *, fitting=True):
    minimum = draw(st.integers(10, 600))
    default = draw(st.integers(minimum, 900))
    maximum = draw(st.integers(default, 1800))
    room = cue_timing.cue_capacity(minimum) if fitting else 12
    later = draw(st.sets(st.integers(1, maximum - 1), max_size=min(room - 1, 11)))
    cues = [{"at": at, "say": f"Cue at {at} s."} for at in sorted({0} | later)]
    cautions = [
        {"key": key, "say": f"Mind the {key}."}
        for key in draw(st.lists(keys, unique=True, max_size=3))
    ]
    side = draw(st.sampled_from(["both", "left", "right"]))
    duration = draw(st.integers(minimum, maximum) if fitting else st.integers(1, maximum))
    return {
        "duration": duration,
        "default_duration": default,
        "cues": cues,
        "cautions": cautions,
        "side": side,
    }


@given(steps_with_cues())
def test_every_cue_falls_inside_the_step_once_in_time_order(drawn):
    cues = playback.step_cues(name="Cat-cow", **drawn)
    assert_timed_to_fit(cues, drawn["duration"])
    assert cues[0]["say"].startswith("Cat-cow. ")


@given(steps_with_cues())
def test_every_cue_is_its_own_and_said_in_its_order(drawn):
    cues = playback.step_cues(name="Cat-cow", **drawn)
    texts = [cue["say"] for cue in drawn["cues"]]
    assert_said_in_order(cues, texts)
    assert [t for t in texts if any(c["say"] == t for c in cues)] == texts[1:]


@given(steps_with_cues(fitting=False))
def test_a_step_shorter_than_its_technique_allows_still_says_every_cue(drawn):
    """Outside the content's rules (a step too short for its cues) neighbours are joined,
    and the timing rules still hold."""
    cues = playback.step_cues(name="Cat-cow", **drawn)
    assert_timed_to_fit(cues, drawn["duration"])
    assert_said_in_order(cues, [cue["say"] for cue in drawn["cues"]])


@given(steps_with_cues(), st.frozensets(keys))
def test_a_caution_is_said_exactly_when_the_person_has_its_condition(drawn, conditions):
    cues = {"cues": drawn["cues"], "cautions": drawn["cautions"]}
    steps = [step(technique(**cues), side=drawn["side"], duration=drawn["duration"])]
    script = playback.routine_script(routine=ROUTINE, steps=steps, conditions=conditions)
    said = " ".join(cue["say"] for cue in script["steps"][0]["cues"])
    for caution in drawn["cautions"]:
        assert (caution["say"] in said) == (caution["key"] in conditions)
    assert ("Take care:" in said) == any(c["key"] in conditions for c in drawn["cautions"])


@given(steps_with_cues())
def test_a_long_step_never_goes_half_its_length_without_a_cue(drawn):
    """A person holding a long stretch hears something within 15 s of its middle."""
    cues = playback.step_cues(name="Cat-cow", **drawn)
    if drawn["duration"] >= playback.HALF_WAY_MIN_STEP:
        half = drawn["duration"] // 2
        assert any(abs(cue["at"] - half) <= playback.HALF_WAY_CLEARANCE for cue in cues)
    else:
        assert "Half-way." not in " ".join(cue["say"] for cue in cues)


@given(steps_with_cues(), st.frozensets(keys), st.sampled_from(sorted(PURPOSES)))
def test_bedtime_changes_only_how_the_routine_ends(drawn, conditions, purpose):
    """The lead-in and every step's cues are the same whenever the routine is for."""
    cues = {"cues": drawn["cues"], "cautions": drawn["cautions"]}
    steps = [step(technique(**cues), side=drawn["side"], duration=drawn["duration"])]
    routine = SimpleNamespace(slug="any", name="Any", purpose=purpose)
    script = playback.routine_script(routine=routine, steps=steps, conditions=conditions)
    bedtime = playback.routine_script(routine=BEDTIME_ROUTINE, steps=steps, conditions=conditions)
    which = ("bedtime", "endCue", "routine", "routineName")
    assert {k: v for k, v in script.items() if k not in which} == {
        k: v for k, v in bedtime.items() if k not in which
    }
    assert script["bedtime"] == (purpose == playback.BEDTIME)
    assert (bedtime["bedtime"], bedtime["endCue"]) == (True, "")
