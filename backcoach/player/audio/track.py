"""A routine's script as an audio track: each cue spoken at its time, a soft chime at each
step change, silence between, and the routine's own ending; then an MP3.

Pure Python, no Django. The track follows the web player's rules (static/js/player.js): the
timeline is the lead-in, then each step back to back; a chime as each step begins; a cue
that is due while the one before is still being spoken waits for it, as the browser's
speech queue makes it wait; a bedtime routine ends on its last cue and fades out, with no
chime and no closing words; any other routine closes with a chime and its `endCue`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

import lameenc
import numpy as np

from .voices import Speaker, Speech

# Part of every track's name: changing how tracks are mixed or encoded must change this,
# so that no track made the old way is served as the new.
TRACK_FORMAT = 1
SAMPLE_RATE = 22050
# Constant bit rate, because a browser finds a position in a CBR file exactly (Safari
# estimates one in a VBR file without a seek table, and the player's timer follows the
# position). 32 kbit/s at 22.05 kHz mono keeps speech clear: 5 minutes are 1.2 MB.
BIT_RATE_KBPS = 32
LAME_QUALITY = 2  # 0 best and slowest, 9 worst; 2 costs a fraction of a second here
VOICE_PEAK = 0.8
CHIME_PEAK = 0.22
# The web player's chime: two sine tones, a sixth apart, dying away over 1.2 s.
CHIME_TONES = ((660.0, 0.0), (880.0, 0.18))
CHIME_SECONDS = 1.2
# Below this share of a cue's loudest sample, its start and end are silence to trim, so
# that its first word starts at its time.
SILENCE_SHARE = 0.02
KEEP_BEFORE_SECONDS = 0.005
KEEP_AFTER_SECONDS = 0.05
SPEECH_GAP_SECONDS = 0.3  # between a cue that ran long and the next, which waits for it
CLOSING_TAIL_SECONDS = 1.5
FADE_SECONDS = 4.0


def spoken_script(script: dict) -> dict:
    """What a player script says, and when: the parts of it that reach the ear (a step's
    name and summary are shown, and said only in its cues). The person's cautions are in
    their steps' cues."""
    return {
        "routine": script.get("routine"),
        "leadIn": script["leadIn"],
        "leadInCue": script["leadInCue"],
        "bedtime": bool(script.get("bedtime")),
        "endCue": script.get("endCue") or "",
        "steps": [
            {
                "duration": step["duration"],
                "cues": [{"at": cue["at"], "say": cue["say"]} for cue in step["cues"]],
            }
            for step in script["steps"]
        ],
    }


