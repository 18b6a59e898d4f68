// The hands-free player. Time comes from a monotonic clock (performance.now()), never from
// counting timer ticks: a throttled or backgrounded tab catches up on its next tick, and
// every cue is spoken at most once.
//
// With an audio track (script.trackUrl: the routine rendered on the server, cues, chimes
// and all) the track speaks instead, and its position is the clock: it keeps playing with
// the phone locked, when the page's timers and the browser's speech stop. The page then
// shows what the track is at, seeks in it for skip and back, and records what it played.
// A track that cannot play (offline and never kept) gives way to the browser's speech.
import { submit } from "./sync.js";

const script = JSON.parse(document.getElementById("routine-script").textContent);
const root = document.getElementById("player");
const $ = (id) => document.getElementById(id);
const TICK_MS = 250;
const STALE_CUE_SECONDS = 20; // a cue this late (tab asleep) is skipped, not read out of turn
const PREFS = "backcoach.voice";
const QUIET_AFTER_MS = 6000; // the screen shows only the timer this long after a touch

// The timeline: a lead-in, then each step back to back.
const segments = [];
let cursor = 0;
segments.push({ kind: "lead-in", start: 0, end: script.leadIn, cues: [{ at: 0, say: script.leadInCue }] });
cursor = script.leadIn;
script.steps.forEach((step, index) => {
  segments.push({ kind: "step", index, start: cursor, end: cursor + step.duration, cues: step.cues, step });
  cursor += step.duration;
});
const total = cursor;
const spoken = segments.map(() => new Set());
const doneMs = script.steps.map(() => 0);
// Cues the clock ran past unsaid (the tab slept), recorded with the practice; the limits
// are the server's (player.models MAX_SKIPPED_CUES, MAX_CUE_WORDS).
const skippedCues = new Map(); // "step:cue" -> { step, at, say }
const MAX_SKIPPED_CUES = 200;
const MAX_CUE_WORDS = 500;

const clock = {
  accumulated: 0,
  since: null,
  now() {
    return this.accumulated + (this.since === null ? 0 : performance.now() - this.since);
  },
  run() {
    if (this.since === null) this.since = performance.now();
  },
  hold() {
    if (this.since !== null) {
      this.accumulated += performance.now() - this.since;
      this.since = null;
    }
  },
  jump(ms) {
    this.accumulated = ms;
    if (this.since !== null) this.since = performance.now();
  },
};

const practice = {
  id: newId(),
  startedAt: null,
  ratings: { pain_before: null, tension_before: null, pain_after: null, tension_after: null },
  status: null,
};
let current = -1;
let lastNow = 0;
let timer = null;
let wakeLock = null;
let audio = null;
let track = null; // the <audio> element while the track is what plays
let heard = null; // the wall clock and track position at the last tick
let still = null; // where a playing track stood still, since when, and how often nudged
const STALL_MS = 5000; // a playing track that stands still this long is nudged
const NUDGES = 2; // then the browser's voice takes over
let quietTimer = null;

// --- Identity ----------------------------------------------------------------------------
function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// --- Voice and chime ---------------------------------------------------------------------
// recorded: the track when there is one (false: the person prefers their device's voice).
// screenOn: null until the person chooses; then their choice, whatever plays.
const prefs = Object.assign(
  { voice: "", rate: 0.9, mute: false, recorded: true, screenOn: null },
  readPrefs(),
);
const RECORDED = "recorded"; // the voice menu's value for the track

function readPrefs() {
  try {
    return JSON.parse(localStorage.getItem(PREFS) || "{}");
  } catch {
    return {};
  }
}

function savePrefs() {
  localStorage.setItem(PREFS, JSON.stringify(prefs));
}

function speak(text) {
  $("cue-text").textContent = text;
  if (track || prefs.mute || !("speechSynthesis" in window)) return; // the track says it
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.rate = prefs.rate;
  const voice = speechSynthesis.getVoices().find((v) => v.voiceURI === prefs.voice);
  if (voice) utterance.voice = voice;
  speechSynthesis.speak(utterance);
}

function chime() {
  if (track || prefs.mute || !audio) return; // the track rings its own
  const now = audio.currentTime;
  const gain = audio.createGain();
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.18, now + 0.03);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + 1.2);
  gain.connect(audio.destination);
  for (const [frequency, delay] of [[660, 0], [880, 0.18]]) {
    const tone = audio.createOscillator();
    tone.type = "sine";
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start(now + delay);
    tone.stop(now + 1.2);
  }
}

