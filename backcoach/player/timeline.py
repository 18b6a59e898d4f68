"""The routine as a timeline: which step is running at a moment, and which cues are due.

The terminal player uses it; the web player's copy (static/js/player/timeline.js) is held
to the same test vectors (tests/player/timeline_vectors.json): a cue is spoken once; after
a gap (a paused process, a slow terminal) only the latest due cue of the current step is
spoken, and cues of steps passed over stay silent.

Cues the clock ran past unsaid are *skipped*, and the practice records them; cues of a
step the person skipped (or a seek jumped over) were never due, and are not.
"""

from dataclasses import dataclass, field

STALE_CUE_SECONDS = 20


@dataclass
class Segment:
    kind: str  # "lead-in" or "step"
    start: float
    end: float
    cues: list[dict]
    step: dict | None = None
    index: int = -1


@dataclass
class Timeline:
    segments: list[Segment]
    spoken: list[set[int]] = field(default_factory=list)
    # (segment, cue) of each cue skipped, and the moment the clock was last read at.
    skipped: set[tuple[int, int]] = field(default_factory=set)
    heard: float = float("-inf")

    @classmethod
    def from_script(cls, script: dict) -> "Timeline":
        segments = [
            Segment("lead-in", 0, script["leadIn"], [{"at": 0, "say": script["leadInCue"]}])
        ]
        cursor = script["leadIn"]
        for index, step in enumerate(script["steps"]):
            segments.append(
                Segment("step", cursor, cursor + step["duration"], step["cues"], step, index)
            )
            cursor += step["duration"]
        return cls(segments, [set() for _ in segments])

    @property
    def total(self) -> float:
        return self.segments[-1].end

    def segment_at(self, seconds: float) -> int:
        """The index of the segment running at `seconds`; len(segments) once it is over."""
        for index, segment in enumerate(self.segments):
            if seconds < segment.end:
                return index
        return len(self.segments)

    def due(self, seconds: float) -> str | None:
        """The cue to speak now, if any; marks every cue up to now as spoken, and those
        the clock ran past since it was last read as skipped."""
        index = self.segment_at(seconds)
        for earlier in range(min(index, len(self.segments))):
            segment = self.segments[earlier]
            for i, cue in enumerate(segment.cues):
                if i not in self.spoken[earlier] and segment.start + cue["at"] > self.heard:
                    self.skipped.add((earlier, i))
            self.spoken[earlier].update(range(len(segment.cues)))
        self.heard = seconds
        if index >= len(self.segments):
            return None
        segment = self.segments[index]
        into = seconds - segment.start
        waiting = [
            i
            for i, cue in enumerate(segment.cues)
            if cue["at"] <= into and i not in self.spoken[index]
        ]
        if not waiting:
            return None
        self.spoken[index].update(waiting)
        latest = segment.cues[waiting[-1]]
        fresh = latest["at"] == 0 or into - latest["at"] <= STALE_CUE_SECONDS
        # A caution for the person's health condition is said however late: it is safety,
        # not pacing. Other late cues are skipped.
        said = [i for i in waiting if segment.cues[i].get("caution")]
        if fresh and waiting[-1] not in said:
            said.append(waiting[-1])
        self.skipped.update((index, i) for i in waiting if i not in said)
        words = [segment.cues[i]["say"] for i in said]
        name = segment.step.get("name") if segment.kind == "step" else None
        if name and waiting[0] == 0 and 0 not in said:
            # Woken in a step whose first cue went unsaid: its name at least, so the
            # person knows where they are.
            side = segment.step.get("side", "both")
            words.insert(0, f"{name}{'' if side == 'both' else f', {side} side'}.")
        return " ".join(words) or None

    def seek(self, seconds: float) -> float:
        """Move the clock to `seconds` at the person's wish (skip): the cues it jumps over
        were never due, so they are not skipped cues."""
        self.heard = seconds
        return seconds

    def restart_from(self, index: int) -> float:
        """Go back to the start of a segment; its cues and later ones may be spoken again."""
        for later in range(index, len(self.segments)):
            self.spoken[later].clear()
        return self.seek(self.segments[index].start)

    def skipped_cues(self) -> list[dict]:
        """The steps' cues skipped so far, as a practice records them: the step's number
        (from 1), the cue's moment in it and its words."""
        return [
            {"step": segment.index + 1, "at": cue["at"], "say": cue["say"]}
            for number, segment in enumerate(self.segments)
            if segment.kind == "step"
            for i, cue in enumerate(segment.cues)
            if (number, i) in self.skipped
        ]
