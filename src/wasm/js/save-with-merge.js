// saveWithMerge: the whole "PUT -> classify -> GET -> merge -> PUT with the new tag" loop of a
// scheduling client, on top of the package's exports. It uses the app's own `fetch`, is bounded
// by `maxAttempts`, and hides nothing: every request, verdict and merge report is in `steps`.

import { classifyResponse, inspect, merge, preconditionHeaders } from "./caldav_sched.js";

const CALENDAR_TYPE = "text/calendar; charset=utf-8";

// Headers the loop sets itself, and every other conditional request header. A caller's copy in
// another letter case would not replace ours but join it into a list (`If-Schedule-Tag-Match:
// "old", "s1"`, forbidden: RFC 6638 §8.3 takes one tag), add a second precondition (If-Match
// next to If-Schedule-Tag-Match: the server must evaluate both, RFC 9110 §13.1.1;
// If-Unmodified-Since is evaluated unless If-Match is sent, §13.1.4; a WebDAV `If` that fails
// is a 412, RFC 4918 §10.4.1) or a second Content-Type, and `sent` would not show it. On the
// re-GET, If-Modified-Since or If-Range would answer 304/206 instead of the copy to merge.
const OWN_HEADERS = [
  "if-match", "if-none-match", "if-schedule-tag-match", "if-unmodified-since", "if-modified-since",
  "if-range", "if", "content-type",
];

function misuse(message) {
  const error = new TypeError(message);
  error.code = "INVALID_OPTION";
  return error;
}

/** Checks the caller's extra headers: a plain object that names none of {@link OWN_HEADERS}. */
function checkExtraHeaders(headers) {
  const proto = headers === null || typeof headers !== "object" ? undefined : Object.getPrototypeOf(headers);
  if (proto !== Object.prototype && proto !== null) {
    throw misuse("`headers` must be a plain object of extra request headers, e.g. { Authorization: ... }");
  }
  const own = Object.keys(headers).find((name) => OWN_HEADERS.includes(name.trim().toLowerCase()));
  if (own !== undefined) {
    throw misuse(
      `\`headers\` must not contain ${own}: saveWithMerge sets the one precondition (from etag / ` +
        "scheduleTag) and Content-Type itself; pass the tags as `etag` / `scheduleTag`",
    );
  }
}

/**
 * Why the server's copy cannot be merged with, or null. A copy that does not parse, or that is
 * another object (another UID at this URL), is an answer of the server: returned, not thrown.
 * A local copy that does not parse is the caller's input: inspect (like merge) throws.
 */
function unusableServerCopy(serverText, localText) {
  let uid;
  try {
    ({ uid } = inspect({ data: serverText }));
  } catch (error) {
    return `the server's copy cannot be read (${error.code}: ${error.message}); nothing was merged`;
  }
  const localUid = inspect({ data: localText }).uid;
  if (localUid === uid) return null;
  return `the server's copy is another object (UID ${uid}, the edit has UID ${localUid}): the object ` +
    "was replaced at this URL; nothing was merged";
}

/** Why the server's copy gives no tag for the next write, or null. */
function noValidator(verdict) {
  if (verdict.etag !== undefined || verdict.scheduleTag !== undefined) return null;
  return "the server's copy came with no Schedule-Tag and no strong ETag (a missing or weak ETag, e.g. " +
    "from compression middleware), so the merged edit cannot be written with a precondition " +
    "(RFC 4791 §5.3.4): nothing was written; GET it again, or ask the server admin";
}

/**
 * Saves a local edit of a calendar object and reconciles it with newer server copies when the
 * write's precondition fails (412), at most `maxAttempts` PUTs. See the README for an example.
 * Every server answer is returned (`ok: false`, an `outcome` and a `message`), also a newer copy
 * that cannot be written back (no Schedule-Tag and no strong ETag), read or merged (another UID);
 * only misuse throws a TypeError with code INVALID_OPTION (or merge's error for a bad local copy),
 * e.g. a precondition header or Content-Type in `headers`: those are set here, in one letter case.
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
  if (intent !== "update" && intent !== "create") throw misuse('`intent` must be "update" or "create" (a PUT)');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) {
    throw misuse("`maxAttempts` must be an integer from 1 to 10");
  }
  checkExtraHeaders(extraHeaders);

  const steps = [];
  let body = data;
  let mergeBase = base;
  let tags = { etag, scheduleTag };

  const finish = (ok, outcome, finalData, validators, attempts, message) => ({
    ok,
    outcome,
    message,
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
    return { text, verdict, status: response.status };
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

    if (verdict.outcome === "ok") return finish(true, "ok", body, verdict, attempt, verdict.message);
    if (verdict.outcome === "refetch") {
      // Stored (a 2xx), but not byte for byte as sent (no strong ETag came back): learn what is
      // stored. The edit is saved whatever the GET answers; only its copy may be unknown.
      const stored = await fetchServerCopy(attempt);
      if (stored.verdict.outcome === "ok") {
        return finish(true, "ok", stored.text, stored.verdict, attempt, stored.verdict.message);
      }
      return finish(true, "ok", body, verdict, attempt,
        `stored (${response.status}), but reading the stored copy back failed (GET ${stored.status}, ` +
          `${stored.verdict.outcome}: ${stored.verdict.message}); \`data\` is what was sent: GET it ` +
          "again before the next edit");
    }
    if (verdict.outcome !== "merge-and-retry") return finish(false, verdict.outcome, body, tags, attempt, verdict.message);

    // A 412: the server's copy is newer. What the server answers is returned (ok: false with an
    // outcome and a message); only misuse (a bad local copy or option) throws.
    const server = await fetchServerCopy(attempt);
    if (server.verdict.outcome !== "ok") {
      return finish(false, server.verdict.outcome, body, tags, attempt, server.verdict.message);
    }
    const unusable = noValidator(server.verdict) ?? unusableServerCopy(server.text, body);
    // The tags stay the ones the edit was made against: the server's belong to a copy nothing
    // was merged with, and writing with them would overwrite it unseen.
    if (unusable !== null) return finish(false, "failed", body, tags, attempt, unusable);
    const mergeOptions = { local: body, server: server.text, base: mergeBase, me, role, onReschedule, personal };
    let merged = merge(mergeOptions);
    steps.push({ kind: "merge", attempt, result: merged });
    if (merged.needsConfirmation) {
      if (typeof confirm !== "function") {
        // The app asks the user and calls again: with onReschedule "keep" or "reset".
        return finish(false, "needs-confirmation", merged.data, server.verdict, attempt,
          "the organizer changed what the user had answered: ask them, then call again with " +
            'onReschedule "keep" or "reset" (or pass `confirm`)');
      }
      const keep = Boolean(await confirm(merged));
      steps.push({ kind: "confirm", attempt, keep });
      merged = merge({ ...mergeOptions, onReschedule: keep ? "keep" : "reset" });
      steps.push({ kind: "merge", attempt, result: merged });
    }
    if (merged.unchanged) {
      return finish(true, "ok", server.text, server.verdict, attempt, "the server's copy already holds the edit: nothing to write");
    }
    body = merged.data;
    mergeBase = server.text;
    tags = { etag: server.verdict.etag, scheduleTag: server.verdict.scheduleTag };
  }
  return finish(false, "give-up", body, tags, maxAttempts, `the write failed ${maxAttempts} times: show the user both versions`);
}
