"""The routine as a timeline: unit cases and Hypothesis properties of what is said when."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.player.timeline import STALE_CUE_SECONDS, Timeline

# A 10 s lead-in, then step 0 from 10 s to 70 s and step 1 from 70 s to 110 s.
SCRIPT = {
    "leadIn": 10,
    "leadInCue": "Get ready.",
    "steps": [
        {
            "duration": 60,
            "cues": [
                {"at": 0, "say": "Knee to chest."},
                {"at": 10, "say": "Hug the knee."},
                {"at": 20, "say": "Breathe out."},
                {"at": 50, "say": "Let go slowly."},
            ],
        },
        {
            "duration": 40,
            "cues": [{"at": 0, "say": "Pelvic tilt."}, {"at": 30, "say": "Once more."}],
        },
    ],
}


def timeline() -> Timeline:
    return Timeline.from_script(SCRIPT)


def test_the_lead_in_comes_first_then_the_steps_back_to_back():
    segments = timeline().segments
    assert [(s.kind, s.index, s.start, s.end) for s in segments] == [
        ("lead-in", -1, 0, 10),
        ("step", 0, 10, 70),
        ("step", 1, 70, 110),
    ]
    assert segments[0].cues == [{"at": 0, "say": "Get ready."}]
    assert segments[2].step is SCRIPT["steps"][1]
    assert timeline().total == 110


def test_a_moment_on_a_boundary_belongs_to_the_segment_starting_there():
    at = timeline().segment_at
    assert [at(0), at(9.99), at(10), at(69.99), at(70), at(109.99)] == [0, 0, 1, 1, 2, 2]


def test_once_the_routine_is_over_no_segment_is_running():
    at = timeline().segment_at
    assert at(110) == at(110.5) == at(5000) == 3


def test_the_lead_in_cue_is_spoken_at_the_start():
    assert timeline().due(0) == "Get ready."


def test_a_cue_is_spoken_once():
    routine = timeline()
    assert routine.due(10) == "Knee to chest."
    assert routine.due(10) is None
    assert routine.due(15) is None


def test_a_cue_waits_for_its_moment():
    routine = timeline()
    routine.due(10)
    assert routine.due(19.99) is None
    assert routine.due(20) == "Hug the knee."


def test_after_a_gap_only_the_latest_due_cue_is_spoken():
    routine = timeline()
    routine.due(10)
    assert routine.due(35) == "Breathe out."
    for seconds in (36, 50, 59.9):
        assert routine.due(seconds) is None  # "Hug the knee." is not read out late


def test_a_cue_more_than_the_stale_limit_late_is_skipped_for_good():
    routine = timeline()
    routine.due(10)
    late = 10 + 20 + STALE_CUE_SECONDS + 0.01  # "Breathe out." was due at 30 s
    assert routine.due(late) is None
    assert routine.due(late + 1) is None
    assert routine.due(60) == "Let go slowly."


def test_a_cue_just_within_the_stale_limit_is_still_spoken():
    routine = timeline()
    routine.due(10)
    assert routine.due(30 + STALE_CUE_SECONDS) == "Breathe out."


def test_the_first_cue_of_a_step_is_spoken_however_late():
    routine = timeline()
    routine.due(0)
    assert routine.due(70 + STALE_CUE_SECONDS + 9) == "Pelvic tilt."


def test_cues_of_steps_passed_over_stay_silent():
    routine = timeline()
    routine.due(0)
    assert routine.due(75) == "Pelvic tilt."
    spoken = [routine.due(seconds) for seconds in range(75, 115)]
    assert [cue for cue in spoken if cue] == ["Once more."]


def test_cues_passed_over_stay_silent_even_when_the_clock_is_set_back_without_a_restart():
    routine = timeline()
    routine.due(75)
    assert all(routine.due(seconds) is None for seconds in range(10, 70))


def test_nothing_is_due_once_the_routine_is_over():
    routine = timeline()
    assert routine.due(110) is None
    assert routine.due(500) is None


def test_going_back_to_a_step_lets_its_cues_be_spoken_again():
    routine = timeline()
    spoken = [routine.due(seconds) for seconds in range(0, 80)]
    assert "Hug the knee." in spoken
    assert routine.restart_from(1) == 10
    assert routine.due(10) == "Knee to chest."
    assert routine.due(20) == "Hug the knee."


def test_going_back_to_a_step_leaves_the_cues_before_it_spoken():
    routine = timeline()
    for seconds in range(0, 100):
        routine.due(seconds)
    assert routine.restart_from(2) == 70
    spoken = [routine.due(seconds) for seconds in range(70, 111)]
    assert [cue for cue in spoken if cue] == ["Pelvic tilt.", "Once more."]


def test_skipping_ahead_after_going_back_does_not_replay_the_step_left():
    routine = timeline()
    routine.due(0)
    routine.due(10)
    routine.restart_from(0)
    assert routine.due(0) == "Get ready."
    assert routine.due(70) == "Pelvic tilt."
    assert all(routine.due(seconds) is None for seconds in range(71, 100))


def test_a_clock_that_ticks_on_time_skips_nothing():
    routine = timeline()
    for tenth in range(0, 1200):
        routine.due(tenth / 10)
    assert routine.skipped_cues() == []


def test_the_cues_passed_over_after_a_gap_are_skipped_and_say_where():
    routine = timeline()
    routine.due(10)
    assert routine.due(35) == "Breathe out."
    assert routine.skipped_cues() == [{"step": 1, "at": 10, "say": "Hug the knee."}]


def test_a_cue_too_late_to_say_is_skipped_too():
    routine = timeline()
    routine.due(10)
    assert routine.due(10 + 20 + STALE_CUE_SECONDS + 1) is None  # "Breathe out." at 30 s
    assert [cue["at"] for cue in routine.skipped_cues()] == [10, 20]


def test_the_cues_of_a_step_the_clock_ran_through_unread_are_skipped():
    routine = timeline()
    routine.due(0)
    assert routine.due(75) == "Pelvic tilt."
    assert [(c["step"], c["at"]) for c in routine.skipped_cues()] == [
        (1, 0),
        (1, 10),
        (1, 20),
        (1, 50),
    ]


def test_cues_the_person_skips_past_or_goes_back_over_are_not_skipped_cues():
    routine = timeline()
    routine.due(10)
    routine.due(15)
    assert routine.due(routine.seek(70)) == "Pelvic tilt."  # skip: on to the next step
    routine.due(71)
    routine.due(routine.restart_from(1))  # back to the first step
    routine.due(routine.seek(70))
    assert routine.skipped_cues() == []


@st.composite
def scripts(draw):
    """Scripts whose cues have distinct names, at whole seconds within their steps."""
    steps = []
    for number in range(draw(st.integers(1, 4))):
        duration = draw(st.integers(1, 120))
        moments = sorted(draw(st.sets(st.integers(0, duration - 1), max_size=6)))
        cues = [{"at": at, "say": f"step {number} at {at} s"} for at in moments]
        steps.append({"duration": duration, "cues": cues})
    return {"leadIn": draw(st.integers(1, 15)), "leadInCue": "lead-in", "steps": steps}


def when_due(script) -> dict[str, float]:
    """Each cue's moment from the start of the routine."""
    moments = {"lead-in": 0}
    start = script["leadIn"]
    for step in script["steps"]:
        for cue in step["cues"]:
            moments[cue["say"]] = start + cue["at"]
        start += step["duration"]
    return moments