function setUpVoiceControls() {
  const select = $("voice");
  if (script.trackUrl) {
    select.add(new Option("backcoach's recorded voice (goes on with the screen locked)", RECORDED), 0);
  }
  const fill = () => {
    const voices = "speechSynthesis" in window ? speechSynthesis.getVoices() : [];
    for (const voice of voices) {
      if ([...select.options].some((o) => o.value === voice.voiceURI)) continue;
      select.add(new Option(`${voice.name} (${voice.lang})`, voice.voiceURI));
    }
    select.value = script.trackUrl && prefs.recorded ? RECORDED : prefs.voice;
  };
  fill();
  if ("speechSynthesis" in window) speechSynthesis.addEventListener?.("voiceschanged", fill);
  select.addEventListener("change", () => {
    // Choosing a device voice over the recording is remembered; so is its voice.
    prefs.recorded = select.value === RECORDED;
    if (!prefs.recorded) prefs.voice = select.value;
    savePrefs();
    $("screen-on").checked = screenOn();
  });
  $("rate").value = prefs.rate;
  $("rate").addEventListener("change", () => {
    prefs.rate = Number($("rate").value);
    savePrefs();
  });
  $("mute").checked = prefs.mute;
  $("mute").addEventListener("change", () => {
    prefs.mute = $("mute").checked;
    savePrefs();
    if (prefs.mute && "speechSynthesis" in window) speechSynthesis.cancel();
    $("screen-on").checked = screenOn(); // silence plays no track: the default may change
  });
  $("screen-on").checked = screenOn();
  $("screen-on").addEventListener("change", () => {
    prefs.screenOn = $("screen-on").checked;
    savePrefs();
  });
}

function makeAudioContext() {
  if (!audio && (window.AudioContext || window.webkitAudioContext)) {
    audio = new (window.AudioContext || window.webkitAudioContext)();
  }
}

// --- Screen kept awake, only if the person wants it ----------------------------------------
// By default it is on for the browser's speech, which stops when the phone locks, and off
// for the track, which plays on.
function willPlayTrack() {
  if (practice.startedAt) return track !== null;
  return Boolean(script.trackUrl) && prefs.recorded && !prefs.mute;
}

function screenOn() {
  return prefs.screenOn ?? !willPlayTrack();
}

async function keepAwake() {
  if (!screenOn()) return;
  if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
  try {
    wakeLock = await navigator.wakeLock.request("screen");
  } catch {
    wakeLock = null; // refused (battery saver): the routine still runs and speaks
  }
}

function letSleep() {
  wakeLock?.release().catch(() => {});
  wakeLock = null;
}

// --- The loop ----------------------------------------------------------------------------
function nowMs() {
  return track ? track.currentTime * 1000 : clock.now();
}

function playing() {
  return track ? !track.paused : clock.since !== null;
}

function seekTo(ms) {
  if (track) track.currentTime = ms / 1000;
  else clock.jump(ms);
  lastNow = nowMs();
}

function segmentAt(seconds) {
  for (const segment of segments) {
    if (seconds < segment.end) return segments.indexOf(segment);
  }
  return segments.length;
}

function tick() {
  if (root.dataset.phase !== "running") return;
  const now = nowMs();
  const seconds = now / 1000;
  const index = segmentAt(seconds);
  if (!track && clock.since !== null) passOver(lastNow, now, index);
  // The track's position moves only while it plays, and a seek resets lastNow: whatever
  // it moved on by was heard.
  if (track ? now > lastNow : clock.since !== null) credit(lastNow, now);
  if (track && index >= segments.length) practice.endedAt = trackEndedAt(now);
  lastNow = now;
  if (track) heard = { wall: Date.now(), at: now };
  if (index >= segments.length) {
    finish("completed");
    return;
  }
  if (index !== current) enter(index);
  const segment = segments[index];
  const into = seconds - segment.start;
  const due = segment.cues
    .map((cue, i) => ({ cue, i }))
    .filter(({ cue, i }) => cue.at <= into && !spoken[index].has(i));
  if (due.length) {
    for (const { i } of due) spoken[index].add(i);
    const latest = due[due.length - 1];
    const fresh = into - latest.cue.at <= STALE_CUE_SECONDS || latest.cue.at === 0;
    // A caution for the person's health condition is said however late: it is safety,
    // not pacing. Other late cues are skipped, and the practice says which.
    const said = due.filter((d) => d.cue.caution && d !== latest);
    if (fresh) said.push(latest);
    else if (latest.cue.caution) said.push(latest);
    // Woken in a step whose first cue went unsaid: its name at least, so the person
    // knows where they are.
    const named = segment.kind === "step" && due[0].i === 0 && !said.includes(due[0]);
    const words = said.map((d) => d.cue.say);
    if (named) words.unshift(`${segment.step.name}${sideWords(segment.step.side)}.`);
    if (words.length) speak(words.join(" "));
    for (const { cue, i } of due) if (!said.some((d) => d.i === i)) noteSkipped(segment, cue, i);
  }
  render(segment, seconds);
}

