"""The routine as a timeline: what is said when.

The cases are test vectors (timeline_vectors.json) that the web player's timeline passes too
(test_timeline_js.py); the Hypothesis properties are this module's own."""

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.player.timeline import STALE_CUE_SECONDS, Timeline

VECTORS_FILE = Path(__file__).with_name("timeline_vectors.json")
VECTORS = json.loads(VECTORS_FILE.read_text())


def moments(span: dict) -> list[float]:
    """A vector's `due_range`: k / per_second for each whole k in [from, to) per second."""
    per = span["per_second"]
    return [k / per for k in range(round(span["from"] * per), round(span["to"] * per))]


def play_vector(vector: dict) -> None:
    """Does each step of a vector (tests/player/timeline_vectors.json, which the JavaScript
    timeline passes too) and checks what it gives, naming the step that disagrees."""
    routine = Timeline.from_script(VECTORS["scripts"][vector["script"]])
    for number, step in enumerate(vector["do"], start=1):
        where = f"{vector['name']}, step {number}: {json.dumps(step)}"
        if "segments" in step:
            got = [[s.kind, s.index, s.start, s.end] for s in routine.segments]
            assert got == step["segments"], where
            assert routine.total == step["total"], where
        elif "segment_at" in step:
            assert routine.segment_at(step["segment_at"]) == step["is"], where
        elif "due" in step:
            assert routine.due(step["due"]) == step["says"], where
        elif "due_range" in step:
            said = [routine.due(seconds) for seconds in moments(step["due_range"])]
            assert [words for words in said if words is not None] == step["says"], where
        elif "seek" in step:
            assert routine.seek(step["seek"]) == step["seek"], where
        elif "restart_from" in step:
            assert routine.restart_from(step["restart_from"]) == step["is"], where
        elif "skipped_cues" in step:
            assert routine.skipped_cues() == step["skipped_cues"], where
        else:
            raise AssertionError(f"{where}: a step this runner does not know")


def test_the_vectors_are_written_for_the_servers_stale_cue_limit():
    assert VECTORS["limits"] == {"staleCueSeconds": STALE_CUE_SECONDS}


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda vector: vector["name"])
def test_the_timeline_gives_what_the_vector_says(vector):
    play_vector(vector)


def test_a_vector_that_disagrees_fails_and_names_its_step():
    vector = {
        "name": "planted",
        "script": "two-steps",
        "do": [{"due": 10, "says": "Knee to chest."}, {"due": 35, "says": "Hug the knee."}],
    }
    with pytest.raises(AssertionError, match=r"planted, step 2: .*Hug the knee"):
        play_vector(vector)


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
