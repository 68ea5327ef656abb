// The merge result in plain words, for people rather than for code.

/** Capitalises the first letter of a sentence. */
function sentence(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/**
 * One paragraph for a merge result: what was kept, what was not carried over, what both sides
 * changed, and whether the user must confirm, e.g. "Your alarm (-PT30M) was kept; ...".
 * `movedTo` is a readable new start time when the organizer rescheduled; it is named whether or
 * not the server reset the answer (some servers keep the attendee's PARTSTAT on a reschedule).
 */
export function mergeReport(result, { movedTo } = {}) {
  const parts = [
    ...result.kept.map((c) => c.what),
    ...result.conflicts.map((c) => c.what),
    ...result.dropped.map((c) => `not carried over: ${c.what}`),
  ];
  if (movedTo) parts.push(`the meeting is now at ${movedTo}`);
  if (result.needsConfirmation) parts.push("your answer waits for your confirmation");
  if (result.unchanged) parts.push("the server copy already says everything you changed: nothing to send");
  if (parts.length === 0) return "Nothing of yours needed carrying over.";
  return `${sentence(parts.join("; "))}.`;
}