// Cues of earlier steps whose moment the clock passed since the last tick, unsaid: the tab
// slept over them. A skip or a seek moves lastNow along, so what the person skipped past
// was never due.
function passOver(fromMs, toMs, index) {
  for (let s = 0; s < Math.min(index, segments.length); s++) {
    const segment = segments[s];
    segment.cues.forEach((cue, i) => {
      const at = (segment.start + cue.at) * 1000;
      if (at > fromMs && at <= toMs && !spoken[s].has(i)) noteSkipped(segment, cue, i);
    });
  }
}

function noteSkipped(segment, cue, i) {
  // With the track playing, the track says every cue; the lead-in is no step.
  if (track || segment.kind !== "step") return;
  const say = cue.say.slice(0, MAX_CUE_WORDS);
  skippedCues.set(`${segment.index}:${i}`, { step: segment.index + 1, at: cue.at, say });
}

// Time run since the last tick goes to every step it passed through (a tab that slept for
// two minutes may have crossed a step boundary), never more than a step's planned length.
function credit(fromMs, toMs) {
  for (const segment of segments) {
    if (segment.kind !== "step") continue;
    const overlap = Math.min(toMs, segment.end * 1000) - Math.max(fromMs, segment.start * 1000);
    if (overlap > 0) {
      doneMs[segment.index] = Math.min(segment.step.duration * 1000, doneMs[segment.index] + overlap);
    }
  }
}

function enter(index) {
  // Cues of steps passed over (skipped, or slept through) are not read out later.
  for (let i = 0; i < index; i++) markSpoken(i);
  if (current !== -1 && index > 0) chime();
  current = index;
  const segment = segments[index];
  for (const figure of document.querySelectorAll(".step-figure")) {
    figure.hidden = segment.kind !== "step" || Number(figure.dataset.step) !== segment.index;
  }
  const next = segments[index + 1];
  $("next-step").textContent = next ? `Next: ${next.step.name}${sideWords(next.step.side)}` : "Next: rest";
  if (segment.kind === "lead-in") {
    $("step-count").textContent = "Get ready";
    $("step-name").textContent = script.steps[0] ? script.steps[0].name : "";
  } else {
    $("step-count").textContent = `Step ${segment.index + 1} of ${script.steps.length}${sideWords(segment.step.side)}`;
    $("step-name").textContent = segment.step.name;
  }
  showOnLockScreen();
}

function markSpoken(index) {
  segments[index].cues.forEach((_, i) => spoken[index].add(i));
}

function sideWords(side) {
  return side === "left" ? ", left side" : side === "right" ? ", right side" : "";
}

function render(segment, seconds) {
  const left = Math.max(0, Math.ceil(segment.end - seconds));
  $("timer").textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  $("progress").value = Math.max(0, Math.min(total - script.leadIn, seconds - script.leadIn));
}

// --- Controls ----------------------------------------------------------------------------
function start() {
  if (practice.startedAt) return; // a second tap on Start changes nothing
  $("start").disabled = true;
  // Decided now: "Silent" or another voice may have been chosen since the page loaded.
  track = willPlayTrack() ? $("track") : null;
  // The clock starts first, so that the first cue is spoken at once; the audio context for
  // the chimes can take a moment to create, and is first needed at the next step.
  practice.startedAt = new Date();
  if (!track) clock.run();
  root.dataset.phase = "running";
  showPhase("running");
  if (track) playTrack();
  tick();
  timer = setInterval(() => {
    tick();
    watchTrack();
  }, TICK_MS);
  keepAwake();
  wake();
  if (!track) makeAudioContext();
}

