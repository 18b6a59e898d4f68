"""The fixed words of the library: what content files may say, and how the app shows them.

Pure Python: the content loader, the builder and the figure renderer all use it.
"""

# The health conditions a technique may exclude or call for care with are safety's words.
from backcoach.safety.contraindications import CONTRAINDICATIONS as CONTRAINDICATIONS

BODY_AREAS = {
    "lower-back": "Lower back",
    "mid-back": "Mid back",
    "upper-back": "Upper back",
    "glutes": "Glutes (buttocks)",
    "hips": "Hips",
    "neck-shoulders": "Neck and shoulders",
    "hamstrings": "Back of the thighs",
}

POSITIONS = {
    "lying-on-back": "Lying on your back",
    "lying-on-front": "Lying on your front",
    "side-lying": "Lying on your side",
    "sitting": "Sitting",
    "standing": "Standing",
    "kneeling": "Kneeling or on all fours",
}

EQUIPMENT = {
    "hands": "Your hands",
    "foam-roller": "Foam roller",
    "massage-ball": "Massage ball",
    "wall": "A wall",
    "strap": "A strap, belt or towel",
    "chair": "A chair",
    "none": "Nothing",
}
# Always at hand: a routine never needs you to own these.
ALWAYS_AVAILABLE = frozenset({"hands", "none"})

KINDS = {"massage": "Self-massage", "stretch": "Stretch", "mobility": "Mobility"}
INTENSITIES = {"gentle": "Gentle", "moderate": "Moderate", "firm": "Firm"}
GENTLE = "gentle"


def all_gentle(intensities) -> bool:
    """Whether moves of these intensities may be done while backcoach plays only gentle
    routines (a flare-up, a screen that said to see a clinician). The one place this rule
    is written: the builder, the players and the library's pages all ask."""
    return all(intensity == GENTLE for intensity in intensities)


SIDES = {"both": "Both sides at once", "each": "Each side in turn"}
PURPOSES = {
    "bedtime": "At bedtime",
    "morning": "In the morning",
    "desk": "At the desk",
    "anytime": "Any time",
    "flare-up": "During a flare-up",
}
STEP_SIDES = {"both": "Both sides", "left": "Left side", "right": "Right side"}


def step_sides(technique_sides: str) -> tuple[str, ...]:
    """The sides a step of a technique may be done on: left and right for one done on
    each side in turn, both for one that works both sides at once."""
    return ("left", "right") if technique_sides == "each" else ("both",)


# Where on the body a cue, a prop or the highlighted work area can be.
ANCHORS = (
    "head",
    "neck-shoulders",
    "upper-back",
    "mid-back",
    "lower-back",
    "glutes",
    "hips",
    "hamstrings",
    "knees",
    "feet",
    "hands",
)
PROPS = ("pillow", "foam-roller", "massage-ball", "strap", "wall", "chair")
SURFACES = ("bed", "floor", "none")
FRONTS = ("up", "down", "left", "right")


def duration_text(seconds: int) -> str:
    """A duration as people say it: "45 s", "1 minute", "5 minutes", "1 min 30 s"."""
    whole, rest = divmod(int(seconds), 60)
    if not whole:
        return f"{rest} s"
    if not rest:
        return f"{whole} minute{'s' if whole != 1 else ''}"
    return f"{whole} min {rest} s"


def side_text(side: str) -> str:
    """A routine step's side for a sentence: "" for both sides, else "left side"."""
    return "" if side == "both" else STEP_SIDES.get(side, side).lower()


# A person's own routines have slugs that start so; content files may not, so that loading
# the library can never take over someone's routine.
OWN_SLUG_PREFIX = "mine-"
