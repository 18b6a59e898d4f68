"""The diary's questions and scores, as plain values. Pure Python, no Django.

The wording follows published instruments where one exists, each with its source key (from
backcoach/safety/content/sources.yaml): the Consensus Sleep Diary for sleep, PEG-3 for pain
and its interference, the fingertip-to-floor test for how far the back bends.
"""

from collections.abc import Iterable

PAIN_AREAS = {
    "lower-back-left": "Lower back, left",
    "lower-back-centre": "Lower back, centre",
    "lower-back-right": "Lower back, right",
    "mid-back": "Mid back",
    "upper-back": "Upper back",
    "neck": "Neck",
    "buttock": "Buttock",
    "leg-left": "Left leg",
    "leg-right": "Right leg",
}
LEG_AREAS = frozenset({"leg-left", "leg-right"})

# Consensus Sleep Diary (Carney et al. 2012), questions 3 and 9 in our words.
SLEEP_ONSET_QUESTION = "How long did it take you to fall asleep?"
SLEEP_QUALITY_QUESTION = "How would you rate the quality of your sleep?"
SLEEP_QUALITY = {1: "Very poor", 2: "Poor", 3: "Fair", 4: "Good", 5: "Very good"}
SLEEP_SOURCE = "carney-sleep-diary-2012"

ROUTINE_FEEL = {
    "soothing": "Soothing",
    "neutral": "Neither good nor bad",
    "uncomfortable": "Uncomfortable",
}

# PEG-3 (Krebs et al. 2009): three 0-10 ratings over the past week; the score is their mean.
PEG_QUESTIONS = {
    "peg_pain": "What number best describes your pain on average in the past week?",
    "peg_enjoyment": "What number best describes how, during the past week, pain has "
    "interfered with your enjoyment of life?",
    "peg_activity": "What number best describes how, during the past week, pain has "
    "interfered with your general activity?",
}
PEG_SOURCE = "krebs-peg-2009"
FINGERTIP_SOURCE = "perret-fingertip-floor-2001"

MAX_BACKDATE_DAYS = 14
MAX_MINUTES = 720  # to fall asleep, or of morning stiffness: 12 hours is already extreme
MAX_FINGERTIP_CM = 100.0
CM_PER_INCH = 2.54

SOURCES = (SLEEP_SOURCE, PEG_SOURCE, FINGERTIP_SOURCE)


def peg_score(pain: int | None, enjoyment: int | None, activity: int | None) -> float | None:
    """The PEG-3 score: the mean of its three items, or None unless all three are answered."""
    items = (pain, enjoyment, activity)
    if any(item is None for item in items):
        return None
    return round(sum(items) / 3, 1)


def centimetres(value: float, unit: str) -> float:
    """A length the person gave in their unit ("cm" or "in"), in centimetres."""
    return round(value * CM_PER_INCH, 1) if unit == "in" else round(value, 1)


def in_unit(centimetres_value: float, unit: str) -> float:
    return round(centimetres_value / CM_PER_INCH, 1) if unit == "in" else centimetres_value


def area_labels(areas: Iterable[str]) -> list[str]:
    return [PAIN_AREAS.get(area, area) for area in areas]
