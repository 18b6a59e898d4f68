"""The routine as a timeline: which step is running at a moment, and which cues are due.

The terminal player uses it; the web player (static/js/player.js) follows the same rules:
a cue is spoken once; after a gap (a paused process, a slow terminal) only the latest due
cue of the current step is spoken, and cues of steps passed over stay silent.
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
        """The cue to speak now, if any; marks every cue up to now as spoken."""
        index = self.segment_at(seconds)
        for earlier in range(min(index, len(self.segments))):
            self.spoken[earlier].update(range(len(self.segments[earlier].cues)))
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
        if latest["at"] == 0 or into - latest["at"] <= STALE_CUE_SECONDS:
            return latest["say"]
        return None

    def restart_from(self, index: int) -> float:
        """Go back to the start of a segment; its cues and later ones may be spoken again."""
        for later in range(index, len(self.segments)):
            self.spoken[later].clear()
        return self.segments[index].start