// --- The track ---------------------------------------------------------------------------
function playTrack() {
  // Position events drive the loop too: they still fire while the page is hidden, when
  // its timers are slowed to a crawl, so the end is recorded on time.
  track.addEventListener("timeupdate", tick);
  track.addEventListener("ended", trackEnded);
  track.addEventListener("seeking", () => (lastNow = nowMs()));
  track.addEventListener("play", showPlaying);
  track.addEventListener("pause", showPlaying);
  track.addEventListener("error", fallBackToSpeech);
  setUpLockScreen();
  keepTrackOffline();
  // Called in the Start button's own handler: browsers let a tap start sound.
  track.play().catch((error) => {
    if (error.name !== "AbortError") fallBackToSpeech(); // AbortError: paused at once
  });
}

// A track that plays but stands still (its data stopped coming, or a seek never ended) is
// nudged by a seek to where it stands, which asks for its data again; when that does not
// move it either, the browser's voice goes on from there rather than leave the person in
// silence. Timers run only while the page is shown, so this watches only then.
function watchTrack() {
  if (!track || track.paused || track.ended || root.dataset.phase !== "running") {
    still = null;
    return;
  }
  const at = track.currentTime;
  const wall = Date.now();
  if (!still || still.at !== at) {
    still = { at, since: wall, nudges: 0 };
    return;
  }
  if (wall - still.since < STALL_MS) return;
  if (still.nudges >= NUDGES) {
    still = null;
    fallBackToSpeech();
    return;
  }
  still = { at, since: wall, nudges: still.nudges + 1 };
  track.currentTime = at;
  track.play().catch(() => {});
}

// When the track reached `at`. A locked phone may run no script until morning, and the
// events queued meanwhile then arrive at once: the end is reckoned from the last tick
// before the gap, not from the moment the page wakes.
function trackEndedAt(at) {
  if (!heard) return new Date();
  const reckoned = heard.wall + (at - heard.at) / (track.playbackRate || 1);
  return new Date(Math.min(Date.now(), Math.max(heard.wall, reckoned)));
}

function trackEnded() {
  tick();
  if (root.dataset.phase === "running") {
    credit(lastNow, total * 1000); // a track a hair shorter than the routine still ends it
    finish("completed");
  }
  unloadTrack();
}

function showPlaying() {
  if (root.dataset.phase !== "running" || !track) return;
  const paused = track.paused;
  $("pause").textContent = paused ? "Resume" : "Pause";
  $("pause").setAttribute("aria-pressed", String(paused));
  if ("mediaSession" in navigator) navigator.mediaSession.playbackState = paused ? "paused" : "playing";
  if (paused) {
    $("cue-text").textContent = "Paused.";
  } else {
    keepAwake();
  }
  wake();
}

// The track failed (offline and never kept, or the session ended): the browser speaks
// from where the track was, with the same rules as when a tab slept.
function fallBackToSpeech() {
  if (!track || root.dataset.phase !== "running") return;
  const at = track.currentTime * 1000;
  unloadTrack();
  track = null;
  for (let i = Math.max(current, 0); i < segments.length; i++) spoken[i].clear();
  clock.jump(at);
  clock.run();
  lastNow = clock.now();
  current = -2; // force re-entry, with a chime from the browser at the next step
  makeAudioContext();
  keepAwake();
  showPlayingSpeech();
  tick();
}

function showPlayingSpeech() {
  $("pause").textContent = "Pause";
  $("pause").setAttribute("aria-pressed", "false");
}

function unloadTrack() {
  const element = $("track");
  if (!element) return;
  element.removeEventListener("error", fallBackToSpeech);
  element.pause();
  element.removeAttribute("src");
  element.load();
  if ("mediaSession" in navigator) {
    for (const action of ["play", "pause", "nexttrack", "previoustrack"]) {
      try {
        navigator.mediaSession.setActionHandler(action, null);
      } catch {
        /* an action this browser does not know */
      }
    }
    navigator.mediaSession.metadata = null;
    navigator.mediaSession.playbackState = "none";
  }
}

// After one online play the track is kept for offline use, like the page itself.
function keepTrackOffline() {
  navigator.serviceWorker?.ready
    .then((registration) => registration.active?.postMessage({ keepTrack: script.trackUrl }))
    .catch(() => {});
}

