// The browser's voice and the chime at each new step, and the settings that choose them.
// While the audio track plays, both are silent: the track says every cue and rings its
// own chimes.
import { savePrefs } from "./device.js";

const RECORDED = "recorded"; // the voice menu's value for the track

export class Voice {
  constructor(prefs) {
    this.prefs = prefs;
    this.trackSpeaks = false;
    this.audio = null; // the AudioContext for the chimes, made when first needed
  }

  get silent() {
    return this.trackSpeaks || this.prefs.mute;
  }

  speak(text) {
    if (this.silent || !("speechSynthesis" in window)) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.rate = this.prefs.rate;
    const voice = speechSynthesis.getVoices().find((v) => v.voiceURI === this.prefs.voice);
    if (voice) utterance.voice = voice;
    speechSynthesis.speak(utterance);
  }

  hush() {
    if ("speechSynthesis" in window) speechSynthesis.cancel();
  }

  /** Made on Start: it can take a moment, and is first needed at the next step. */
  prepareChime() {
    if (!this.audio && (window.AudioContext || window.webkitAudioContext)) {
      this.audio = new (window.AudioContext || window.webkitAudioContext)();
    }
  }

  chime() {
    const audio = this.audio;
    if (this.silent || !audio) return;
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
}

/** The "Voice and sound" settings and "Keep the screen on", each choice remembered on
 * the device. `screenOn()` is whether the screen is kept on, the person's choice or the
 * default for what will play. */
export function setUpVoiceSettings({ prefs, trackOffered, screenOn }) {
  const $ = (id) => document.getElementById(id);
  const select = $("voice");
  if (trackOffered) {
    select.add(new Option("backcoach's recorded voice (goes on with the screen locked)", RECORDED), 0);
  }
  const fill = () => {
    const voices = "speechSynthesis" in window ? speechSynthesis.getVoices() : [];
    for (const voice of voices) {
      if ([...select.options].some((o) => o.value === voice.voiceURI)) continue;
      select.add(new Option(`${voice.name} (${voice.lang})`, voice.voiceURI));
    }
    select.value = trackOffered && prefs.recorded ? RECORDED : prefs.voice;
  };
  fill();
  if ("speechSynthesis" in window) speechSynthesis.addEventListener?.("voiceschanged", fill);
  select.addEventListener("change", () => {
    // Choosing a device voice over the recording is remembered; so is its voice.
    prefs.recorded = select.value === RECORDED;
    if (!prefs.recorded) prefs.voice = select.value;
    savePrefs(prefs);
    $("screen-on").checked = screenOn();
  });
  $("rate").value = prefs.rate;
  $("rate").addEventListener("change", () => {
    prefs.rate = Number($("rate").value);
    savePrefs(prefs);
  });
  $("mute").checked = prefs.mute;
  $("mute").addEventListener("change", () => {
    prefs.mute = $("mute").checked;
    savePrefs(prefs);
    if (prefs.mute && "speechSynthesis" in window) speechSynthesis.cancel();
    $("screen-on").checked = screenOn(); // silence plays no track: the default may change
  });
  $("screen-on").checked = screenOn();
  $("screen-on").addEventListener("change", () => {
    prefs.screenOn = $("screen-on").checked;
    savePrefs(prefs);
  });
}
