// The hands-free player: the page's entry module, which wires the parts in player/ and
// runs the loop. Every cue is spoken at most once (player/timeline.js, the same rules as
// the terminal player's); time comes from a monotonic clock (player/clock.js).
//
// With an audio track (script.trackUrl: the routine rendered on the server, cues, chimes
// and all) the track speaks instead, and its position is the clock (player/track.js). The
// page then shows what the track is at, seeks in it for skip and back, and records what it
// played. A track that cannot play (offline and never kept) gives way to the browser's
// speech (player/voice.js).
import { Clock } from "./player/clock.js";
import { loadPrefs, newId, ScreenAwake } from "./player/device.js";
import { Screen, stepCount } from "./player/screen.js";
import { Timeline } from "./player/timeline.js";
import { askForTrack, Track, unload } from "./player/track.js";
import { practiceSave, ratingSave } from "./player/upload.js";
import { setUpVoiceSettings, Voice } from "./player/voice.js";

const TICK_MS = 250;
const script = JSON.parse(document.getElementById("routine-script").textContent);
const root = document.getElementById("player");
const $ = (id) => document.getElementById(id);

const timeline = new Timeline(script, script.limits);
const clock = new Clock();
const prefs = loadPrefs();
const voice = new Voice(prefs);
const screen = new Screen(root, script, playing);
const awake = new ScreenAwake(screenOn);
const practice = {
  id: newId(),
  startedAt: null,
  endedAt: null,
  status: null,
  ratings: { pain_before: null, tension_before: null, pain_after: null, tension_after: null },
};
// The loop: the segment entered last (-2: enter it again), the position read last (s), the
// timer, and the track while the track is what plays.
const loop = { current: -1, lastAt: 0, timer: null, track: null };

// --- What plays, and whether the screen stays on ----------------------------------------
// By default the screen is kept on for the browser's speech, which stops when the phone
// locks, and not for the track, which plays on.
function willPlayTrack() {
  if (practice.startedAt) return loop.track !== null;
  return Boolean(script.trackUrl) && prefs.recorded && !prefs.mute;
}

function screenOn() {
  return prefs.screenOn ?? !willPlayTrack();
}

function position() {
  return loop.track ? loop.track.now() : clock.now();
}

function playing() {
  return loop.track ? !loop.track.paused : clock.running;
}

function seekTo(seconds) {
  if (loop.track) loop.track.seek(seconds);
  else clock.jump(seconds);
  loop.lastAt = position();
}

function say(words) {
  screen.cue(words);
  voice.speak(words);
}

// --- The loop ----------------------------------------------------------------------------
function tick() {
  if (!screen.running) return;
  const track = loop.track;
  const now = position();
  const index = timeline.segmentAt(now);
  const over = index >= timeline.segments.length;
  // The track's position moves only while it plays, and a seek resets lastAt: whatever
  // it moved on by was heard.
  if (track ? now > loop.lastAt : clock.running) timeline.credit(loop.lastAt, now);
  if (track && over) practice.endedAt = track.reachedAt(now);
  loop.lastAt = now;
  track?.heardAt(now);
  if (!over && index !== loop.current) enter(index);
  const words = timeline.due(now); // also notes the cues the clock ran past unsaid
  if (over) {
    finish("completed");
    return;
  }
  if (words) say(words);
  screen.render(timeline.segments[index], now, timeline.total);
}

function enter(index) {
  if (loop.current !== -1 && index > 0) voice.chime();
  loop.current = index;
  const segment = timeline.segments[index];
  screen.enter(segment, timeline.segments[index + 1]);
  loop.track?.showOnLockScreen({
    title: segment.kind === "step" ? segment.step.name : "Get ready",
    artist: segment.kind === "step" ? stepCount(segment, script.steps.length) : "backcoach",
    album: script.routineName,
  });
}

// --- Controls ----------------------------------------------------------------------------
function start() {
  if (practice.startedAt) return; // a second tap on Start changes nothing
  $("start").disabled = true;
  // Decided now: "Silent" or another voice may have been chosen since the page loaded.
  if (willPlayTrack()) {
    loop.track = new Track($("track"), script.trackUrl, {
      tick,
      ended: trackEnded,
      seeking: () => (loop.lastAt = position()),
      playState: showPlaying,
      fail: fallBackToSpeech,
      pauseOrResume: pause,
      skip,
      back,
    });
  }
  voice.trackSpeaks = loop.track !== null;
  timeline.recordsSkips = loop.track === null; // the track says every cue
  // The clock starts first, so that the first cue is spoken at once; the audio context for
  // the chimes can take a moment to create, and is first needed at the next step.
  practice.startedAt = new Date();
  if (!loop.track) clock.run();
  screen.show("running");
  loop.track?.start();
  tick();
  loop.timer = setInterval(() => {
    tick();
    loop.track?.watch(screen.running);
  }, TICK_MS);
  awake.keep();
  screen.wake();
  if (!loop.track) voice.prepareChime();
}