// --- Lock screen: what plays, and play/pause/skip/back from there --------------------------
function setUpLockScreen() {
  if (!("mediaSession" in navigator)) return;
  const actions = {
    play: () => track?.paused && pause(),
    pause: () => track && !track.paused && pause(),
    nexttrack: () => skip(),
    previoustrack: () => back(),
  };
  for (const [action, handler] of Object.entries(actions)) {
    try {
      navigator.mediaSession.setActionHandler(action, handler);
    } catch {
      /* an action this browser does not know */
    }
  }
}

function showOnLockScreen() {
  if (!track || !("mediaSession" in navigator) || typeof MediaMetadata === "undefined") return;
  const segment = segments[current];
  if (!segment) return;
  navigator.mediaSession.metadata = new MediaMetadata({
    title: segment.kind === "step" ? segment.step.name : "Get ready",
    artist:
      segment.kind === "step"
        ? `Step ${segment.index + 1} of ${script.steps.length}${sideWords(segment.step.side)}`
        : "backcoach",
    album: script.routineName,
    artwork: [{ src: track.dataset.artwork, sizes: "192x192", type: "image/png" }],
  });
}

// --- During a routine: a dim timer on black; a touch or a key shows the rest a while ------
function wake() {
  delete root.dataset.quiet;
  clearTimeout(quietTimer);
  if (root.dataset.phase !== "running" || !playing()) return; // paused: everything stays shown
  quietTimer = setTimeout(() => {
    if (root.dataset.phase === "running" && playing()) root.dataset.quiet = "";
  }, QUIET_AFTER_MS);
}

function pause() {
  if (root.dataset.phase !== "running") return;
  if (track) {
    // The buttons follow the track's own play and pause events (showPlaying), which the
    // lock screen's buttons cause too.
    if (track.paused) {
      track.play().catch((error) => {
        if (error.name !== "AbortError") fallBackToSpeech();
      });
    } else {
      tick();
      track.pause();
    }
    return;
  }
  if (clock.since === null) {
    clock.run();
    lastNow = clock.now();
    $("pause").textContent = "Pause";
    speak("Resuming.");
    keepAwake();
  } else {
    tick();
    clock.hold();
    $("pause").textContent = "Resume";
    if ("speechSynthesis" in window) speechSynthesis.cancel();
    $("cue-text").textContent = "Paused.";
  }
  $("pause").setAttribute("aria-pressed", String(clock.since === null));
  wake();
}

function skip() {
  if (root.dataset.phase !== "running") return;
  tick();
  const segment = segments[current];
  if (segment) {
    seekTo(segment.end * 1000);
    tick();
  }
}

function back() {
  if (root.dataset.phase !== "running") return;
  tick();
  const segment = segments[current];
  if (!segment) return;
  const into = nowMs() / 1000 - segment.start;
  const target = into < 3 && current > 0 ? current - 1 : current;
  for (let i = target; i < segments.length; i++) spoken[i].clear();
  seekTo(segments[target].start * 1000);
  current = -2; // force re-entry
  tick();
}

function finish(status) {
  if (practice.status) return;
  practice.status = status;
  practice.endedAt ??= new Date();
  clearInterval(timer);
  clearTimeout(quietTimer);
  delete root.dataset.quiet;
  clock.hold();
  letSleep();
  // A bedtime routine ends in quiet: no chime, no closing words, and its last cue is left to
  // finish; the practice is saved below without a tap, and the page asks nothing.
  if (track) {
    // Completed, the track plays on to its own end: the closing words, or the fade.
    if (status !== "completed" || track.ended) unloadTrack();
  } else if (status !== "completed") {
    if ("speechSynthesis" in window) speechSynthesis.cancel();
  } else if (!script.bedtime) {
    chime();
    if (script.endCue) speak(script.endCue);
  }
  root.dataset.phase = "after";
  showPhase("after");
  $("after-title").textContent =
    status !== "completed" ? "Stopped early" : script.bedtime ? "Sleep well" : "Well done";
  save();
}

function showPhase(name) {
  for (const phase of ["before", "running", "after"]) {
    root.querySelector(`.phase-${phase}`).hidden = phase !== name;
  }
  const heading = root.querySelector(`.phase-${name} h1`);
  heading?.setAttribute("tabindex", "-1");
  heading?.focus({ preventScroll: false });
}

