// saveWithMerge: the whole "PUT -> classify -> GET -> merge -> PUT with the new tag" loop of a
// scheduling client, on top of the package's exports. It uses the app's own `fetch`, is bounded
// by `maxAttempts`, and hides nothing: every request, verdict and merge report is in `steps`.

import { classifyResponse, merge, preconditionHeaders } from "./caldav_sched.js";

const CALENDAR_TYPE = "text/calendar; charset=utf-8";

function misuse(message) {
  const error = new TypeError(message);
  error.code = "INVALID_OPTION";
  return error;
}

/**
 * Saves a local edit of a calendar object and reconciles it with newer server copies when the
 * write's precondition fails (412), at most `maxAttempts` PUTs. See the README for an example.
 *
 * @param {import("./save-with-merge.js").SaveWithMergeOptions} options
 * @returns {Promise<import("./save-with-merge.js").SaveWithMergeResult>}
 */
export async function saveWithMerge(options) {
  if (options === null || typeof options !== "object") throw misuse("saveWithMerge takes an options object");
  const {
    fetch: doFetch = globalThis.fetch,
    url,
    data,
    base,
    me,
    etag,
    scheduleTag,
    intent = "update",
    maxAttempts = 3,
    role,
    onReschedule = "ask",
    personal,
    confirm,
    headers: extraHeaders = {},
  } = options;
  if (typeof doFetch !== "function") throw misuse("`fetch` must be a function");
  if (typeof url !== "string" || url === "") throw misuse("`url` must be a non-empty string");
  if (typeof data !== "string") throw misuse("`data` must be iCalendar text");
  if (me === undefined) throw misuse("`me` is required (the user's calendar-user addresses)");
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) {
    throw misuse("`maxAttempts` must be an integer from 1 to 10");
  }

  const steps = [];
  let body = data;
  let mergeBase = base;
  let tags = { etag, scheduleTag };

  const finish = (ok, outcome, finalData, validators, attempts) => ({
    ok,
    outcome,
    data: finalData,
    etag: validators?.etag,
    scheduleTag: validators?.scheduleTag,
    attempts,
    steps,
  });

  const fetchServerCopy = async (attempt) => {
    const response = await doFetch(url, { method: "GET", cache: "no-store", headers: { ...extraHeaders } });
    const text = await response.text();
    const verdict = classifyResponse({ method: "GET", status: response.status, headers: response.headers });
    steps.push({ kind: "get", attempt, status: response.status, verdict });
    return { text, verdict };
  };

  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const sent = preconditionHeaders({
      intent: attempt === 1 ? intent : "update",
      etag: tags.etag,
      scheduleTag: tags.scheduleTag,
    });
    const response = await doFetch(url, {
      method: "PUT",
      headers: { ...extraHeaders, ...sent, "Content-Type": CALENDAR_TYPE },
      body,
    });
    const verdict = classifyResponse({
      method: "PUT",
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      sent,
      attempt,
      maxAttempts,
    });
    steps.push({ kind: "put", attempt, sent, status: response.status, verdict });

    if (verdict.outcome === "ok") return finish(true, "ok", body, verdict, attempt);
    if (verdict.outcome === "refetch") {
      // Stored, but not byte for byte as sent (no strong ETag came back): learn what is stored.
      const stored = await fetchServerCopy(attempt);
      const ok = stored.verdict.outcome === "ok";
      return finish(ok, ok ? "ok" : stored.verdict.outcome, ok ? stored.text : body, ok ? stored.verdict : verdict, attempt);
    }
    if (verdict.outcome !== "merge-and-retry") return finish(false, verdict.outcome, body, tags, attempt);

    const server = await fetchServerCopy(attempt);
    if (server.verdict.outcome !== "ok") return finish(false, server.verdict.outcome, body, tags, attempt);
    const mergeOptions = { local: body, server: server.text, base: mergeBase, me, role, onReschedule, personal };
    let merged = merge(mergeOptions);
    steps.push({ kind: "merge", attempt, result: merged });
    if (merged.needsConfirmation) {
      if (typeof confirm !== "function") {
        // The app asks the user and calls again: with onReschedule "keep" or "reset".
        return finish(false, "needs-confirmation", merged.data, server.verdict, attempt);
      }
      const keep = Boolean(await confirm(merged));
      steps.push({ kind: "confirm", attempt, keep });
      merged = merge({ ...mergeOptions, onReschedule: keep ? "keep" : "reset" });
      steps.push({ kind: "merge", attempt, result: merged });
    }
    if (merged.unchanged) return finish(true, "ok", server.text, server.verdict, attempt);
    body = merged.data;
    mergeBase = server.text;
    tags = { etag: server.verdict.etag, scheduleTag: server.verdict.scheduleTag };
  }
  return finish(false, "give-up", body, tags, maxAttempts);
}
