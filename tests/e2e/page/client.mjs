// client.mjs - the calendar client of the e2e page: it imports the BUILT package (pkg/, its
// browser entry index.js as package.json "exports" names it, `await init()`), does the HTTP with fetch through the same-origin proxy of
// test-server.mjs, and calls our exports the way an app would. The Node side drives it
// through `window.e2e` and asserts on what comes back; every exchange is also printed in the
// page (#log), in the spirit of RFC 6638 Appendix B, for screenshots.
//
// URL parameters: as=<user> (sent as X-E2E-As; the proxy adds the credentials),
// me=<calendar-user address>, server=<label shown on the page>.

import init, * as cs from "./pkg/index.js";
import * as edits from "./edits.mjs";

const params = new URLSearchParams(location.search);
const as = params.get("as") ?? "";
const me = params.get("me") ?? "";
const logList = document.querySelector("#log");

/** Appends one entry to the page's log (and returns its text). */
function show(text, kind = "") {
  const li = document.createElement("li");
  li.textContent = text;
  if (kind) li.className = kind;
  logList.append(li);
  return text;
}

const PRECONDITION_NAMES = ["If-Match", "If-None-Match", "If-Schedule-Tag-Match"];

/** One HTTP exchange as this user: status, validators, headers and body text. */
async function dav(method, href, { headers = {}, body } = {}) {
  const res = await fetch(href, {
    method,
    headers: { "X-E2E-As": as, ...headers },
    body,
    cache: "no-store",
    redirect: "manual",
  });
  const text = await res.text();
  const path = new URL(href, location.href).pathname;
  const sent = PRECONDITION_NAMES.filter((n) => headers[n] !== undefined).map((n) => `\n  ${n}: ${headers[n]}`).join("");
  const got = ["ETag", "Schedule-Tag"].filter((n) => res.headers.has(n)).map((n) => `\n  ${n}: ${res.headers.get(n)}`).join("");
  show(`${method} ${path}${sent}\n→ ${res.status}${got}`, res.status >= 400 ? "bad" : "");
  return { status: res.status, headers: res.headers, etag: res.headers.get("ETag") ?? undefined, scheduleTag: res.headers.get("Schedule-Tag") ?? undefined, body: text };
}

/** GET, classified: throws unless the verdict is "ok". */
async function get(href) {
  const answer = await dav("GET", href);
  const verdict = cs.classifyResponse({ method: "GET", status: answer.status, headers: answer.headers, body: answer.body });
  if (verdict.outcome !== "ok") throw new Error(`GET ${href}: ${answer.status} ${verdict.outcome}: ${verdict.message}`);
  return { status: answer.status, etag: answer.etag, scheduleTag: answer.scheduleTag, body: answer.body };
}

const gates = new Map();
/** Waits until the Node side opens gate `name` (used to place another client's write in between). */
function gate(name) {
  if (!name) return Promise.resolve();
  show(`(waiting: ${name})`, "note");
  return new Promise((resolve) => gates.set(name, resolve));
}

/**
 * The write loop every edit goes through: PUT with preconditionHeaders, classifyResponse,
 * and on "merge-and-retry" GET -> merge -> (confirm) -> PUT with the new tags, until the
 * verdict is final. `local` is my edited copy, `base` the copy it was made from; `guard`
 * "schedule-tag" (default: what preconditionHeaders picks) or "etag" (If-Match only);
 * `dropDuplicateTransp` turns on the app's Cyrus workaround (counted in `repairs`).
 */