// --- Saving ------------------------------------------------------------------------------
function payload() {
  return {
    id: practice.id,
    routine: script.routine,
    routine_name: script.routineName,
    started_at: practice.startedAt.toISOString(),
    ended_at: practice.endedAt.toISOString(),
    status: practice.status,
    steps: script.steps.map((step, i) => ({
      technique: step.technique,
      side: step.side,
      planned_seconds: step.duration,
      done_seconds: Math.round(doneMs[i] / 1000),
    })),
    skipped_cues: [...skippedCues.values()]
      .sort((a, b) => a.step - b.step || a.at - b.at)
      .slice(0, MAX_SKIPPED_CUES),
    ...practice.ratings,
  };
}

async function save() {
  const status = $("save-status");
  const result = await submit({
    key: practice.id,
    method: "POST",
    url: script.apiUrl,
    body: payload(),
    stamp: "sent_at", // the phone's clock as it sends: the server corrects a clock that is wrong
    label: `Practice of ${script.routineName}`,
  });
  if (result === "sent") status.textContent = "Saved.";
  else if (result === "queued") status.textContent = "Saved on this phone; it will upload when you are back online.";
  else status.textContent = `Not saved: ${result}`;
  practice.uploaded = result === "sent";
}

async function rateAfter(field, value) {
  // Always its own request, queued after the practice itself: amending an upload that may
  // already be on its way could lose the rating.
  practice.ratings[field] = value;
  const key = `${practice.id}:${field}`;
  const result = await submit({
    key,
    method: "PATCH",
    url: `${script.apiUrl}${practice.id}`,
    body: { [field]: value },
    after: practice.id,
    label: `Rating after the practice of ${script.routineName}`,
  });
  $("after-status").textContent = result === "sent" || result === "queued" ? "Thank you." : `Not saved: ${result}`;
}

// --- Rating scales -----------------------------------------------------------------------
function setUpScale(id, onChoose) {
  const scale = root.querySelector(`[data-scale="${id}"]`);
  if (!scale) return; // a bedtime routine asks nothing after it
  const buttons = [...scale.querySelectorAll(".scale-button")];
  for (const button of buttons) {
    button.addEventListener("click", () => {
      for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
      onChoose(Number(button.dataset.value));
      moveOn(scale);
    });
  }
  scale.querySelector("[data-skip]").addEventListener("click", () => {
    for (const other of buttons) other.setAttribute("aria-pressed", "false");
    onChoose(null);
    moveOn(scale);
  });
}

function moveOn(scale) {
  // One tap each: after answering, focus goes to the next question (or the Start button).
  const all = [...root.querySelectorAll(".phase:not([hidden]) [data-scale]")];
  const next = all[all.indexOf(scale) + 1];
  if (next) next.querySelector(".scale-button").focus();
  else if (root.dataset.phase === "before") $("start").focus();
}

setUpScale("pain-before", (v) => (practice.ratings.pain_before = v));
setUpScale("tension-before", (v) => (practice.ratings.tension_before = v));
setUpScale("pain-after", (v) => rateAfter("pain_after", v));
setUpScale("tension-after", (v) => rateAfter("tension_after", v));
setUpVoiceControls();
askForTrack();

$("start").addEventListener("click", start);
$("pause").addEventListener("click", pause);
$("skip").addEventListener("click", skip);
$("back").addEventListener("click", back);
$("end").addEventListener("click", () => finish("abandoned"));

for (const kind of ["pointerdown", "keydown", "focusin"]) {
  document.addEventListener(kind, () => root.dataset.phase === "running" && wake());
}

document.addEventListener("keydown", (event) => {
  if (root.dataset.phase !== "running" || event.altKey || event.ctrlKey || event.metaKey) return;
  const actions = { " ": pause, ArrowRight: skip, ArrowLeft: back, Escape: () => finish("abandoned") };
  const action = actions[event.key];
  if (action && !(event.key === " " && event.target.tagName === "BUTTON")) {
    event.preventDefault();
    action();
  }
});

document.addEventListener("visibilitychange", () => {
  if (root.dataset.phase !== "running") return;
  if (document.visibilityState === "visible") {
    tick(); // catch up at once after the tab slept
    if (playing()) keepAwake();
  }
});

// The track is rendered in the background the first time a page asks for it; this time
// the browser speaks, and a later visit plays the track.
function askForTrack() {
  if (!script.trackRequestUrl || !navigator.onLine) return;
  const token = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  fetch(script.trackRequestUrl, {
    method: "POST",
    headers: { "X-CSRFToken": token },
    credentials: "same-origin",
  }).catch(() => {});
}

root.dataset.ready = "true";
