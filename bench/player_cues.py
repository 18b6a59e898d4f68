"""Player benchmark: the routine run at real speed; how late each spoken cue comes."""

from __future__ import annotations

import time

from browser import chromium, new_context, page_errors
from context import Context
from figures import BenchError, Figure, median
from player_page import open_player, player_session
from processes import HOST
from registry import benchmark

CUE_LATENESS_BUDGET_MS = 100.0

# What the page asks the browser to say, and when Start was pressed: a capturing listener
# on window runs before the button's own listener.
CUE_PROBE = """
(() => {
  // Measure the browser's own voice: with a recorded track ready the player plays that
  // instead (bench/audio.py measures the track).
  localStorage.setItem("backcoach.voice", JSON.stringify({recorded: false}));
  window.__spoken = [];
  window.__startAt = null;
  if ("speechSynthesis" in window) {
    const speak = speechSynthesis.speak.bind(speechSynthesis);
    speechSynthesis.speak = (utterance) => {
      window.__spoken.push({ text: utterance.text, t: performance.now() });
      try { speak(utterance); } catch (error) { window.__speakError = String(error); }
    };
  }
  // How long the page spends creating its AudioContext (player.js does so on Start).
  for (const name of ["AudioContext", "webkitAudioContext"]) {
    const Real = window[name];
    if (!Real) continue;
    window[name] = class extends Real {
      constructor(...args) {
        const before = performance.now();
        super(...args);
        (window.__audioContexts ||= []).push({ at: before, ms: performance.now() - before });
      }
    };
  }
  window.addEventListener("click", (event) => {
    if (window.__startAt === null && event.target.closest && event.target.closest("#start")) {
      window.__startAt = performance.now();
    }
  }, { capture: true });
})();
"""


def due_cues(script: dict) -> list[tuple[float, str, str]]:
    """(seconds after Start, text, label) of every cue, in time order."""
    cues = [(0.0, script["leadInCue"], "lead-in")]
    offset = float(script["leadIn"])
    for number, step in enumerate(script["steps"], start=1):
        for cue in step["cues"]:
            cues.append((offset + float(cue["at"]), cue["say"], f"step {number} at {cue['at']} s"))
        offset += float(step["duration"])
    return sorted(cues, key=lambda cue: cue[0])


def match_cues(
    expected: list[tuple[float, str, str]], spoken: list[dict], start_ms: float
) -> tuple[list[tuple[str, float]], list[str], list[str]]:
    """Pair each utterance with the earliest unmatched cue of the same words.

    Returns (label, lateness ms) of matched cues, utterances that repeat an already spoken
    cue, and utterances that are no cue of the script.
    """
    used = [False] * len(expected)
    matched: list[tuple[str, float]] = []
    repeated: list[str] = []
    unknown: list[str] = []
    for utterance in spoken:
        candidates = [i for i, cue in enumerate(expected) if cue[1] == utterance["text"]]
        free = [i for i in candidates if not used[i]]
        if not candidates:
            unknown.append(utterance["text"][:60])
            continue
        if not free:
            repeated.append(utterance["text"][:60])
            continue
        index = free[0]
        used[index] = True
        due, _, label = expected[index]
        matched.append((label, utterance["t"] - (start_ms + due * 1000)))
    return matched, repeated, unknown


