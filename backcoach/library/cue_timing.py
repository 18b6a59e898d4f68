"""When a step's cues may be spoken: the timing rules every step keeps, whatever its
length. The content loader holds techniques to them and the players time cues by them.
Pure Python.
"""

# The timing rules every step's cues keep, whatever its length: a cue is a sentence or
# two, so two cues are at least CUE_GAP seconds apart, and the last one starts at least
# END_CLEARANCE seconds before the step ends (before the chime and the next step's name).
# The content files write their cues for the default length and keep these rules there;
# library.content refuses a technique whose shortest length cannot hold its cues.
CUE_GAP = 5
END_CLEARANCE = 5


def cue_capacity(duration: int) -> int:
    """How many cues a step of `duration` seconds holds under the timing rules."""
    return max(0, duration - END_CLEARANCE) // CUE_GAP + 1


def fit_times(targets: list[int], duration: int) -> list[int]:
    """Moments as near `targets` (in order, the first at 0) as the timing rules allow.

    A cue pushed later by the one before it moves on; one that would end too late pulls
    the cues before it earlier. Needs len(targets) <= cue_capacity(duration)."""
    last = max(0, duration - END_CLEARANCE)
    fitted: list[int] = []
    for target in targets:
        fitted.append(0 if not fitted else max(target, fitted[-1] + CUE_GAP))
    limit = last
    for index in range(len(fitted) - 1, 0, -1):
        fitted[index] = min(fitted[index], limit)
        limit = fitted[index] - CUE_GAP
    return fitted
