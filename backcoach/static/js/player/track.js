// The audio track: the routine rendered on the server, cues, chimes and all. Its position
// is the routine's clock: it keeps playing with the phone locked, when the page's timers
// and the browser's speech stop. The lock screen shows what plays and has play, pause,
// skip and back. A track that cannot play gives way to the browser's speech (`onFail`).
const STALL_MS = 5000; // a playing track that stands still this long is nudged
const NUDGES = 2; // then the browser's voice takes over
const LOCK_SCREEN_ACTIONS = ["play", "pause", "nexttrack", "previoustrack"];

export class Track {
  /** `on`: tick (its position moved), ended, seeking, playState (played or paused), fail,
   * and the lock screen's play, pause, skip and back. */
  constructor(element, url, on) {
    this.element = element;
    this.url = url;
    this.on = on;
    this.heard = null; // the wall clock and position at the last tick
    this.still = null; // where a playing track stood still, since when, and how often nudged
  }

  now() {
    return this.element.currentTime;
  }

  get paused() {
    return this.element.paused;
  }

  get ended() {
    return this.element.ended;
  }

  seek(seconds) {
    this.element.currentTime = seconds;
  }

  /** Called in the Start button's own handler: browsers let a tap start sound. */
  start() {
    const element = this.element;
    // Position events drive the loop too: they still fire while the page is hidden, when
    // its timers are slowed to a crawl, so the end is recorded on time.
    element.addEventListener("timeupdate", this.on.tick);
    element.addEventListener("ended", this.on.ended);
    element.addEventListener("seeking", this.on.seeking);
    element.addEventListener("play", this.on.playState);
    element.addEventListener("pause", this.on.playState);
    element.addEventListener("error", this.on.fail);
    this.setUpLockScreen();
    this.keepOffline();
    this.resume();
  }

  resume() {
    this.element.play().catch((error) => {
      if (error.name !== "AbortError") this.on.fail(); // AbortError: paused at once
    });
  }

  pause() {
    this.element.pause();
  }

  /** The position read at a tick, and when. */
  heardAt(seconds) {
    this.heard = { wall: Date.now(), at: seconds };
  }

  /** When the track reached `seconds`. A locked phone may run no script until morning,
   * and the events queued meanwhile then arrive at once: the end is reckoned from the
   * last tick before the gap, not from the moment the page wakes. */
  reachedAt(seconds) {
    if (!this.heard) return new Date();
    const reckoned = this.heard.wall + ((seconds - this.heard.at) * 1000) / (this.element.playbackRate || 1);
    return new Date(Math.min(Date.now(), Math.max(this.heard.wall, reckoned)));
  }

  /** A track that plays but stands still (its data stopped coming, or a seek never ended)
   * is nudged by a seek to where it stands, which asks for its data again; when that does
   * not move it either, the browser's voice goes on from there rather than leave the
   * person in silence. Timers run only while the page is shown, so this watches only then. */
  watch(running) {
    const element = this.element;
    if (element.paused || element.ended || !running) {
      this.still = null;
      return;
    }
    const at = element.currentTime;
    const wall = Date.now();
    if (!this.still || this.still.at !== at) {
      this.still = { at, since: wall, nudges: 0 };
      return;
    }
    if (wall - this.still.since < STALL_MS) return;
    if (this.still.nudges >= NUDGES) {
      this.still = null;
      this.on.fail();
      return;
    }
    this.still = { at, since: wall, nudges: this.still.nudges + 1 };
    element.currentTime = at;
    element.play().catch(() => {});
  }

  // After one online play the track is kept for offline use, like the page itself.
  keepOffline() {
    navigator.serviceWorker?.ready
      .then((registration) => registration.active?.postMessage({ keepTrack: this.url }))
      .catch(() => {});
  }

  setUpLockScreen() {
    if (!("mediaSession" in navigator)) return;
    const actions = {
      play: () => this.paused && this.on.pauseOrResume(),
      pause: () => !this.paused && this.on.pauseOrResume(),
      nexttrack: () => this.on.skip(),
      previoustrack: () => this.on.back(),
    };
    for (const action of LOCK_SCREEN_ACTIONS) setAction(action, actions[action]);
  }

  showPlayState() {
    if ("mediaSession" in navigator) navigator.mediaSession.playbackState = this.paused ? "paused" : "playing";
  }

  /** What the lock screen shows: the step, its number, the routine. */
  showOnLockScreen({ title, artist, album }) {
    if (!("mediaSession" in navigator) || typeof MediaMetadata === "undefined") return;
    navigator.mediaSession.metadata = new MediaMetadata({
      title,
      artist,
      album,
      artwork: [{ src: this.element.dataset.artwork, sizes: "192x192", type: "image/png" }],
    });
  }

  /** Stops the track for good and frees the lock screen; its failure no longer matters. */
  unload() {
    unload(this.element, this.on.fail);
  }
}

function setAction(action, handler) {
  try {
    navigator.mediaSession.setActionHandler(action, handler);
  } catch {
    /* an action this browser does not know */
  }
}

/** The <audio> element emptied, whether or not it played. */
export function unload(element, onFail) {
  if (!element) return;
  if (onFail) element.removeEventListener("error", onFail);
  element.pause();
  element.removeAttribute("src");
  element.load();
  if ("mediaSession" in navigator) {
    for (const action of LOCK_SCREEN_ACTIONS) setAction(action, null);
    navigator.mediaSession.metadata = null;
    navigator.mediaSession.playbackState = "none";
  }
}

/** The track is rendered in the background the first time a page asks for it; this time
 * the browser speaks, and a later visit plays the track. */
export function askForTrack(url) {
  if (!url || !navigator.onLine) return;
  const token = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  fetch(url, { method: "POST", headers: { "X-CSRFToken": token }, credentials: "same-origin" }).catch(() => {});
}