@benchmark("cue_timing", suite="player")
def cue_timing(ctx: Context) -> list[Figure]:
    """Real-speed run of the routine: how late each cue is spoken after its due time."""
    port, cookie = player_session(ctx)
    base = f"http://{HOST}:{port}"
    window_s = ctx.n(60, 15)
    with chromium() as browser:
        context = new_context(browser, base, cookie, CUE_PROBE)
        try:
            page = context.new_page()
            errors = page_errors(page)
            open_player(page, base)
            script = page.evaluate(
                "JSON.parse(document.getElementById('routine-script').textContent)"
            )
            state = page.evaluate(
                "({visible: document.visibilityState, focus: document.hasFocus(),"
                " voices: 'speechSynthesis' in window ? speechSynthesis.getVoices().length : -1})"
            )
            ctx.say(f"cue timing: Start, then {window_s} s at real speed")
            page.click("#start")
            start_ms = page.evaluate("window.__startAt")
            if start_ms is None:
                raise BenchError("the click on Start was not seen by the probe")
            deadline = time.monotonic() + window_s + 30
            while time.monotonic() < deadline:  # let window_s + 1 s pass in the page's clock
                left = start_ms + (window_s + 1) * 1000 - page.evaluate("performance.now()")
                if left <= 0:
                    break
                page.wait_for_timeout(min(left, 5000))
            spoken = page.evaluate("window.__spoken")
            phase = page.evaluate("document.getElementById('player').dataset.phase")
            speak_error = page.evaluate("window.__speakError ?? null")
            audio = page.evaluate("window.__audioContexts ?? []")
        finally:
            context.close()

    for error in dict.fromkeys(errors):
        ctx.problems.append(f"cue_timing: {error}")
    expected = [cue for cue in due_cues(script) if cue[0] <= window_s]
    later = [cue for cue in due_cues(script) if cue[0] > window_s]
    in_window = [u for u in spoken if u["t"] <= start_ms + (window_s + 1) * 1000]
    matched, repeated, unknown = match_cues(due_cues(script), in_window, start_ms)
    if not matched:
        raise BenchError(
            f"no cue was spoken in {window_s} s (phase {phase!r}, {len(spoken)} utterances)"
        )
    lateness = [ms for _, ms in matched]
    worst_label, worst = max(matched, key=lambda pair: pair[1])
    spoken_labels = {label for label, _ in matched}
    missed = [cue[2] for cue in expected if cue[2] not in spoken_labels]
    # The lead-in cue is spoken as the player's clock starts; measured from it, what is left
    # is the ticking's own lateness.
    lead_in = dict(matched).get("lead-in")
    after_lead_in = [ms - lead_in for label, ms in matched if label != "lead-in"] if lead_in else []
    audio_made = [a for a in audio if start_ms <= a["at"] <= start_ms + 5000]
    first_spoken = min((u["t"] for u in in_window), default=None)
    notes = [
        "per cue, ms: " + ", ".join(f"{label} {ms:.0f}" for label, ms in matched),
        f"{len(expected)} cues due in the first {window_s} s, {len(matched)} spoken"
        + (f", not spoken: {', '.join(missed)}" if missed else ""),
        f"page visible={state['visible']}, focused={state['focus']}, "
        f"speech voices={state['voices']}",
    ]
    if audio_made:
        before = first_spoken is not None and audio_made[0]["at"] < first_spoken
        notes.append(
            f"Start's handler spent {sum(a['ms'] for a in audio_made):.0f} ms creating its "
            f"AudioContext, {'before' if before else 'after'} the first cue was spoken"
        )
    if unknown:
        notes.append("utterances not in the script: " + " | ".join(unknown))
    if speak_error:
        notes.append(f"the real speechSynthesis.speak threw: {speak_error}")
    if phase != "running":
        notes.append(f"player phase at the end: {phase}")
    if later:
        notes.append(f"next cue due at {later[0][0]:.0f} s")
    tick_figures = []
    if after_lead_in:
        tick_figures.append(
            Figure(
                "player.cues.max_lateness_after_lead_in",
                "the same, largest, measured from the lead-in cue (the player's clock start) "
                "instead of the click",
                max(after_lead_in),
                "ms",
                len(after_lead_in),
                note=f"lead-in cue spoken {lead_in:.0f} ms after the click; "
                f"median {median(after_lead_in):.0f} ms, min {min(after_lead_in):.0f} ms",
            )
        )
    return [
        Figure(
            "player.cues.max_lateness",
            "cue spoken after its due time (Start click + due), real speed, "
            f"first {window_s} s: largest",
            worst,
            "ms",
            len(lateness),
            budget=CUE_LATENESS_BUDGET_MS,
            note=f"largest: {worst_label}; " + "; ".join(notes),
        ),
        Figure(
            "player.cues.median_lateness",
            "the same, median",
            median(lateness),
            "ms",
            len(lateness),
            note=f"min {min(lateness):.0f} ms",
        ),
        *tick_figures,
        Figure(
            "player.cues.repeated",
            "utterances repeating a cue already spoken",
            len(repeated),
            "cues",
            len(in_window),
            budget=0,
            note=" | ".join(repeated)
            if repeated
            else f"{len(in_window)} utterances, each cue once",
        ),
    ]
