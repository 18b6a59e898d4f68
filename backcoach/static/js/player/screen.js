// What the page shows: before, during and after the routine; during it, the step, its
// figure, the time left and what comes next, dimmed to the timer alone a while after a
// touch; and the rating scales, one tap each.
import { sideWords } from "./timeline.js";

const QUIET_AFTER_MS = 6000; // the screen shows only the timer this long after a touch
const PHASES = ["before", "running", "after"];

export class Screen {
  /** `playing()`: whether the routine is playing now (not paused). */
  constructor(root, script, playing) {
    this.root = root;
    this.script = script;
    this.playing = playing;
    this.quietTimer = null;
  }

  $(id) {
    return document.getElementById(id);
  }

  get running() {
    return this.root.dataset.phase === "running";
  }

  show(phase) {
    this.root.dataset.phase = phase;
    for (const name of PHASES) this.root.querySelector(`.phase-${name}`).hidden = name !== phase;
    const heading = this.root.querySelector(`.phase-${phase} h1`);
    heading?.setAttribute("tabindex", "-1");
    heading?.focus({ preventScroll: false });
  }

  /** A segment begins: its name and number, its figure, and what comes after it. */
  enter(segment, next) {
    const steps = this.script.steps;
    for (const figure of document.querySelectorAll(".step-figure")) {
      figure.hidden = segment.kind !== "step" || Number(figure.dataset.step) !== segment.index;
    }
    this.$("next-step").textContent = next ? `Next: ${next.step.name}${sideWords(next.step.side)}` : "Next: rest";
    if (segment.kind === "lead-in") {
      this.$("step-count").textContent = "Get ready";
      this.$("step-name").textContent = steps[0] ? steps[0].name : "";
    } else {
      this.$("step-count").textContent = stepCount(segment, steps.length);
      this.$("step-name").textContent = segment.step.name;
    }
  }

  /** The time left in the segment and the whole routine's progress, at `seconds`. */
  render(segment, seconds, total) {
    const leadIn = this.script.leadIn;
    const left = Math.max(0, Math.ceil(segment.end - seconds));
    this.$("timer").textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    this.$("progress").value = Math.max(0, Math.min(total - leadIn, seconds - leadIn));
  }

  cue(text) {
    this.$("cue-text").textContent = text;
  }

  showPaused(paused) {
    this.$("pause").textContent = paused ? "Resume" : "Pause";
    this.$("pause").setAttribute("aria-pressed", String(paused));
  }

  /** A touch or a key: everything shows a while, then only the timer (never when paused). */
  wake() {
    delete this.root.dataset.quiet;
    clearTimeout(this.quietTimer);
    if (!this.running || !this.playing()) return;
    this.quietTimer = setTimeout(() => {
      if (this.running && this.playing()) this.root.dataset.quiet = "";
    }, QUIET_AFTER_MS);
  }

  stopQuiet() {
    clearTimeout(this.quietTimer);
    delete this.root.dataset.quiet;
  }

  /** A rating scale: `onChoose(value)` with the value tapped, or null for "Skip". */
  setUpScale(id, onChoose) {
    const scale = this.root.querySelector(`[data-scale="${id}"]`);
    if (!scale) return; // a bedtime routine asks nothing after it
    const buttons = [...scale.querySelectorAll(".scale-button")];
    for (const button of buttons) {
      button.addEventListener("click", () => {
        for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
        onChoose(Number(button.dataset.value));
        this.moveOn(scale);
      });
    }
    scale.querySelector("[data-skip]").addEventListener("click", () => {
      for (const other of buttons) other.setAttribute("aria-pressed", "false");
      onChoose(null);
      this.moveOn(scale);
    });
  }

  moveOn(scale) {
    // One tap each: after answering, focus goes to the next question (or the Start button).
    const all = [...this.root.querySelectorAll(".phase:not([hidden]) [data-scale]")];
    const next = all[all.indexOf(scale) + 1];
    if (next) next.querySelector(".scale-button").focus();
    else if (this.root.dataset.phase === "before") this.$("start").focus();
  }
}

/** "Step 2 of 5, left side". */
export function stepCount(segment, steps) {
  return `Step ${segment.index + 1} of ${steps}${sideWords(segment.step.side)}`;
}
