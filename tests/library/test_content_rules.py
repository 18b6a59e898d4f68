"""Safety rules that every technique keeps, derived from its own fields and words, so that
the next technique cannot break them (docs/library-content.md states the same rules).

Each check is a plain function, with the sentences and techniques it must catch beside it."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from backcoach.library import content

LIBRARY = content.load_library()
DOCS = Path(__file__).parents[2] / "docs" / "library-content.md"

# Pressure near the kidneys: no firm pressure on the soft area just under the lowest ribs.
# A sentence about that area (the lowest ribs, the bottom of the ribs, under the ribs) must
# keep away from it, and none may send pressure towards it.
KIDNEY_AREA = re.compile(
    r"\b(lowest |lower |bottom of (the |your )?)ribs\b|\bunder (the |your )?(lowest )?ribs\b"
)
KEEPS_OFF = re.compile(r"\b(below|not|never|don't|no higher|off|away from)\b")
TOWARDS = re.compile(
    r"\b(towards?|to|up to|as far as|reach\w*)\s+(the |your )?"
    r"(bottom of (the |your )?|lowest |lower )ribs\b"
)


def words_of(technique) -> list[str]:
    """Everything a person reads or hears of a technique."""
    return [
        technique.summary,
        technique.intensity_guidance,
        *technique.instructions,
        *(cue.say for cue in technique.cues),
        *(caution.say for caution in technique.cautions),
    ]


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text) if part]


def presses_under_the_ribs(text: str) -> list[str]:
    """The sentences of `text` that send pressure onto the soft area under the lowest ribs,
    or name it without keeping off it."""
    wrong = []
    for sentence in sentences(text.lower()):
        if TOWARDS.search(sentence) or (
            KIDNEY_AREA.search(sentence) and not KEEPS_OFF.search(sentence)
        ):
            wrong.append(sentence)
    return wrong


@pytest.mark.parametrize(
    "sentence",
    [
        "Move your hands a little higher, towards your lowest ribs. Keep the pressure gentle.",
        "Roll slowly from your shoulder blades to the bottom of your ribs and back.",
        "Place the ball between your lowest ribs and your pelvis.",
        "Press up into the muscle just under your ribs.",
        "Slide your hands up as far as your lowest ribs, then stop.",
    ],
)
def test_the_kidney_check_catches_pressure_under_the_lowest_ribs(sentence):
    assert presses_under_the_ribs(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Place the roller at belt height, below your lowest ribs and above your pelvis.",
        "Don't roll up under your ribs.",
        "Keep off the soft area just under your ribs.",
        "Stop while the roller is still on your ribs; it never goes under your lowest ribs.",
        "The upper back, with the ribs around it, takes more pressure.",
        "Keep the ball on muscle, away from the spine and ribs.",
    ],
)
def test_the_kidney_check_lets_words_that_keep_off_the_area_through(sentence):
    assert presses_under_the_ribs(sentence) == []


@pytest.mark.parametrize("technique", LIBRARY.techniques, ids=lambda t: t.slug)
def test_no_technique_sends_firm_pressure_under_the_lowest_ribs(technique):
    wrong = [s for text in words_of(technique) for s in presses_under_the_ribs(text)]
    assert wrong == [], technique.slug


def test_every_massage_of_the_lower_back_says_where_the_kidneys_are():
    """Hands, roller and ball alike: the person is told why to stay low."""
    massages = [t for t in LIBRARY.techniques if t.kind == "massage"]
    lower_back = [t for t in massages if "lower-back" in t.body_areas]
    assert {"hands", "foam-roller", "massage-ball"} <= {e for t in lower_back for e in t.equipment}
    for technique in lower_back:
        assert "kidney" in " ".join(words_of(technique)).lower(), technique.slug


# Osteoporosis: excluded wherever body weight presses the back onto a hard roller or ball.
LYING = {"lying-on-back", "lying-on-front", "side-lying"}
HARD_TOOLS = {"foam-roller", "massage-ball"}
BACK = {"lower-back", "mid-back", "upper-back"}


def weight_on_a_hard_tool_under_the_back(technique) -> bool:
    return (
        technique.position in LYING
        and bool(HARD_TOOLS & set(technique.equipment))
        and bool(BACK & set(technique.body_areas))
    )


def test_the_osteoporosis_check_knows_which_techniques_put_the_back_on_a_tool():
    def made_up(position, equipment, body_areas):
        return SimpleNamespace(position=position, equipment=equipment, body_areas=body_areas)

    assert weight_on_a_hard_tool_under_the_back(
        made_up("lying-on-back", ["massage-ball"], ["lower-back"])
    )
    assert weight_on_a_hard_tool_under_the_back(
        made_up("side-lying", ["foam-roller"], ["mid-back"])
    )
    assert not weight_on_a_hard_tool_under_the_back(
        made_up("lying-on-back", ["hands"], ["lower-back"])
    )
    assert not weight_on_a_hard_tool_under_the_back(
        made_up("standing", ["massage-ball", "wall"], ["upper-back"])
    )
    assert not weight_on_a_hard_tool_under_the_back(
        made_up("lying-on-back", ["massage-ball"], ["glutes"])
    )
    kinds = {weight_on_a_hard_tool_under_the_back(t) for t in LIBRARY.techniques}
    assert kinds == {True, False}  # the library has both: the rule is not vacuous


@pytest.mark.parametrize("technique", LIBRARY.techniques, ids=lambda t: t.slug)
def test_body_weight_on_a_roller_or_ball_under_the_back_excludes_osteoporosis(technique):
    if weight_on_a_hard_tool_under_the_back(technique):
        assert "osteoporosis" in technique.excludes, technique.slug


def test_the_content_guide_states_both_rules():
    guide = " ".join(DOCS.read_text().split())
    assert "excluded wherever body weight presses the back onto a hard roller or ball" in guide
    assert "no firm pressure on the soft area just under the lowest ribs" in guide.replace("**", "")
