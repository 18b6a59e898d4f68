// A check-in made without a network: kept on this phone and sent to the API when the
// network returns (sync.js), once, under its own id. Online, the form posts as usual, so
// the server's checks and its "replace the earlier one?" question stay in charge.
import { submit } from "../js/sync.js";

const form = document.getElementById("checkin-form");
const status = document.getElementById("checkin-offline-status");
const NUMBERS = new Set([
  "pain", "tension", "sleep_onset_minutes", "sleep_quality", "stiffness_minutes",
  "peg_pain", "peg_enjoyment", "peg_activity", "posture",
]);
const FLAGS = new Set(["new_symptom", "leg_below_knee"]);
const CM_PER_INCH = 2.54;

function moment(day) {
  // The chosen day at the present time of day, as the server does for a back-dated entry.
  const now = new Date();
  if (!day) return now.toISOString();
  const [year, month, date] = day.split("-").map(Number);
  return new Date(year, month - 1, date, now.getHours(), now.getMinutes(), now.getSeconds()).toISOString();
}

function answers() {
  const data = new FormData(form);
  const body = { id: crypto.randomUUID(), kind: form.dataset.kind };
  for (const name of FLAGS) if (form.elements[name]) body[name] = data.has(name);
  if (form.elements.pain_areas) body.pain_areas = data.getAll("pain_areas");
  for (const [name, value] of data.entries()) {
    if (name === "csrfmiddlewaretoken" || name === "pain_areas" || FLAGS.has(name)) continue;
    if (name === "day" || name === "when" || value === "") continue;
    if (NUMBERS.has(name)) body[name] = Number(value);
    else if (name === "fingertip_floor") {
      const length = Number(value);
      body.fingertip_floor_cm = form.dataset.lengthUnit === "in"
        ? Math.round(length * CM_PER_INCH * 10) / 10 : length;
    } else body[name] = value;
  }
  if (body.kind === "morning" && body.leg_below_knee === false) body.leg_below_knee = null;
  const when = data.get("when");
  body.recorded_at = when ? new Date(when).toISOString() : moment(data.get("day"));
  return body;
}

form?.addEventListener("submit", async (event) => {
  if (navigator.onLine) return;
  event.preventDefault();
  if (!form.checkValidity()) {
    form.reportValidity();
    return;
  }
  const body = answers();
  const result = await submit({
    key: `checkin-${body.id}`,
    url: form.dataset.api,
    method: "POST",
    body,
    stamp: "sent_at", // the phone's clock as it sends: the server corrects a clock that is wrong
  });
  if (result === "sent" || result === "queued") {
    status.textContent = result === "sent"
      ? "Saved."
      : "Saved on this phone; it will upload when you are back online.";
    form.reset();
  } else {
    status.textContent = `Not saved: ${result}`;
  }
});