def track_key(spoken: dict, voice_name: str, *, salt: bytes = b"") -> str:
    """The track's name: a hash of what it says, the voice and the format. Keyed with a
    secret `salt`, so that nobody outside the server can compute a name from routines and
    conditions they guess (and learn that someone with those conditions played one)."""
    content = json.dumps(
        {"format": TRACK_FORMAT, "voice": voice_name, "script": spoken},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return hmac.new(salt, content, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Cue:
    at: float  # seconds from the start of the track
    say: str


@dataclass(frozen=True)
class Plan:
    """When each thing is heard: cues at their times, chimes as steps begin, the end."""

    cues: tuple[Cue, ...]
    chimes: tuple[float, ...]
    total: float  # where the routine's timeline ends
    closing: str  # said after `total`, after a chime; empty at bedtime
    bedtime: bool


def track_plan(spoken: dict) -> Plan:
    cues = [Cue(0.0, spoken["leadInCue"])]
    chimes = []
    cursor = float(spoken["leadIn"])
    for step in spoken["steps"]:
        chimes.append(cursor)
        cues += [Cue(cursor + cue["at"], cue["say"]) for cue in step["cues"]]
        cursor += step["duration"]
    bedtime = spoken["bedtime"]
    closing = "" if bedtime else spoken["endCue"]
    if not bedtime and spoken["steps"]:
        chimes.append(cursor)
    return Plan(tuple(cues), tuple(chimes), cursor, closing, bedtime)


@dataclass(frozen=True)
class Placed:
    """A cue as it lands in the track: planned and actual start, and its end."""

    planned: float
    start: float
    end: float
    say: str


@dataclass(frozen=True)
class Mixed:
    samples: np.ndarray  # float32, mono, SAMPLE_RATE
    placed: tuple[Placed, ...]

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def mix(plan: Plan, speaker: Speaker) -> Mixed:
    """The track's samples: each cue spoken by `speaker` at its time (or as soon as the one
    before has finished), the chimes, and the ending."""
    rate = SAMPLE_RATE
    lines: list[tuple[Cue, np.ndarray]] = [(cue, voiced(speaker.say(cue.say))) for cue in plan.cues]
    closing = voiced(speaker.say(plan.closing)) if plan.closing else None

    placed: list[Placed] = []
    free_from = 0.0  # when the voice is free again
    for cue, samples in lines:
        start = max(cue.at, free_from + SPEECH_GAP_SECONDS if placed else 0.0)
        end = start + len(samples) / rate
        placed.append(Placed(cue.at, start, end, cue.say))
        free_from = end
    if closing is not None:
        start = max(plan.total, free_from + SPEECH_GAP_SECONDS)
        placed.append(Placed(plan.total, start, start + len(closing) / rate, plan.closing))
        lines.append((Cue(plan.total, plan.closing), closing))
        free_from = placed[-1].end
        end = free_from + CLOSING_TAIL_SECONDS
    elif plan.bedtime:
        # The last cue, then a fade to nothing: never over the last words themselves.
        end = max(plan.total, free_from + FADE_SECONDS)
    else:
        end = max(plan.total, free_from + CLOSING_TAIL_SECONDS)

    samples = np.zeros(round(end * rate), dtype=np.float32)
    chime = chime_samples()
    for at in plan.chimes:
        add(samples, chime, at)
    for where, (_, line) in zip(placed, lines, strict=True):
        add(samples, line, where.start)
    if plan.bedtime:
        fade = min(len(samples), round(FADE_SECONDS * rate))
        samples[len(samples) - fade :] *= np.cos(np.linspace(0, np.pi / 2, fade)) ** 2
    np.clip(samples, -1.0, 1.0, out=samples)
    return Mixed(samples, tuple(placed))


def voiced(speech: Speech) -> np.ndarray:
    """A cue's samples at the track's rate and loudness, without the silence around them."""
    samples = np.asarray(speech.samples, dtype=np.float32)
    if speech.sample_rate != SAMPLE_RATE and len(samples):
        length = round(len(samples) * SAMPLE_RATE / speech.sample_rate)
        samples = np.interp(
            np.linspace(0, len(samples) - 1, length), np.arange(len(samples)), samples
        ).astype(np.float32)
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak <= 0:
        return np.zeros(0, dtype=np.float32)
    loud = np.flatnonzero(np.abs(samples) >= peak * SILENCE_SHARE)
    first = max(0, loud[0] - round(KEEP_BEFORE_SECONDS * SAMPLE_RATE))
    last = min(len(samples), loud[-1] + 1 + round(KEEP_AFTER_SECONDS * SAMPLE_RATE))
    return samples[first:last] * (VOICE_PEAK / peak)


def chime_samples() -> np.ndarray:
    """A soft two-tone chime: each tone rises in 30 ms and dies away exponentially."""
    length = round(CHIME_SECONDS * SAMPLE_RATE)
    t = np.arange(length) / SAMPLE_RATE
    chime = np.zeros(length, dtype=np.float64)
    for frequency, delay in CHIME_TONES:
        since = t - delay
        envelope = np.where(
            since < 0, 0.0, np.minimum(since / 0.03, 1.0) * np.exp(-np.maximum(since, 0) * 5)
        )
        chime += envelope * np.sin(2 * np.pi * frequency * np.maximum(since, 0))
    return (chime * (CHIME_PEAK / np.max(np.abs(chime)))).astype(np.float32)


def add(samples: np.ndarray, sound: np.ndarray, at: float) -> None:
    """Mixes `sound` into `samples` from `at` seconds, cut at the end of the track."""
    start = round(at * SAMPLE_RATE)
    stop = min(len(samples), start + len(sound))
    if start < stop:
        samples[start:stop] += sound[: stop - start]


def mp3(samples: np.ndarray) -> bytes:
    """The samples as a mono, constant-bit-rate MP3 (lameenc: LAME in a wheel, so no
    system encoder is needed)."""
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BIT_RATE_KBPS)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_out_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(LAME_QUALITY)
    return bytes(encoder.encode(pcm)) + bytes(encoder.flush())


def render(spoken: dict, speaker: Speaker) -> bytes:
    """The whole track, as MP3 bytes."""
    return mp3(mix(track_plan(spoken), speaker).samples)
