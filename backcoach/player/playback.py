"""What the players say and when: the routine as a timed script of spoken cues.

Pure Python: the web player and the terminal player both play what this makes.
"""

from backcoach.library.cue_timing import cue_capacity, fit_times
from backcoach.library.vocabulary import STEP_SIDES
from backcoach.safety.contraindications import cautions_for

LEAD_IN_SECONDS = 10
CAUTION_AT = 5
HALF_WAY_MIN_STEP = 90
HALF_WAY_CLEARANCE = 15
# A routine for this purpose (library.vocabulary.PURPOSES) ends in quiet: no closing words,
# no chime and no question, because the person is falling asleep. How it went is asked at
# the morning check-in instead.
BEDTIME = "bedtime"
# Every other routine closes with words for where the person is afterwards: a desk break
# goes back to work and a morning routine into the day, so none of them says "sleep well".
END_CUE = "That is the end of the routine. Well done."
END_CUES = {
    "morning": "That is the end of the routine. Well done, and have a good day.",
    "desk": "That is the end of the routine. Well done. Sit back down tall, and take another "
    "short break later.",
    "flare-up": "That is the end of the routine. Well done for moving gently. Rest when you "
    "need to, and keep moving a little through the day.",
}


def end_cue(purpose: str | None) -> str:
    """The closing words for a routine of this purpose: none at bedtime."""
    if purpose == BEDTIME:
        return ""
    return END_CUES.get(purpose or "", END_CUE)


def side_words(side: str) -> str:
    """What the first cue says of the side: "Left side. ", or nothing for both."""
    return "" if side == "both" else f"{STEP_SIDES.get(side, side)}. "


def merge_closest(cues: list[dict], capacity: int) -> list[dict]:
    """The cues, neighbours joined (the closest pair first) until there are `capacity`.

    Only a step shorter than its technique allows comes here: a cue is joined to the one
    before it rather than dropped."""
    cues = list(cues)
    while len(cues) > max(1, capacity):
        index = min(range(1, len(cues)), key=lambda i: cues[i]["at"] - cues[i - 1]["at"])
        joined = {**cues[index - 1], "say": f"{cues[index - 1]['say']} {cues[index]['say']}"}
        if cues[index].get("caution"):
            joined["caution"] = True
        cues[index - 1 : index + 1] = [joined]
    return cues


def step_cues(
    *,
    name: str,
    side: str,
    duration: int,
    default_duration: int,
    cues: list[dict],
    cautions: list[dict],
) -> list[dict]:
    """The cues of one step, in time order, each to be spoken once.

    The technique's cues are written for `default_duration`: for a shorter or longer
    step their moments are scaled to `duration`, then moved as little as the timing rules
    (CUE_GAP, END_CLEARANCE) need. None is dropped: only where the step is too short for
    them all (which the content files do not allow) are neighbours joined into one cue.

    The first cue names the step (and side); the person's cautions are a cue of their own
    CAUTION_AT seconds in, or are joined to the first cue where the step has no room for
    one more; a half-way cue is added to long steps that have no cue of their own near the
    middle (there is always room for it: the nearest cues are more than 15 s away).
    """
    spoken = []
    for index, cue in enumerate(cues):
        text = cue["say"]
        if index == 0:
            text = f"{name}. {side_words(side)}{text}"
        at = 0 if index == 0 else round(cue["at"] * duration / default_duration)
        spoken.append({"at": at, "say": text})
    if not spoken:
        spoken.append({"at": 0, "say": f"{name}. {side_words(side)}".strip()})
    capacity = cue_capacity(duration)
    spoken = merge_closest(spoken, capacity)
    if cautions:
        text = " ".join(caution["say"] for caution in cautions)
        caution = {"at": CAUTION_AT, "say": f"Take care: {text}", "caution": True}
        if len(spoken) < capacity:
            spoken.insert(1, caution)
        else:
            spoken[0] = {**spoken[0], "say": f"{spoken[0]['say']} {caution['say']}"}
            spoken[0]["caution"] = True
    for cue, at in zip(spoken, fit_times([cue["at"] for cue in spoken], duration), strict=True):
        cue["at"] = at
    half = duration // 2
    if duration >= HALF_WAY_MIN_STEP and all(
        abs(cue["at"] - half) > HALF_WAY_CLEARANCE for cue in spoken
    ):
        spoken.append({"at": half, "say": "Half-way."})
        spoken.sort(key=lambda cue: cue["at"])
    return spoken


def routine_script(*, routine, steps, conditions: frozenset[str] = frozenset()) -> dict:
    """The whole routine for the player: lead-in, steps with cues, and the closing words.

    `conditions` are the person's contraindication keys: each technique's cautions for them
    are spoken at the start of its step. A bedtime routine has `"bedtime": True`: a player
    then ends it without `endCue`, chime or question, so the last thing said is its last
    step's own cue. Other routines close with `endCue`, worded for their purpose.
    """
    script_steps = []
    for step in steps:
        technique = step.technique
        cautions = cautions_for(conditions, technique.cautions)
        script_steps.append(
            {
                "technique": technique.slug,
                "name": technique.name,
                "summary": technique.summary,
                "side": step.side,
                "duration": step.duration,
                "cues": step_cues(
                    name=technique.name,
                    side=step.side,
                    duration=step.duration,
                    default_duration=technique.default_duration,
                    cues=technique.cues,
                    cautions=cautions,
                ),
            }
        )
    first = script_steps[0]["name"] if script_steps else "the routine"
    purpose = routine.purpose if routine is not None else None
    bedtime = purpose == BEDTIME
    return {
        "routine": routine.slug if routine else None,
        "routineName": routine.name if routine else "Tonight's routine",
        "leadIn": LEAD_IN_SECONDS,
        "leadInCue": f"Get ready. First: {first}. We start in {LEAD_IN_SECONDS} seconds.",
        "bedtime": bedtime,
        "endCue": end_cue(purpose),
        "steps": script_steps,
    }
