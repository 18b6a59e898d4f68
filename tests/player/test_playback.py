"""What the players say and when: unit cases and Hypothesis properties over plain stand-ins."""

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from backcoach.library.vocabulary import PURPOSES
from backcoach.player import playback

CAUTIONS = [
    {"key": "osteoporosis", "say": "Roll slowly, no bouncing."},
    {"key": "pregnancy", "say": "Stay off your front."},
]


def technique(*, name="Knee to chest", cues=None, cautions=()):
    return SimpleNamespace(
        slug=name.lower().replace(" ", "-"),
        name=name,
        summary=f"{name}, gently.",
        cues=cues if cues is not None else [{"at": 0, "say": "Lie on your back."}],
        cautions=list(cautions),
    )


def step(technique, *, side="both", duration=60):
    return SimpleNamespace(technique=technique, side=side, duration=duration)


ROUTINE = SimpleNamespace(slug="wind-down", name="Wind down", purpose="anytime")
BEDTIME_ROUTINE = SimpleNamespace(slug="lights-out", name="Lights out", purpose="bedtime")


def cues_of(*, duration=60, side="both", cues=None, cautions=()):
    """The spoken cues of one step, through step_cues."""
    return playback.step_cues(
        name="Knee to chest",
        side=side,
        duration=duration,
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


def test_cues_at_the_same_moment_are_spoken_as_one():
    cues = cues_of(
        duration=60,
        cues=[{"at": 0, "say": "Lie down."}, {"at": 5, "say": "Breathe out."}],
        cautions=CAUTIONS[:1],
    )
    assert times(cues) == [0, 5]
    assert cues[1]["say"] == "Breathe out. Take care: Roll slowly, no bouncing."


def test_several_cautions_are_spoken_together_in_their_order():
    cues = cues_of(cautions=CAUTIONS)
    assert cues[1]["say"] == "Take care: Roll slowly, no bouncing. Stay off your front."


def test_a_caution_comes_within_the_first_seconds_even_of_a_short_step():
    for duration, at in ((60, 5), (20, 5), (12, 3), (4, 1), (2, 1)):
        caution = [cue for cue in cues_of(duration=duration, cautions=CAUTIONS) if cue["at"]]
        assert times(caution) == [at], duration


def test_cues_at_or_after_the_end_of_the_step_are_dropped():
    cues = cues_of(
        duration=30,
        cues=[
            {"at": 0, "say": "Lie down."},
            {"at": 29, "say": "Last breath."},
            {"at": 30, "say": "Too late."},
            {"at": 45, "say": "Far too late."},
        ],
    )
    assert times(cues) == [0, 29]
    assert "late" not in " ".join(cue["say"] for cue in cues)


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


# Steps as the content files allow them: cues in time order from 0 s, one per moment,
# durations of at least 10 s.
keys = st.sampled_from(["osteoporosis", "pregnancy", "knee-problem", "wrist-problem"])


@st.composite
def steps_with_cues(draw):
    duration = draw(st.integers(10, 900))
    near_the_end = st.sampled_from([duration - 1, duration, duration + 1])
    later = draw(st.sets(st.integers(1, 1200) | near_the_end, max_size=6))
    cues = [{"at": at, "say": f"Cue at {at} s."} for at in sorted({0} | later)]
    cautions = [
        {"key": key, "say": f"Mind the {key}."}
        for key in draw(st.lists(keys, unique=True, max_size=3))
    ]
    side = draw(st.sampled_from(["both", "left", "right"]))
    return {"duration": duration, "cues": cues, "cautions": cautions, "side": side}


@given(steps_with_cues())
def test_every_cue_falls_inside_the_step_once_in_time_order(drawn):
    cues = playback.step_cues(name="Cat-cow", **drawn)
    assert times(cues) == sorted(set(times(cues)))
    assert all(0 <= cue["at"] < drawn["duration"] for cue in cues)
    assert cues[0]["at"] == 0
    assert cues[0]["say"].startswith("Cat-cow. ")


@given(steps_with_cues())
def test_every_cue_before_the_end_is_said_in_its_order_and_none_after(drawn):
    said = " ".join(cue["say"] for cue in playback.step_cues(name="Cat-cow", **drawn))
    position = 0
    for cue in drawn["cues"]:
        found = said.find(cue["say"], position)
        if cue["at"] < drawn["duration"]:
            assert found >= position, cue
            position = found + len(cue["say"])
        else:
            assert cue["say"] not in said


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
