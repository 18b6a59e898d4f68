// What the device keeps and allows: an id for each practice made on it, the person's voice
// and screen preferences, and the screen kept awake.
const PREFS = "backcoach.voice";

/** A UUID made on the device, so that a practice uploaded twice is recorded once. */
export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The person's choices on this device. recorded: the track when there is one (false: they
 * prefer their device's voice). screenOn: null until they choose; then their choice,
 * whatever plays. */
export function loadPrefs() {
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(PREFS) || "{}");
  } catch {
    /* unreadable: the defaults */
  }
  return Object.assign({ voice: "", rate: 0.9, mute: false, recorded: true, screenOn: null }, saved);
}

export function savePrefs(prefs) {
  localStorage.setItem(PREFS, JSON.stringify(prefs));
}

/** The screen kept on while `wanted()` says so, as far as the browser allows. */
export class ScreenAwake {
  constructor(wanted) {
    this.wanted = wanted;
    this.lock = null;
  }

  async keep() {
    if (!this.wanted()) return;
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try {
      this.lock = await navigator.wakeLock.request("screen");
    } catch {
      this.lock = null; // refused (battery saver): the routine still runs and speaks
    }
  }

  release() {
    this.lock?.release().catch(() => {});
    this.lock = null;
  }
}
