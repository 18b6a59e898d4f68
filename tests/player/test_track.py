"""The audio track, rendered and read back: every cue heard at its time, chimes as steps
begin, the routine's own ending, an MP3 a phone plays, and a name for what it says.

The voice here is a fake one that says every cue as a tone burst of known pitch and length,
so that where "speech" starts is exact; tests/player/test_track_voices.py renders with the
real voices.
"""

import miniaudio
import numpy as np
import pytest

from backcoach.player.audio import track
from tests.player.audio_helpers import (
    CHIME_PITCHES,
    FAKE_PITCH,
    ToneSpeaker,
    band_level,
    burst_seconds,
    decode,
    library_script,
    onsets,
)

ONSET_TOLERANCE = 0.150
BEDTIME = "bedtime-back-self-massage"  # 10 s lead-in and 5 minutes of massage
DESK = "desk-break"


def cue_times(spoken: dict) -> list[float]:
    """Every cue's time in the routine: the lead-in's, then each step's from its start."""
    times = [0.0]
    cursor = spoken["leadIn"]
    for step in spoken["steps"]:
        times += [cursor + cue["at"] for cue in step["cues"]]
        cursor += step["duration"]
    return times


def step_starts(spoken: dict) -> list[float]:
    starts, cursor = [], spoken["leadIn"]
    for step in spoken["steps"]:
        starts.append(cursor)
        cursor += step["duration"]
    return starts


def routine_seconds(spoken: dict) -> float:
    return spoken["leadIn"] + sum(step["duration"] for step in spoken["steps"])


@pytest.fixture(scope="module")
def bedtime():
    """The default bedtime routine, as a person with a caution says it, rendered once."""
    spoken = track.spoken_script(library_script(BEDTIME, frozenset({"pregnancy"})))
    speaker = ToneSpeaker()
    mp3 = track.render(spoken, speaker)
    samples, decoded = decode(mp3)
    return spoken, speaker, mp3, samples, decoded


@pytest.fixture(scope="module")
def desk():
    spoken = track.spoken_script(library_script(DESK))
    mp3 = track.render(spoken, ToneSpeaker())
    samples, _ = decode(mp3)
    return spoken, mp3, samples


def speech_onsets(samples) -> list[float]:
    times, levels = band_level(samples, FAKE_PITCH)
    return onsets(times, levels, threshold=0.2, quiet_before=0.1)


def chime_onsets(samples) -> list[float]:
    times, levels = band_level(samples, CHIME_PITCHES[0])
    return onsets(times, levels, threshold=0.05, quiet_before=0.5)


def test_the_track_lasts_as_long_as_the_routine(bedtime):
    spoken, _, _, _, decoded = bedtime
    assert routine_seconds(spoken) == 310
    assert abs(decoded.duration - routine_seconds(spoken)) <= 1.0


def test_every_cue_is_heard_within_150_ms_of_its_time_and_nothing_else(bedtime):
    spoken, speaker, _, samples, _ = bedtime
    wanted = cue_times(spoken)
    heard = speech_onsets(samples)
    assert len(heard) == len(wanted), (heard, wanted)
    for at, onset in zip(wanted, heard, strict=True):
        assert abs(onset - at) <= ONSET_TOLERANCE, (at, onset)
    # In the words of the script, the person's caution among them, in its order.
    said = [spoken["leadInCue"]] + [cue["say"] for cue in spoken["steps"][0]["cues"]]
    assert speaker.said == said
    assert any(text.startswith("Take care:") for text in said)


def test_each_cue_is_spoken_whole_for_as_long_as_the_voice_says_it(bedtime):
    spoken, speaker, _, samples, _ = bedtime
    times, levels = band_level(samples, FAKE_PITCH)
    for at, text in zip(cue_times(spoken), speaker.said, strict=True):
        loud = times[(times >= at - 0.2) & (times <= at + burst_seconds(text) + 0.5)]
        loud = loud[levels[np.searchsorted(times, loud)] >= 0.2]
        assert abs((loud[-1] - loud[0]) - burst_seconds(text)) <= 0.05, text


