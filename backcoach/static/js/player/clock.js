// The routine's clock while the browser speaks. It reads a monotonic clock
// (performance.now()) and never counts timer ticks: a throttled or backgrounded tab
// catches up on its next tick. Seconds from the start of the routine.
export class Clock {
  constructor() {
    this.accumulated = 0; // ms run before `since`
    this.since = null; // performance.now() when it last started running, or null: held
  }

  get running() {
    return this.since !== null;
  }

  now() {
    return (this.accumulated + (this.since === null ? 0 : performance.now() - this.since)) / 1000;
  }

  run() {
    if (this.since === null) this.since = performance.now();
  }

  hold() {
    if (this.since !== null) {
      this.accumulated += performance.now() - this.since;
      this.since = null;
    }
  }

  jump(seconds) {
    this.accumulated = seconds * 1000;
    if (this.since !== null) this.since = performance.now();
  }
}
