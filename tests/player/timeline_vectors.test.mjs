// The web player's timeline against the vectors that backcoach/player/timeline.py passes
// (timeline_vectors.json), run by Node's own test runner: `node --test` on this file, which
// tests/player/test_timeline_js.py does in `make test`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { Timeline } from "../../backcoach/static/js/player/timeline.js";

const VECTORS = JSON.parse(readFileSync(new URL("./timeline_vectors.json", import.meta.url), "utf8"));

// A vector's due_range: k / per_second for each whole k in [from, to) per second, the same
// divisions as the Python side's.
function moments({ from, to, per_second: per }) {
  const seconds = [];
  for (let k = Math.round(from * per); k < Math.round(to * per); k++) seconds.push(k / per);
  return seconds;
}

function playVector(vector) {
  const timeline = new Timeline(VECTORS.scripts[vector.script], VECTORS.limits);
  vector.do.forEach((step, index) => {
    const where = `${vector.name}, step ${index + 1}: ${JSON.stringify(step)}`;
    if ("segments" in step) {
      const got = timeline.segments.map((s) => [s.kind, s.index, s.start, s.end]);
      assert.deepEqual(got, step.segments, where);
      assert.equal(timeline.total, step.total, where);
    } else if ("segment_at" in step) {
      assert.equal(timeline.segmentAt(step.segment_at), step.is, where);
    } else if ("due" in step) {
      assert.equal(timeline.due(step.due), step.says, where);
    } else if ("due_range" in step) {
      const said = moments(step.due_range).map((seconds) => timeline.due(seconds));
      assert.deepEqual(said.filter((words) => words !== null), step.says, where);
    } else if ("seek" in step) {
      assert.equal(timeline.seek(step.seek), step.seek, where);
    } else if ("restart_from" in step) {
      assert.equal(timeline.restartFrom(step.restart_from), step.is, where);
    } else if ("skipped_cues" in step) {
      assert.deepEqual(timeline.skippedCues(), step.skipped_cues, where);
    } else {
      assert.fail(`${where}: a step this runner does not know`);
    }
  });
}

for (const vector of VECTORS.vectors) {
  test(vector.name, () => playVector(vector));
}

test("a vector that disagrees fails and names its step", () => {
  const planted = {
    name: "planted",
    script: "two-steps",
    do: [{ due: 10, says: "Knee to chest." }, { due: 35, says: "Hug the knee." }],
  };
  assert.throws(() => playVector(planted), /planted, step 2: .*Hug the knee/);
});

// What only the web player does, and so is not in the shared vectors.
const SCRIPT = VECTORS.scripts["two-steps"];

test("time run across a step boundary goes to both steps, never more than a step's length", () => {
  const timeline = new Timeline(SCRIPT, VECTORS.limits);
  timeline.credit(0, 5); // the lead-in is no step
  timeline.credit(5, 80); // asleep across the boundary at 70 s
  assert.deepEqual(timeline.done, [60, 10]);
  timeline.credit(20, 90); // the same stretch again: still no more than the step's length
  assert.deepEqual(timeline.done, [60, 30]);
});

test("while a track plays it says every cue: none is skipped", () => {
  const timeline = new Timeline(SCRIPT, VECTORS.limits);
  timeline.recordsSkips = false;
  timeline.due(0);
  assert.equal(timeline.due(35), "Breathe out.");
  timeline.due(200);
  assert.deepEqual(timeline.skippedCues(), []);
});

test("back within three seconds of a step's start goes to the step before, else to its start", () => {
  const timeline = new Timeline(SCRIPT, VECTORS.limits);
  assert.equal(timeline.backFrom(2, 72.9), 1);
  assert.equal(timeline.backFrom(2, 73), 2);
  assert.equal(timeline.backFrom(0, 1), 0);
});

test("a timeline is not made without the server's stale-cue limit", () => {
  assert.throws(() => new Timeline(SCRIPT, {}), /staleCueSeconds/);
});