async function writeLoop({ href, local, base, tags, role, maxAttempts = 3, onConfirm = "keep", guard = "schedule-tag", dropDuplicateTransp = false }) {
  const trace = [];
  const merges = [];
  let repairs = 0;
  let data = local;
  let current = tags;
  for (let attempt = 1; ; attempt++) {
    if (dropDuplicateTransp) {
      // app-level workaround for Cyrus 3.6, which writes a second TRANSP into an attendee's
      // copy and then refuses that copy (403 valid-calendar-data); the library keeps lines as
      // they came, so the app drops the duplicate before it PUTs
      const repaired = edits.dropDuplicate(data, "TRANSP");
      if (repaired !== data) {
        repairs++;
        show("app repair: dropped a duplicate TRANSP the server wrote", "note");
        data = repaired;
      }
    }
    // guard "etag": the app asks for If-Match even where a Schedule-Tag exists (ETag changes on
    // every change, the reply of another attendee included)
    const sent = cs.preconditionHeaders({ intent: "update", etag: current.etag, scheduleTag: guard === "etag" ? undefined : current.scheduleTag });
    const answer = await dav("PUT", href, { headers: { ...sent, "Content-Type": "text/calendar; charset=utf-8" }, body: data });
    const verdict = cs.classifyResponse({ method: "PUT", status: answer.status, headers: answer.headers, body: answer.body, sent, attempt, maxAttempts });
    trace.push({ attempt, sent, status: answer.status, outcome: verdict.outcome, condition: verdict.condition, scheduleTag: answer.scheduleTag, etag: answer.etag });
    show(`verdict: ${verdict.outcome}${verdict.condition ? ` (${verdict.condition})` : ""}: ${verdict.message}`, "note");
    if (verdict.outcome !== "merge-and-retry") {
      return { outcome: verdict.outcome, attempts: attempt, trace, merges, repairs, sentData: data, verdict };
    }
    if (typeof cs.merge !== "function") throw new Error("this build of caldav-sched exports no merge()");
    const fresh = await get(href);
    let report = cs.merge({ local, server: fresh.body, base, me, role, onReschedule: "ask" });
    const asked = report.needsConfirmation;
    if (asked) {
      show(`merge asks: the organizer moved what I answered; I confirm "${onConfirm}"`, "note");
      report = cs.merge({ local, server: fresh.body, base, me, role, onReschedule: onConfirm });
    }
    merges.push({ server: fresh.body, merged: report.data, asked, role: report.role, rescheduled: report.rescheduled, needsConfirmation: report.needsConfirmation, unchanged: report.unchanged, kept: report.kept, dropped: report.dropped, conflicts: report.conflicts, warnings: report.warnings });
    show(`merge (${report.role}): kept ${report.kept.map((c) => c.what).join("; ") || "nothing"}; dropped ${report.dropped.map((c) => c.what).join("; ") || "nothing"}`, "note");
    if (report.unchanged) return { outcome: "ok", unchanged: true, attempts: attempt, trace, merges, repairs, sentData: data };
    data = report.data;
    current = { etag: fresh.etag, scheduleTag: fresh.scheduleTag };
  }
}

/** The attendee's answer: GET my copy, attendeeReply, (gate), write loop. */
async function reply({ href, partstat, alarms, recurrenceId, scope, pause, maxAttempts, onConfirm, dropDuplicateTransp }) {
  const base = await get(href);
  const made = cs.attendeeReply({ data: base.body, me, partstat, alarms, recurrenceId, scope });
  show(`attendeeReply: ${partstat}${recurrenceId ? ` for ${recurrenceId}` : ""}, changed=${made.changed}, scheduleAgent=${made.scheduleAgent}`, "note");
  await gate(pause);
  const result = await writeLoop({ href, local: made.data, base: base.body, tags: base, role: "attendee", maxAttempts, onConfirm, dropDuplicateTransp });
  return { ...result, base, reply: { changed: made.changed, scheduleAgent: made.scheduleAgent, itip: made.itip, warnings: made.warnings } };
}

/** The organizer's edit: GET, edit (set or append to properties, move), (gate), write loop. */
async function organizerEdit({ href, set = {}, append = {}, moveMinutes, recurrenceId, pause, maxAttempts, guard }) {
  const base = await get(href);
  let local = base.body;
  for (const [name, value] of Object.entries(set)) local = edits.setProperty(local, name, value);
  for (const [name, value] of Object.entries(append)) local = edits.setProperty(local, name, (edits.value(local, name) ?? "") + value);
  if (moveMinutes !== undefined) local = edits.move(local, moveMinutes, recurrenceId);
  show(`organizer edit: ${JSON.stringify({ set, append, moveMinutes, recurrenceId })}`, "note");
  await gate(pause);
  const result = await writeLoop({ href, local, base: base.body, tags: base, role: "organizer", maxAttempts, guard });
  return { ...result, base };
}