def test_a_chime_rings_as_each_step_begins_and_none_at_a_bedtime_end(bedtime, desk):
    spoken, _, _, samples, _ = bedtime
    assert track.track_plan(spoken).chimes == tuple(step_starts(spoken))
    rung = chime_onsets(samples)
    assert len(rung) == len(step_starts(spoken)) == 1
    assert abs(rung[0] - step_starts(spoken)[0]) <= ONSET_TOLERANCE

    spoken, _, samples = desk
    rung = chime_onsets(samples)
    # Four steps, and the end of the routine: a desk break closes with a chime and words.
    wanted = [*step_starts(spoken), routine_seconds(spoken)]
    assert len(rung) == len(wanted) == 5
    for at, onset in zip(wanted, rung, strict=True):
        assert abs(onset - at) <= ONSET_TOLERANCE, (at, onset)


def test_a_bedtime_track_ends_on_its_last_cue_and_fades_to_nothing(bedtime):
    spoken, _, _, samples, _ = bedtime
    last_cue = cue_times(spoken)[-1]
    heard = speech_onsets(samples)
    assert heard[-1] == pytest.approx(last_cue, abs=ONSET_TOLERANCE)  # no closing words
    tail = samples[-round(0.5 * track.SAMPLE_RATE) :]
    assert np.max(np.abs(tail)) < 1e-3  # faded: nothing is cut off at the end


def test_a_bedtime_fade_never_falls_on_the_last_words():
    """A last cue near the end: the track runs on until its words and then the fade."""
    spoken = {
        "routine": "lights-out",
        "leadIn": 10,
        "leadInCue": "Get ready.",
        "bedtime": True,
        "endCue": "",
        "steps": [{"duration": 20, "cues": [{"at": 0, "say": "Rest."}, {"at": 19, "say": "Now."}]}],
    }
    mixed = track.mix(track.track_plan(spoken), ToneSpeaker())
    last = mixed.placed[-1]
    assert last.end > 30 - track.FADE_SECONDS
    assert mixed.seconds == pytest.approx(last.end + track.FADE_SECONDS, abs=0.01)
    # The last 20 ms of the words, before the bit of silence kept after them: not faded.
    end = round((last.end - track.KEEP_AFTER_SECONDS) * track.SAMPLE_RATE)
    words = mixed.samples[end - round(0.02 * track.SAMPLE_RATE) : end]
    assert np.max(np.abs(words)) == pytest.approx(track.VOICE_PEAK, rel=0.01)


def test_whatever_sounds_in_a_bedtime_tracks_last_seconds_dies_away():
    """A chime of a short last step rings into the end: it fades, and the track ends
    on nothing."""
    plan = track.Plan(
        cues=(track.Cue(0.0, "Rest."),), chimes=(8.0,), total=10.0, closing="", bedtime=True
    )
    mixed = track.mix(plan, ToneSpeaker())
    assert mixed.seconds == pytest.approx(10.0)
    chime = track.chime_samples()
    rate = track.SAMPLE_RATE
    for at, most in ((8.5, 0.35), (9.1, 0.15)):  # the fade began 4 s before the end
        heard = np.max(np.abs(mixed.samples[round(at * rate) :][:200]))
        rung = np.max(np.abs(chime[round((at - 8.0) * rate) :][:200]))
        assert heard < most * rung, at
    assert mixed.samples[-1] == 0


def test_another_routine_closes_with_its_words_after_the_routine(desk):
    spoken, _, samples = desk
    heard = speech_onsets(samples)
    assert len(heard) == len(cue_times(spoken)) + 1
    assert heard[-1] == pytest.approx(routine_seconds(spoken), abs=ONSET_TOLERANCE)
    closing = burst_seconds(spoken["endCue"])
    expected = routine_seconds(spoken) + closing + track.CLOSING_TAIL_SECONDS
    assert abs(len(samples) / track.SAMPLE_RATE - expected) <= 1.0


