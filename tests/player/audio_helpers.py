"""For the audio track's tests: a fake voice whose every cue is a tone burst of known pitch
and length (so that where speech starts is exact), the real routines as scripts, and
reading an MP3 back into samples."""

from types import SimpleNamespace

import miniaudio
import numpy as np

from backcoach.library import content
from backcoach.player import playback
from backcoach.player.audio import track
from backcoach.player.audio.voices import Speech

FAKE_PITCH = 250.0  # far from the chime's 660 and 880 Hz
CHIME_PITCHES = (660.0, 880.0)


def burst_seconds(text: str) -> float:
    return 0.3 + 0.02 * len(text.split())


class ToneSpeaker:
    """Speaks each cue as a sine burst: 0.3 s plus 20 ms a word, preceded and followed by
    silence (which the mixer must trim), at a sample rate other than the track's."""

    sample_rate = 16000

    def __init__(self):
        self.said: list[str] = []

    def say(self, text: str) -> Speech:
        self.said.append(text)
        rate = self.sample_rate
        t = np.arange(round(burst_seconds(text) * rate)) / rate
        tone = 0.5 * np.sin(2 * np.pi * FAKE_PITCH * t)
        silence = np.zeros(round(0.2 * rate))
        return Speech(np.concatenate([silence, tone, silence]).astype(np.float32), rate)


class ToneVoice:
    name = "tone bursts (tests)"

    def __init__(self):
        self.speaker = ToneSpeaker()

    def open(self):
        return self.speaker


def library_script(slug: str, conditions: frozenset[str] = frozenset()) -> dict:
    """The player's script of a routine in the content files, without a database."""
    library = content.load_library()
    techniques = {t.slug: t.as_record() for t in library.techniques}
    routine = next(r for r in library.routines if r.slug == slug)
    steps = [
        SimpleNamespace(
            technique=SimpleNamespace(**techniques[step.technique]),
            side=step.side,
            duration=step.duration,
        )
        for step in routine.steps
    ]
    return playback.routine_script(
        routine=SimpleNamespace(slug=routine.slug, name=routine.name, purpose=routine.purpose),
        steps=steps,
        conditions=conditions,
    )


def decode(mp3: bytes) -> tuple[np.ndarray, miniaudio.DecodedSoundFile]:
    """The MP3's samples as floats, as a browser would decode them (no resampling)."""
    info = miniaudio.mp3_get_info(mp3)
    decoded = miniaudio.decode(
        mp3,
        output_format=miniaudio.SampleFormat.SIGNED16,
        nchannels=info.nchannels,
        sample_rate=info.sample_rate,
    )
    samples = np.frombuffer(decoded.samples, dtype=np.int16).astype(np.float32) / 32768
    return samples, decoded


def band_level(samples: np.ndarray, pitch: float, window: float = 0.02):
    """How loud `pitch` is (as a sine's peak amplitude) in windows every 5 ms: the windows'
    middles in seconds, and the levels."""
    rate = track.SAMPLE_RATE
    size, hop = round(window * rate), round(0.005 * rate)
    t = np.arange(len(samples)) / rate
    sums = np.concatenate([[0], np.cumsum(samples * np.exp(-2j * np.pi * pitch * t))])
    starts = np.arange(0, len(samples) - size, hop)
    return (starts + size / 2) / rate, 2 * np.abs(sums[starts + size] - sums[starts]) / size


def rms_level(samples: np.ndarray, window: float = 0.01):
    """Loudness (RMS) of each 10 ms frame: the frames' starts in seconds, and the levels."""
    size = round(window * track.SAMPLE_RATE)
    frames = samples[: len(samples) // size * size].reshape(-1, size)
    return np.arange(len(frames)) * window, np.sqrt(np.mean(frames**2, axis=1))


def onsets(times, levels, *, threshold: float, quiet_before: float) -> list[float]:
    """Where sound starts, in seconds: the first time above `threshold` after at least
    `quiet_before` seconds below it (or since the start)."""
    found = []
    quiet_since = -np.inf  # the track's start counts as after a long quiet
    loud = False
    for at, level in zip(times, levels, strict=True):
        if level >= threshold:
            if not loud and at - quiet_since >= quiet_before:
                found.append(float(at))
            loud = True
        elif loud:
            loud = False
            quiet_since = at
    return found