/** Creates an event (If-None-Match: * from preconditionHeaders), classified. */
async function create(href, data) {
  const sent = cs.preconditionHeaders({ intent: "create" });
  const answer = await dav("PUT", href, { headers: { ...sent, "Content-Type": "text/calendar; charset=utf-8" }, body: data });
  const verdict = cs.classifyResponse({ method: "PUT", status: answer.status, headers: answer.headers, body: answer.body, sent });
  return { status: answer.status, sent, outcome: verdict.outcome, scheduleTag: answer.scheduleTag, etag: answer.etag };
}

/** PUT with the given headers, as is, classified (for the tests that probe one answer). */
async function put(href, data, headers, { attempt = 1, maxAttempts = 3 } = {}) {
  const answer = await dav("PUT", href, { headers: { ...headers, "Content-Type": "text/calendar; charset=utf-8" }, body: data });
  const verdict = cs.classifyResponse({ method: "PUT", status: answer.status, headers: answer.headers, body: answer.body, sent: headers, attempt, maxAttempts });
  return { status: answer.status, body: answer.body, etag: answer.etag, scheduleTag: answer.scheduleTag, verdict };
}

/**
 * The package's own write loop, saveWithMerge, on my copy: GET (the base), `edit` it with
 * attendeeReply options, (gate), then saveWithMerge with this page's fetch and user header.
 * `confirm` answers the merge's question (true keeps my answer).
 */
async function saveReply({ href, partstat, alarms, pause, maxAttempts, confirm = true }) {
  const base = await get(href);
  const made = cs.attendeeReply({ data: base.body, me, partstat, alarms });
  await gate(pause);
  const asked = [];
  const result = await cs.saveWithMerge({
    url: href,
    data: made.data,
    base: base.body,
    me,
    etag: base.etag,
    scheduleTag: base.scheduleTag,
    maxAttempts,
    headers: { "X-E2E-As": as },
    confirm: (m) => (asked.push({ rescheduled: m.rescheduled, kept: m.kept.map((c) => c.what) }), confirm),
  });
  for (const step of result.steps) {
    show(step.kind === "put" || step.kind === "get" ? `saveWithMerge: ${step.kind.toUpperCase()} → ${step.status} (${step.verdict.outcome})` : `saveWithMerge: ${step.kind}${step.kind === "confirm" ? ` keep=${step.keep}` : ""}`, "note");
  }
  return {
    ok: result.ok,
    outcome: result.outcome,
    attempts: result.attempts,
    data: result.data,
    scheduleTag: result.scheduleTag,
    asked,
    steps: result.steps.map((s) => ({ kind: s.kind, attempt: s.attempt, status: s.status, outcome: s.verdict?.outcome, sent: s.sent, keep: s.keep })),
  };
}

/** The href of my copy of `uid` in `calendar` (calendar-query REPORT), polled for `timeoutMs`. */
async function find(calendar, uid, timeoutMs = 5000) {
  const query = `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:prop-filter name="UID"><C:text-match collation="i;octet">${uid}</C:text-match></C:prop-filter>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await dav("REPORT", calendar, { headers: { Depth: "1", "Content-Type": "application/xml; charset=utf-8" }, body: query });
    if (answer.status !== 207) throw new Error(`REPORT ${calendar}: ${answer.status}`);
    const doc = new DOMParser().parseFromString(answer.body, "application/xml");
    const href = [...doc.getElementsByTagNameNS("DAV:", "href")].map((h) => h.textContent.trim()).find((h) => h.endsWith(".ics"));
    if (href) return new URL(href, location.href).href;
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 100)); // bounded poll: delivery is the server's side effect
  }
}

window.e2e = {
  version: () => cs.version(),
  exports: () => Object.keys(cs).sort(),
  has: (name) => typeof cs[name] === "function",
  me,
  as,
  get,
  put,
  create,
  find,
  reply,
  saveReply,
  organizerEdit,
  /** Direct calls of the package (for assertions that need the library's own reading). */
  call: (name, options) => cs[name](options),
  waiting: (name) => gates.has(name),
  open(name) {
    const resolve = gates.get(name);
    if (!resolve) throw new Error(`no one waits at gate ${name}`);
    gates.delete(name);
    show(`(gate opened: ${name})`, "note");
    resolve();
  },
  show,
};

await init();
document.querySelector("#version").textContent = cs.version();
document.querySelector("#who").textContent = `${as} (${me})`;
document.querySelector("#server").textContent = params.get("server") ?? "";
document.body.dataset.ready = "true";