def test_a_cue_due_while_another_is_spoken_waits_for_it():
    long_words = " ".join(["word"] * 200)  # 4.3 s as the fake voice says it
    spoken = {
        "routine": None,
        "leadIn": 10,
        "leadInCue": "Get ready.",
        "bedtime": False,
        "endCue": "Done.",
        "steps": [
            {"duration": 30, "cues": [{"at": 0, "say": long_words}, {"at": 2, "say": "Hi."}]}
        ],
    }
    mixed = track.mix(track.track_plan(spoken), ToneSpeaker())
    first, second = mixed.placed[1], mixed.placed[2]
    assert first.start == pytest.approx(10.0)
    assert second.planned == 12
    assert second.start == pytest.approx(first.end + track.SPEECH_GAP_SECONDS)
    times, levels = band_level(mixed.samples, FAKE_PITCH)
    assert len(onsets(times, levels, threshold=0.2, quiet_before=0.1)) == 4  # never overlaid


def test_the_mp3_is_mono_constant_bit_rate_and_small(bedtime, desk):
    _, _, mp3, _, _ = bedtime
    info = miniaudio.mp3_get_info(mp3)
    assert (info.nchannels, info.sample_rate) == (1, track.SAMPLE_RATE)
    seconds = info.num_frames / info.sample_rate
    assert len(mp3) * 8 / seconds / 1000 == pytest.approx(track.BIT_RATE_KBPS, rel=0.01)
    assert len(mp3) <= 1.5e6  # five minutes, and a lead-in
    assert mp3[:2] == b"\xff\xf3"  # MPEG-2 layer III, no tag before it


def test_the_same_script_renders_to_the_same_bytes(bedtime):
    spoken, _, mp3, _, _ = bedtime
    assert track.render(spoken, ToneSpeaker()) == mp3


def test_the_name_changes_with_every_word_time_voice_and_caution():
    script = library_script(BEDTIME)
    spoken = track.spoken_script(script)
    name = track.track_key(spoken, "voice a", salt=b"s")
    assert name == track.track_key(
        track.spoken_script(library_script(BEDTIME)), "voice a", salt=b"s"
    )
    assert len(name) == 64 and set(name) <= set("0123456789abcdef")

    def changed(edit) -> str:
        copy = track.spoken_script(library_script(BEDTIME))
        edit(copy)
        return track.track_key(copy, "voice a", salt=b"s")

    others = {
        changed(lambda s: s["steps"][0]["cues"][1].update(say="Press harder.")),
        changed(lambda s: s["steps"][0]["cues"][1].update(at=s["steps"][0]["cues"][1]["at"] + 1)),
        changed(lambda s: s.update(routine="another")),
        changed(lambda s: s.update(leadInCue="Ready?")),
        changed(lambda s: s["steps"][0].update(duration=299)),
        track.track_key(spoken, "voice b", salt=b"s"),
        track.track_key(spoken, "voice a", salt=b"another installation"),
        track.track_key(
            track.spoken_script(library_script(BEDTIME, frozenset({"pregnancy"}))),
            "voice a",
            salt=b"s",
        ),
    }
    assert name not in others and len(others) == 8


def test_what_is_only_shown_does_not_change_the_name():
    script = library_script(BEDTIME)
    shown = {**script, "routineName": "Renamed", "apiUrl": "/x", "trackUrl": "/y"}
    shown["steps"] = [{**step, "summary": "Another summary."} for step in script["steps"]]
    assert track.spoken_script(shown) == track.spoken_script(script)


@pytest.mark.parametrize("module", ["track", "voices", "ranges"])
def test_the_track_is_made_and_cut_without_django(module):
    """Pure modules, like playback and timeline (tests/test_import_directions.py)."""
    from tests.test_import_directions import django_paths, source_imports

    assert django_paths(f"backcoach.player.audio.{module}", source_imports()) == []