# The clock's steps come from a seeded generator: drawn one by one from Hypothesis, a few
# thousand of them make its smallest example too large to work with.
seeds = st.integers(0, 2**32 - 1)


def run(routine: Timeline, rng: random.Random, *, start: float, longest: float):
    """Run the clock from `start` past the end in random steps; (moment, cue) for each cue."""
    spoken, seconds = [], start
    while seconds <= routine.total + 1:
        cue = routine.due(seconds)
        if cue is not None:
            spoken.append((seconds, cue))
        seconds += rng.uniform(0.01, longest)
    return spoken


@settings(max_examples=200, deadline=None)
@given(scripts(), seeds)
def test_a_clock_ticking_in_small_steps_speaks_every_cue_once_in_time_order(script, seed):
    due = when_due(script)
    spoken = run(Timeline.from_script(script), random.Random(seed), start=0, longest=0.99)
    said = [cue for _, cue in spoken]
    assert said == sorted(due, key=due.get)
    assert all(due[cue] <= seconds < due[cue] + 1 for seconds, cue in spoken)


@settings(max_examples=200, deadline=None)
@given(scripts(), seeds, st.floats(1, 90))
def test_a_clock_that_stalls_speaks_each_cue_at_most_once_in_order_never_early(
    script, seed, longest
):
    due = when_due(script)
    spoken = run(Timeline.from_script(script), random.Random(seed), start=0, longest=longest)
    said = [cue for _, cue in spoken]
    assert len(said) == len(set(said))
    assert [due[cue] for cue in said] == sorted(due[cue] for cue in said)
    for seconds, cue in spoken:
        late = seconds - due[cue]
        starts_a_segment = cue == "lead-in" or cue.endswith(" at 0 s")
        assert late >= 0
        assert late <= STALE_CUE_SECONDS or starts_a_segment


