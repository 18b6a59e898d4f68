// The routine as a timeline: which step runs at a moment, which cues are due, and which the
// clock ran past unsaid. These are the rules of backcoach/player/timeline.py (the terminal
// player's), and both are held to the same vectors (tests/player/timeline_vectors.json):
// a cue is spoken once; after a gap only the latest due cue of the current step is said,
// unless it is more than `staleCueSeconds` late (the server's limit, in the page's script
// data); a caution is said however late; cues of steps passed over stay silent.
//
// Times are seconds from the start of the routine. No DOM and no clock: Node's test runner
// imports this file as it is.

// Back within this many seconds of a step's start goes to the step before (as the
// terminal player's "b" key does).
const BACK_TO_PREVIOUS_WITHIN = 3;

/** ", left side", ", right side", or nothing for both sides. */
export function sideWords(side) {
  return side && side !== "both" ? `, ${side} side` : "";
}

export class Timeline {
  /** A lead-in, then each of the script's steps back to back. */
  constructor(script, { staleCueSeconds }) {
    if (!Number.isFinite(staleCueSeconds)) throw new TypeError("staleCueSeconds is the server's limit");
    this.staleCueSeconds = staleCueSeconds;
    this.segments = [{ kind: "lead-in", index: -1, start: 0, end: script.leadIn, cues: [{ at: 0, say: script.leadInCue }], step: null }];
    let cursor = script.leadIn;
    script.steps.forEach((step, index) => {
      this.segments.push({ kind: "step", index, start: cursor, end: cursor + step.duration, cues: step.cues, step });
      cursor += step.duration;
    });
    this.spoken = this.segments.map(() => new Set());
    this.skipped = new Set(); // "segment:cue" of each cue skipped
    this.heard = -Infinity; // the moment the clock was last read at
    // False while an audio track plays: the track says every cue itself, so none is skipped.
    this.recordsSkips = true;
    this.done = script.steps.map(() => 0); // seconds run in each step
  }

  get total() {
    return this.segments[this.segments.length - 1].end;
  }

  /** The index of the segment running at `seconds`; segments.length once it is over. */
  segmentAt(seconds) {
    const index = this.segments.findIndex((segment) => seconds < segment.end);
    return index === -1 ? this.segments.length : index;
  }

  /** The words to speak now, or null; marks every cue up to now as spoken, and those the
   * clock ran past since it was last read as skipped. */
  due(seconds) {
    const index = this.segmentAt(seconds);
    for (let earlier = 0; earlier < Math.min(index, this.segments.length); earlier++) {
      const segment = this.segments[earlier];
      segment.cues.forEach((cue, i) => {
        if (!this.spoken[earlier].has(i) && segment.start + cue.at > this.heard) this.skip(earlier, i);
        this.spoken[earlier].add(i);
      });
    }
    this.heard = seconds;
    if (index >= this.segments.length) return null;
    const segment = this.segments[index];
    const into = seconds - segment.start;
    const waiting = [];
    segment.cues.forEach((cue, i) => {
      if (cue.at <= into && !this.spoken[index].has(i)) waiting.push(i);
    });
    if (!waiting.length) return null;
    for (const i of waiting) this.spoken[index].add(i);
    const last = waiting[waiting.length - 1];
    const latest = segment.cues[last];
    const fresh = latest.at === 0 || into - latest.at <= this.staleCueSeconds;
    // A caution for the person's health condition is said however late: it is safety,
    // not pacing. Other late cues are skipped.
    const said = waiting.filter((i) => segment.cues[i].caution);
    if (fresh && !said.includes(last)) said.push(last);
    for (const i of waiting) if (!said.includes(i)) this.skip(index, i);
    const words = said.map((i) => segment.cues[i].say);
    const name = segment.kind === "step" ? segment.step.name : null;
    if (name && waiting[0] === 0 && !said.includes(0)) {
      // Woken in a step whose first cue went unsaid: its name at least, so the person
      // knows where they are.
      words.unshift(`${name}${sideWords(segment.step.side)}.`);
    }
    return words.join(" ") || null;
  }

  skip(segment, cue) {
    if (this.recordsSkips) this.skipped.add(`${segment}:${cue}`);
  }

  /** Move the clock to `seconds` at the person's wish (skip): the cues it jumps over were
   * never due, so they are not skipped cues. */
  seek(seconds) {
    this.heard = seconds;
    return seconds;
  }

  /** Go back to the start of a segment; its cues and later ones may be spoken again. */
  restartFrom(index) {
    this.unsayFrom(index);
    return this.seek(this.segments[index].start);
  }

  /** The segment Back goes to from `index` at `seconds`: the one before, when only just
   * begun, else the start of this one. */
  backFrom(index, seconds) {
    const into = seconds - this.segments[index].start;
    return into < BACK_TO_PREVIOUS_WITHIN && index > 0 ? index - 1 : index;
  }

  /** The cues of segment `index` and later may be spoken again, from where the clock is
   * (the browser's voice taking over from a track that failed). */
  unsayFrom(index) {
    for (let later = index; later < this.segments.length; later++) this.spoken[later].clear();
  }

  /** The steps' cues skipped so far, as a practice records them: the step's number (from
   * 1), the cue's moment in it and its words, in time order. */
  skippedCues() {
    return this.segments.flatMap((segment, number) =>
      segment.kind !== "step"
        ? []
        : segment.cues.flatMap((cue, i) =>
            this.skipped.has(`${number}:${i}`) ? [{ step: segment.index + 1, at: cue.at, say: cue.say }] : [],
          ),
    );
  }

  /** Time run from `from` to `to` goes to every step it passed through (a tab that slept
   * for two minutes may have crossed a step boundary), never more than a step's length. */
  credit(from, to) {
    for (const segment of this.segments) {
      if (segment.kind !== "step") continue;
      const overlap = Math.min(to, segment.end) - Math.max(from, segment.start);
      if (overlap > 0) this.done[segment.index] = Math.min(segment.step.duration, this.done[segment.index] + overlap);
    }
  }
}
