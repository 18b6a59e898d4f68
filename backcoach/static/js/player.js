// The hands-free player. Time comes from a monotonic clock (performance.now()), never from
// counting timer ticks: a throttled or backgrounded tab catches up on its next tick, and
// every cue is spoken at most once.
import { submit } from "./sync.js";

const script = JSON.parse(document.getElementById("routine-script").textContent);
const root = document.getElementById("player");
const $ = (id) => document.getElementById(id);
const TICK_MS = 250;
const STALE_CUE_SECONDS = 20; // a cue this late (tab asleep) is skipped, not read out of turn
const PREFS = "backcoach.voice";

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
const prefs = Object.assign({ voice: "", rate: 0.9, mute: false }, readPrefs());

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
  if (prefs.mute || !("speechSynthesis" in window)) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.rate = prefs.rate;
  const voice = speechSynthesis.getVoices().find((v) => v.voiceURI === prefs.voice);
  if (voice) utterance.voice = voice;
  speechSynthesis.speak(utterance);
}

function chime() {
  if (prefs.mute || !audio) return;
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
  const fill = () => {
    const voices = "speechSynthesis" in window ? speechSynthesis.getVoices() : [];
    for (const voice of voices) {
      if ([...select.options].some((o) => o.value === voice.voiceURI)) continue;
      select.add(new Option(`${voice.name} (${voice.lang})`, voice.voiceURI));
    }
    select.value = prefs.voice;
  };
  fill();
  if ("speechSynthesis" in window) speechSynthesis.addEventListener?.("voiceschanged", fill);
  select.addEventListener("change", () => {
    prefs.voice = select.value;
    savePrefs();
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
  });
}

// --- Screen kept awake -------------------------------------------------------------------
async function keepAwake() {
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
function segmentAt(seconds) {
  for (const segment of segments) {
    if (seconds < segment.end) return segments.indexOf(segment);
  }
  return segments.length;
}

function tick() {
  const nowMs = clock.now();
  const seconds = nowMs / 1000;
  const index = segmentAt(seconds);
  if (clock.since !== null) credit(lastNow, nowMs);
  lastNow = nowMs;
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
    if (into - latest.cue.at <= STALE_CUE_SECONDS || latest.cue.at === 0) speak(latest.cue.say);
  }
  render(segment, seconds);
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
  // The clock starts first, so that the first cue is spoken at once; the audio context for
  // the chimes can take a moment to create, and is first needed at the next step.
  practice.startedAt = new Date();
  clock.run();
  root.dataset.phase = "running";
  showPhase("running");
  tick();
  timer = setInterval(tick, TICK_MS);
  keepAwake();
  if (!audio && (window.AudioContext || window.webkitAudioContext)) {
    audio = new (window.AudioContext || window.webkitAudioContext)();
  }
}

function pause() {
  if (root.dataset.phase !== "running") return;
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
}

function skip() {
  if (root.dataset.phase !== "running") return;
  tick();
  const segment = segments[current];
  if (segment) {
    clock.jump(segment.end * 1000);
    lastNow = clock.now();
    tick();
  }
}

function back() {
  if (root.dataset.phase !== "running") return;
  tick();
  const segment = segments[current];
  if (!segment) return;
  const into = clock.now() / 1000 - segment.start;
  const target = into < 3 && current > 0 ? current - 1 : current;
  for (let i = target; i < segments.length; i++) spoken[i].clear();
  clock.jump(segments[target].start * 1000);
  lastNow = clock.now();
  current = -2; // force re-entry
  tick();
}

function finish(status) {
  if (practice.status) return;
  practice.status = status;
  practice.endedAt = new Date();
  clearInterval(timer);
  clock.hold();
  letSleep();
  // A bedtime routine ends in quiet: no chime, no closing words, and its last cue is left to
  // finish; the practice is saved below without a tap, and the page asks nothing.
  if (status !== "completed") {
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

$("start").addEventListener("click", start);
$("pause").addEventListener("click", pause);
$("skip").addEventListener("click", skip);
$("back").addEventListener("click", back);
$("end").addEventListener("click", () => finish("abandoned"));

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
    if (clock.since !== null) keepAwake();
  }
});

root.dataset.ready = "true";