@settings(max_examples=200, deadline=None)
@given(scripts(), seeds, st.floats(1, 90))
def test_every_cue_the_clock_passes_is_either_spoken_or_skipped(script, seed, longest):
    due = when_due(script)
    routine = Timeline.from_script(script)
    said = [cue for _, cue in run(routine, random.Random(seed), start=0, longest=longest)]
    routine.due(routine.total + 1000)  # the end, as a player reads it once more
    skipped = [cue["say"] for cue in routine.skipped_cues()]
    assert not set(said) & set(skipped)
    assert sorted([*said, *skipped]) == sorted(due)


@settings(max_examples=100, deadline=None)
@given(scripts(), seeds, st.data())
def test_going_back_to_any_segment_speaks_its_cues_and_the_later_ones_again(script, seed, data):
    rng = random.Random(seed)
    routine = Timeline.from_script(script)
    run(routine, rng, start=0, longest=0.99)
    index = data.draw(st.integers(0, len(routine.segments) - 1))
    start = routine.restart_from(index)
    due = when_due(script)
    again = [cue for _, cue in run(routine, rng, start=start, longest=0.99)]
    assert again == sorted((cue for cue in due if due[cue] >= start), key=due.get)


def test_a_caution_is_said_however_late_and_never_counted_as_skipped():
    script = {
        **SCRIPT,
        "steps": [
            {
                "duration": 60,
                "cues": [
                    {"at": 0, "say": "Knee to chest."},
                    {"at": 5, "say": "Take care: gently, after surgery.", "caution": True},
                    {"at": 20, "say": "Breathe out."},
                    {"at": 50, "say": "Let go slowly."},
                ],
            },
            SCRIPT["steps"][1],
        ],
    }
    late = Timeline.from_script(script)
    late.due(0)
    late.due(10)  # the step's name
    # Asleep until 50 s into the step, the caution is 45 s late: said anyway, with the
    # cue that is due now; the cue in between is skipped.
    assert late.due(60) == "Take care: gently, after surgery. Let go slowly."
    assert late.skipped_cues() == [{"step": 1, "at": 20, "say": "Breathe out."}]

    later = Timeline.from_script(script)
    later.due(0)
    later.due(10)
    # Asleep until 45 s into the step: the latest cue (at 20 s) is too late to say; the
    # caution is said alone.
    assert STALE_CUE_SECONDS < 45 - 20
    assert later.due(10 + 45) == "Take care: gently, after surgery."
    assert later.skipped_cues() == [{"step": 1, "at": 20, "say": "Breathe out."}]


def test_woken_in_a_step_whose_first_cue_went_unsaid_its_name_is_said():
    script = {**SCRIPT, "steps": [{**SCRIPT["steps"][0], "name": "Knee hug", "side": "left"}]}
    routine = Timeline.from_script(script)
    routine.due(0)
    # Asleep from the lead-in until 45 s into the step: only "Let go slowly." (at 50 s)
    # would be fresh later; now every due cue is stale, but the step is named.
    assert routine.due(10 + 45) == "Knee hug, left side."
    assert [cue["at"] for cue in routine.skipped_cues()] == [0, 10, 20]