function pause() {
  if (!screen.running) return;
  const track = loop.track;
  if (track) {
    // The buttons follow the track's own play and pause events (showPlaying), which the
    // lock screen's buttons cause too.
    if (track.paused) {
      track.resume();
    } else {
      tick();
      track.pause();
    }
    return;
  }
  if (clock.running) {
    tick();
    clock.hold();
    screen.showPaused(true);
    voice.hush();
    screen.cue("Paused.");
  } else {
    clock.run();
    loop.lastAt = clock.now();
    screen.showPaused(false);
    say("Resuming.");
    awake.keep();
  }
  screen.wake();
}

function skip() {
  if (!screen.running) return;
  tick();
  const segment = timeline.segments[loop.current];
  if (segment) {
    seekTo(timeline.seek(segment.end));
    tick();
  }
}

function back() {
  if (!screen.running) return;
  tick();
  if (!timeline.segments[loop.current]) return;
  seekTo(timeline.restartFrom(timeline.backFrom(loop.current, position())));
  loop.current = -2;
  tick();
}

function finish(status) {
  if (practice.status) return;
  practice.status = status;
  practice.endedAt ??= new Date();
  clearInterval(loop.timer);
  screen.stopQuiet();
  clock.hold();
  awake.release();
  // A bedtime routine ends in quiet: no chime, no closing words, and its last cue is left to
  // finish; the practice is saved below without a tap, and the page asks nothing.
  if (loop.track) {
    // Completed, the track plays on to its own end: the closing words, or the fade.
    if (status !== "completed" || loop.track.ended) loop.track.unload();
  } else if (status !== "completed") {
    voice.hush();
  } else if (!script.bedtime) {
    voice.chime();
    if (script.endCue) say(script.endCue);
  }
  screen.show("after");
  $("after-title").textContent = status !== "completed" ? "Stopped early" : script.bedtime ? "Sleep well" : "Well done";
  practiceSave(practice, script, timeline).then((words) => ($("save-status").textContent = words));
}

// --- The track's events ------------------------------------------------------------------
function trackEnded() {
  tick();
  if (screen.running) {
    timeline.credit(loop.lastAt, timeline.total); // a track a hair shorter than the routine still ends it
    finish("completed");
  }
  unload($("track"), fallBackToSpeech);
}

function showPlaying() {
  const track = loop.track;
  if (!screen.running || !track) return;
  screen.showPaused(track.paused);
  track.showPlayState();
  if (track.paused) screen.cue("Paused.");
  else awake.keep();
  screen.wake();
}

// The track failed (offline and never kept, or the session ended): the browser speaks
// from where the track was, with the same rules as when a tab slept.
function fallBackToSpeech() {
  const track = loop.track;
  if (!track || !screen.running) return;
  const at = track.now();
  track.unload();
  loop.track = null;
  voice.trackSpeaks = false;
  timeline.recordsSkips = true;
  timeline.unsayFrom(Math.max(loop.current, 0));
  clock.jump(at);
  clock.run();
  loop.lastAt = clock.now();
  loop.current = -2; // enter again, with a chime from the browser at the next step
  voice.prepareChime();
  awake.keep();
  screen.showPaused(false);
  tick();
}

// --- Wiring ------------------------------------------------------------------------------
screen.setUpScale("pain-before", (v) => (practice.ratings.pain_before = v));
screen.setUpScale("tension-before", (v) => (practice.ratings.tension_before = v));
for (const [scale, field] of [
  ["pain-after", "pain_after"],
  ["tension-after", "tension_after"],
]) {
  screen.setUpScale(scale, (value) => {
    practice.ratings[field] = value;
    ratingSave(practice, script, field, value).then((words) => ($("after-status").textContent = words));
  });
}
setUpVoiceSettings({ prefs, trackOffered: Boolean(script.trackUrl), screenOn });
askForTrack(script.trackRequestUrl);

$("start").addEventListener("click", start);
$("pause").addEventListener("click", pause);
$("skip").addEventListener("click", skip);
$("back").addEventListener("click", back);
$("end").addEventListener("click", () => finish("abandoned"));

for (const kind of ["pointerdown", "keydown", "focusin"]) {
  document.addEventListener(kind, () => screen.running && screen.wake());
}

document.addEventListener("keydown", (event) => {
  if (!screen.running || event.altKey || event.ctrlKey || event.metaKey) return;
  const actions = { " ": pause, ArrowRight: skip, ArrowLeft: back, Escape: () => finish("abandoned") };
  const action = actions[event.key];
  if (action && !(event.key === " " && event.target.tagName === "BUTTON")) {
    event.preventDefault();
    action();
  }
});

document.addEventListener("visibilitychange", () => {
  if (!screen.running) return;
  if (document.visibilityState === "visible") {
    tick(); // catch up at once after the tab slept
    if (playing()) awake.keep();
  }
});

root.dataset.ready = "true";
