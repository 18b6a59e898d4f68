// The practice as the server records it, and the ratings given after it: each queued on
// the device until sent (sync.js). How many skipped cues, and how long each, are the
// server's limits (player.models), which come in the page's script data.
import { submit } from "../sync.js";

export function practiceBody(practice, script, timeline) {
  const { maxSkippedCues, maxCueCharacters } = script.limits;
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
      done_seconds: Math.round(timeline.done[i]),
    })),
    // Cut by characters as the server counts them (code points, not UTF-16 halves).
    skipped_cues: timeline
      .skippedCues()
      .slice(0, maxSkippedCues)
      .map((cue) => ({ ...cue, say: [...cue.say].slice(0, maxCueCharacters).join("") })),
    ...practice.ratings,
  };
}

/** Sends the practice (or keeps it to send); what to tell the person. */
export async function practiceSave(practice, script, timeline) {
  const result = await submit({
    key: practice.id,
    method: "POST",
    url: script.apiUrl,
    body: practiceBody(practice, script, timeline),
    stamp: "sent_at", // the phone's clock as it sends: the server corrects a clock that is wrong
    label: `Practice of ${script.routineName}`,
  });
  if (result === "sent") return "Saved.";
  if (result === "queued") return "Saved on this phone; it will upload when you are back online.";
  return `Not saved: ${result}`;
}

/** Sends a rating given after the practice; what to tell the person. Always its own
 * request, queued after the practice itself: amending an upload that may already be on
 * its way could lose the rating. */
export async function ratingSave(practice, script, field, value) {
  const result = await submit({
    key: `${practice.id}:${field}`,
    method: "PATCH",
    url: `${script.apiUrl}${practice.id}`,
    body: { [field]: value },
    after: practice.id,
    label: `Rating after the practice of ${script.routineName}`,
  });
  return result === "sent" || result === "queued" ? "Thank you." : `Not saved: ${result}`;
}
