#!/usr/bin/env node
// record-answers.mjs - play representative precondition requests against the
// real servers and record each answer as JSON in tests/fixtures/server-answers/.
//
//   node tests/servers/record-answers.mjs                  # cyrus, xandikos, radicale, cyrus-stock
//   node tests/servers/record-answers.mjs xandikos         # only some
//
// Each file <server>-<case>.json holds: what was sent (method, path, the user,
// the precondition headers, the other headers, the body), the server's answer
// (status, reason, every response header in order with duplicates kept, the
// body decoded from its Content-Encoding), and `observed`: one sentence on what
// the answer means. Credentials are never written. Requests carry the
// Accept-Encoding a browser sends, because that changes Cyrus's ETags (W/).
// index.tsv lists every case with its status.
//
// Servers are started through the scripts; the ones started here are stopped
// at the end. Uses node:http (not fetch) to see raw, repeated headers.

import http from "node:http";
import zlib from "node:zlib";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as S from "./servers.mjs";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "server-answers");
const BROWSER_ENCODING = "gzip, deflate, br";
const ICS = "text/calendar; charset=utf-8";
const PRECONDITION_HEADERS = ["if-match", "if-none-match", "if-schedule-tag-match", "if-unmodified-since", "if-modified-since"];
const HOUR = 3600 * 1000;

/** Sends one request with node:http; resolves with the raw answer. */
function send(server, user, target, { method = "GET", headers = {}, body } = {}) {
  const url = new URL(target, server.url);
  if (url.origin !== new URL(server.url).origin) throw new Error(`refusing to leave ${server.url}`);
  const payload = body === undefined ? undefined : Buffer.from(body, "utf8");
  const all = { "Accept-Encoding": BROWSER_ENCODING, ...headers, ...server.authHeaders(user) };
  if (payload) all["Content-Length"] = String(payload.length);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: all, timeout: S.REQUEST_TIMEOUT_MS }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const enc = (res.headers["content-encoding"] ?? "").toLowerCase();
        let text;
        if (enc === "gzip") text = zlib.gunzipSync(raw).toString("utf8");
        else if (enc === "deflate") text = zlib.inflateSync(raw).toString("utf8");
        else if (enc === "br") text = zlib.brotliDecompressSync(raw).toString("utf8");
        else text = raw.toString("utf8");
        const pairs = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode, statusText: res.statusMessage, headers: pairs, body: text, sent: all });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** The first value of response header `name` (case-insensitive), or null. */
function header(answer, name) {
  const hit = answer.headers.find(([n]) => n.toLowerCase() === name.toLowerCase());
  return hit ? hit[1] : null;
}

/** Records the answers of one server into files, in the order the cases run. */
function recorder(server, label) {
  const cases = [];
  return {
    cases,
    /** Sends a request and records it as case `name`; returns the answer. */
    async record(name, description, user, target, init, observed) {
      const answer = await send(server, user, target, init);
      const sent = Object.entries(answer.sent).filter(([n]) => !["authorization", "x-remote-user"].includes(n.toLowerCase()));
      const url = new URL(target, server.url);
      const entry = {
        server: label,
        case: name,
        description,
        recordedAt: new Date().toISOString(),
        request: {
          method: init?.method ?? "GET",
          path: url.pathname,
          as: user,
          preconditionHeaders: Object.fromEntries(sent.filter(([n]) => PRECONDITION_HEADERS.includes(n.toLowerCase()))),
          otherHeaders: Object.fromEntries(sent.filter(([n]) => !PRECONDITION_HEADERS.includes(n.toLowerCase()))),
          body: init?.body ?? null,
        },
        response: { status: answer.status, statusText: answer.statusText, headers: answer.headers, body: answer.body },
        observed: typeof observed === "function" ? observed(answer) : observed,
      };
      cases.push(entry);
      return answer;
    },
  };
}

/** Organizer creates an invitation; returns uid, href and the create answer. */
async function createInvitation(rec, server, name, description, observed) {
  const uid = S.freshUid(name);
  const href = new URL(`${name}-${Date.now()}.ics`, server.calendar("cyrus")).href;
  const body = S.invitation({
    uid,
    start: S.futureStart(),
    organizer: { cn: "Cyrus", address: server.address("cyrus") },
    attendees: [
      { cn: "Wilfredo", address: server.address("wilfredo") },
      { cn: "Bernard", address: server.address("bernard") },
    ],
  });
  const answer = await rec.record(name, description, "cyrus", href, { method: "PUT", headers: { "Content-Type": ICS, "If-None-Match": "*" }, body }, observed);
  return { uid, href, body, answer };
}

/** Plain GET (not recorded) of a resource. */
async function peek(server, user, href, headers = {}) {
  const a = await send(server, user, href, { headers });
  return { etag: header(a, "etag"), tag: header(a, "schedule-tag"), body: a.body, status: a.status };
}

const tagNote = (a) => `Schedule-Tag ${header(a, "schedule-tag") ?? "absent"}, ETag ${header(a, "etag") ?? "absent"}`;

/** The cases for a server with implicit scheduling (Cyrus with the fix, Xandikos). */
async function scheduling(server, label) {
  const rec = recorder(server, label);
  const W = server.address("wilfredo");
  const put = (body, headers) => ({ method: "PUT", headers: { "Content-Type": ICS, ...headers }, body });

  await rec.record("options-calendar", "OPTIONS on the organizer's calendar: the DAV header announces the features", "cyrus",
    server.calendar("cyrus"), { method: "OPTIONS" }, (a) => `DAV: ${a.headers.filter(([n]) => n.toLowerCase() === "dav").map(([, v]) => v).join(" | ")}`);

  const inv = await createInvitation(rec, server, "put-organizer-create",
    "Organizer creates a scheduling object inviting wilfredo and bernard (If-None-Match: *)",
    (a) => `created: ${a.status}; ${tagNote(a)}`);
  await rec.record("put-if-none-match-existing", "The same PUT with If-None-Match: * again: the resource exists now", "cyrus",
    inv.href, put(inv.body, { "If-None-Match": "*" }), (a) => `existing resource with If-None-Match: * -> ${a.status}`);
  const org0 = await rec.record("get-organizer-copy", "Organizer GETs its copy (browser Accept-Encoding)", "cyrus", inv.href, {}, tagNote);
  await rec.record("get-organizer-copy-identity", "The same GET with Accept-Encoding: identity (no compression)", "cyrus", inv.href,
    { headers: { "Accept-Encoding": "identity" } }, (a) => `${tagNote(a)} (compare the ETag with get-organizer-copy)`);
  const orgTag0 = header(org0, "schedule-tag");
  const orgEtag0 = header(org0, "etag");

  const attHref = await S.findCopy(server, "wilfredo", inv.uid);
  if (!attHref) throw new Error(`${label}: wilfredo's copy did not arrive`);
  const att0 = await rec.record("get-attendee-copy", "Attendee (wilfredo) GETs the copy the server delivered", "wilfredo", attHref, {}, tagNote);
  const attTag0 = header(att0, "schedule-tag");

  const reply = S.addAlarm(S.setPartstat(att0.body, W, "ACCEPTED"));
  const att1put = await rec.record("put-attendee-reply-schedule-tag-current",
    "Attendee PUTs PARTSTAT=ACCEPTED + VALARM with If-Schedule-Tag-Match = the tag of its GET (RFC 6638 B.3)",
    "wilfredo", attHref, put(reply, { "If-Schedule-Tag-Match": attTag0 }),
    (a) => `${a.status}; answer: ${tagNote(a)}; the attendee's own PUT ${header(a, "schedule-tag") === attTag0 ? "kept" : "changed"} its Schedule-Tag`);
  const att1 = await peek(server, "wilfredo", attHref);

  await rec.record("put-attendee-schedule-tag-pre-reply",
    "Attendee PUTs again with the tag it had BEFORE its own reply (If-Schedule-Tag-Match)",
    "wilfredo", attHref, put(S.setPartstat(att0.body, W, "TENTATIVE"), { "If-Schedule-Tag-Match": attTag0 }),
    (a) => (a.status === 412 ? "412: the attendee's own PUT had changed the tag" : `${a.status}: the tag was unchanged by the attendee's own PUT, so it still matched`));
  // put the attendee back to ACCEPTED with the current tag (not recorded)
  const attNow = await peek(server, "wilfredo", attHref);
  await send(server, "wilfredo", attHref, put(S.setPartstat(attNow.body, W, "ACCEPTED"), { "If-Schedule-Tag-Match": attNow.tag }));
  const attAccepted = await peek(server, "wilfredo", attHref);

  const attClean = await peek(server, "wilfredo", attHref);
  await rec.record("put-attendee-forbidden-change",
    "Attendee changes SUMMARY (an organizer-owned property, RFC 6638 3.2.2.1) in its copy, with the current If-Schedule-Tag-Match",
    "wilfredo", attHref, put(S.setProperty(attClean.body, "SUMMARY", "My own title"), { "If-Schedule-Tag-Match": attClean.tag }),
    (a) => (a.status >= 400 ? `${a.status} ${a.body ? "with a DAV:error body" : "without a body"}: the change is refused` : `${a.status}: the server accepted the attendee's change to its own copy`));

  // undo a stored SUMMARY change (not recorded) so the organizer-side cases start clean
  const attBack = await peek(server, "wilfredo", attHref);
  if (S.propertyValue(attBack.body, "SUMMARY") !== S.propertyValue(attAccepted.body, "SUMMARY")) {
    await send(server, "wilfredo", attHref, put(S.setProperty(attBack.body, "SUMMARY", S.propertyValue(attAccepted.body, "SUMMARY")), { "If-Schedule-Tag-Match": attBack.tag }));
  }
  const attReady = await peek(server, "wilfredo", attHref);

  await rec.record("put-organizer-if-match-stale",
    "Organizer PUTs its first copy (DTSTART moved) with If-Match = its first ETag; the reply has changed the resource since",
    "cyrus", inv.href, put(S.reschedule(org0.body, 2 * HOUR), { "If-Match": orgEtag0 }),
    (a) => `${a.status}: stale ETag after the server merged the attendee's reply`);
  await rec.record("put-organizer-schedule-tag-pre-reply",
    "Organizer PUTs its first copy (DTSTART moved) with If-Schedule-Tag-Match = its first tag: the reply in between is an 'inconsequential' change (RFC 6638 3.2.10)",
    "cyrus", inv.href, put(S.reschedule(org0.body, 2 * HOUR), { "If-Schedule-Tag-Match": orgTag0 }),
    (a) => (a.status === 412 ? "412: merging the reply changed the organizer's Schedule-Tag (3.2.10 says it MUST NOT)" : `${a.status}: the tag survived the merged reply, as 3.2.10 requires`));

  const orgCur = await peek(server, "cyrus", inv.href, { "Accept-Encoding": "identity" });
  await rec.record("put-organizer-if-match-current", "Organizer PUTs its current copy with SUMMARY changed and If-Match = its current ETag (from a GET without compression)",
    "cyrus", inv.href, put(S.setProperty(orgCur.body, "SUMMARY", "Lunch (room 2)"), { "If-Match": orgCur.etag }), tagNote);
  const orgCur2 = await peek(server, "cyrus", inv.href);
  await rec.record("put-organizer-if-match-stale-schedule-tag-current",
    "Organizer PUTs with a stale If-Match AND the current If-Schedule-Tag-Match together",
    "cyrus", inv.href, put(orgCur2.body, { "If-Match": orgCur.etag, "If-Schedule-Tag-Match": orgCur2.tag }),
    (a) => `${a.status} when If-Match is stale but If-Schedule-Tag-Match matches`);
  const orgCur3 = await peek(server, "cyrus", inv.href);
  if (orgCur3.etag?.startsWith("W/")) {
    await rec.record("put-organizer-if-match-weak-etag",
      "Organizer PUTs with If-Match = the weak (W/) ETag its GET returned; RFC 7232 3.1 compares If-Match strongly, so a weak tag never matches",
      "cyrus", inv.href, put(orgCur3.body, { "If-Match": orgCur3.etag }),
      (a) => `${a.status}: ${a.status === 412 ? "strong comparison" : "the weak ETag was accepted (weak comparison)"}`);
  }
  const orgNow = await peek(server, "cyrus", inv.href);
  const moved = S.reschedule(orgNow.body, 4 * HOUR);
  await rec.record("put-organizer-reschedule-schedule-tag-current",
    "Organizer moves the event (DTSTART +4h, SEQUENCE+1) with If-Schedule-Tag-Match = its current tag",
    "cyrus", inv.href, put(moved, { "If-Schedule-Tag-Match": orgNow.tag }), tagNote);
  await rec.record("get-attendee-copy-after-reschedule", "Attendee GETs its copy after the organizer's reschedule", "wilfredo", attHref, {},
    (a) => `${tagNote(a)}; tag ${header(a, "schedule-tag") === attReady.tag ? "UNCHANGED" : "changed"} by the consequential change`);
  await rec.record("put-attendee-schedule-tag-stale",
    "Attendee PUTs its pre-reschedule copy (DECLINED) with the tag it last had: a stale If-Schedule-Tag-Match",
    "wilfredo", attHref, put(S.setPartstat(att1.body, W, "DECLINED"), { "If-Schedule-Tag-Match": attReady.tag }),
    (a) => `${a.status}: stale Schedule-Tag${a.body ? " (with a body)" : ", empty body"}`);
  await rec.record("put-attendee-if-match-stale",
    "Attendee PUTs its pre-reschedule copy with If-Match = its old ETag", "wilfredo", attHref,
    put(S.setPartstat(att1.body, W, "DECLINED"), { "If-Match": attReady.etag }), (a) => `${a.status}: stale ETag`);
  const attMoved = await peek(server, "wilfredo", attHref);
  await rec.record("put-attendee-reaccept-after-reschedule",
    "Attendee re-accepts the rescheduled event: its current copy with PARTSTAT=ACCEPTED and the current If-Schedule-Tag-Match",
    "wilfredo", attHref, put(S.setPartstat(attMoved.body, W, "ACCEPTED"), { "If-Schedule-Tag-Match": attMoved.tag }),
    (a) => `${a.status}${a.status >= 400 ? `: the server refuses its own copy (it holds ${(attMoved.body.match(/^TRANSP[;:]/gm) ?? []).length} TRANSP properties)` : ""}`);

  await rec.record("put-uid-conflict",
    "Organizer PUTs a second resource with the UID of an existing scheduling object in the same calendar",
    "cyrus", new URL(`uid-conflict-${Date.now()}.ics`, server.calendar("cyrus")).href, put(inv.body, { "If-None-Match": "*" }),
    (a) => `${a.status}${a.body ? " with a DAV:error body" : ""}: UID already used (RFC 4791 5.3.2.1 / RFC 6638 3.2.4.1 precondition, not a tag mismatch)`);
  await rec.record("put-invalid-calendar-data", "Organizer PUTs a VCALENDAR without any component or UID", "cyrus",
    new URL(`invalid-${Date.now()}.ics`, server.calendar("cyrus")).href,
    put("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//caldav-sched//tests//EN\r\nEND:VCALENDAR\r\n", { "If-None-Match": "*" }),
    (a) => `${a.status}${a.body ? " with a body" : ""}`);
  await rec.record("put-other-users-calendar", "Attendee (wilfredo) PUTs into the organizer's calendar", "wilfredo",
    new URL(`intruder-${Date.now()}.ics`, server.calendar("cyrus")).href, put(inv.body.replace(inv.uid, S.freshUid("intruder")), { "If-None-Match": "*" }),
    (a) => `${a.status}${header(a, "location") ? ` to ${header(a, "location")}` : ""}${a.body ? " with a body" : ""}`);

  const missing = new URL(`missing-${Date.now()}.ics`, server.calendar("cyrus")).href;
  await rec.record("get-missing", "GET of a resource that does not exist", "cyrus", missing, {}, (a) => `${a.status}`);
  await rec.record("put-if-match-missing", "PUT with If-Match on a resource that does not exist", "cyrus", missing,
    put(S.invitation({ uid: S.freshUid("missing"), start: S.futureStart(), organizer: { cn: "Cyrus", address: server.address("cyrus") }, attendees: [] }), { "If-Match": '"no-such-etag"' }),
    (a) => `${a.status}`);
  await rec.record("put-schedule-tag-missing", "PUT with If-Schedule-Tag-Match on a resource that does not exist", "cyrus", missing,
    put(S.invitation({ uid: S.freshUid("missing"), start: S.futureStart(), organizer: { cn: "Cyrus", address: server.address("cyrus") }, attendees: [] }), { "If-Schedule-Tag-Match": '"no-such-tag"' }),
    (a) => `${a.status}`);
  await rec.record("delete-missing", "DELETE of a resource that does not exist", "cyrus", missing, { method: "DELETE" }, (a) => `${a.status}`);

  const del = await createInvitation(rec, server, "put-organizer-create-second", "Organizer creates a second invitation (to be deleted)", tagNote);
  const delCur = await peek(server, "cyrus", del.href);
  await rec.record("delete-if-match-stale", "Organizer DELETEs with a stale If-Match", "cyrus", del.href,
    { method: "DELETE", headers: { "If-Match": '"0000000000000000000000000000000000000000"' } }, (a) => `${a.status}`);
  await rec.record("delete-schedule-tag-stale", "Organizer DELETEs with a stale If-Schedule-Tag-Match (RFC 6638 3.2.10.2)", "cyrus", del.href,
    { method: "DELETE", headers: { "If-Schedule-Tag-Match": '"0000000000000000000000000000000000000000"' } }, (a) => `${a.status}`);
  await rec.record("delete-schedule-tag-current", "Organizer DELETEs with the current If-Schedule-Tag-Match (cancels the invitation)", "cyrus", del.href,
    { method: "DELETE", headers: { "If-Schedule-Tag-Match": delCur.tag } }, (a) => `${a.status}`);
  return rec.cases;
}

/** Cases for the stock Cyrus: what its Schedule-Tag bug looks like on the wire. */
async function cyrusStock(server, label) {
  const rec = recorder(server, label);
  const W = server.address("wilfredo");
  const put = (body, headers) => ({ method: "PUT", headers: { "Content-Type": ICS, ...headers }, body });
  const inv = await createInvitation(rec, server, "put-organizer-create", "Organizer creates a scheduling object", tagNote);
  const attHref = await S.findCopy(server, "wilfredo", inv.uid);
  if (!attHref) throw new Error(`${label}: wilfredo's copy did not arrive`);
  const att0 = await peek(server, "wilfredo", attHref);
  const reply = await rec.record("put-attendee-reply-schedule-tag-current", "Attendee accepts with the current If-Schedule-Tag-Match",
    "wilfredo", attHref, put(S.setPartstat(att0.body, W, "ACCEPTED"), { "If-Schedule-Tag-Match": att0.tag }), tagNote);
  const att1 = await rec.record("get-attendee-copy-after-reply", "Attendee GETs its copy: the tag differs from the PUT answer's (it is SHA1(UID))",
    "wilfredo", attHref, {}, (a) => `PUT answered ${header(reply, "schedule-tag")}, GET says ${header(a, "schedule-tag")}`);
  const orgNow = await peek(server, "cyrus", inv.href);
  await send(server, "cyrus", inv.href, put(S.reschedule(orgNow.body, 4 * HOUR), { "If-Schedule-Tag-Match": orgNow.tag }));
  await rec.record("put-attendee-schedule-tag-stale-accepted",
    "After the organizer's reschedule, the attendee PUTs its old copy with its old tag: stock Cyrus accepts it (the bug)",
    "wilfredo", attHref, put(S.setPartstat(att1.body, W, "DECLINED"), { "If-Schedule-Tag-Match": header(att1, "schedule-tag") }),
    (a) => `${a.status}: ${a.status === 412 ? "rejected" : "BUG: a stale Schedule-Tag was accepted and the reschedule overwritten"}`);
  return rec.cases;
}

/** Cases for Radicale: no Schedule-Tag, ETag preconditions only. */
async function radicale(server, label) {
  const rec = recorder(server, label);
  const put = (body, headers) => ({ method: "PUT", headers: { "Content-Type": ICS, ...headers }, body });
  await rec.record("options-calendar", "OPTIONS on the organizer's calendar: no calendar-auto-schedule", "cyrus", server.calendar("cyrus"),
    { method: "OPTIONS" }, (a) => `DAV: ${header(a, "dav")}`);
  const inv = await createInvitation(rec, server, "put-organizer-create", "Organizer creates an event with attendees (no scheduling happens)", tagNote);
  await rec.record("put-if-none-match-existing", "The same PUT with If-None-Match: * again", "cyrus", inv.href, put(inv.body, { "If-None-Match": "*" }), (a) => `${a.status}`);
  const got = await rec.record("get-organizer-copy", "Organizer GETs its copy: ETag, no Schedule-Tag", "cyrus", inv.href, {}, tagNote);
  const etag0 = header(got, "etag");
  await rec.record("put-if-match-current", "PUT with SUMMARY changed and If-Match = current ETag", "cyrus", inv.href,
    put(S.setProperty(got.body, "SUMMARY", "Lunch (room 2)"), { "If-Match": etag0 }), tagNote);
  await rec.record("put-if-match-stale", "PUT with If-Match = the previous ETag", "cyrus", inv.href, put(got.body, { "If-Match": etag0 }), (a) => `${a.status}: stale ETag`);
  await rec.record("put-schedule-tag-ignored", "PUT with a bogus If-Schedule-Tag-Match: Radicale ignores the header", "cyrus", inv.href,
    put(S.setProperty(got.body, "SUMMARY", "Lunch (room 3)"), { "If-Schedule-Tag-Match": '"no-such-tag"' }),
    (a) => `${a.status}: ${a.status < 300 ? "If-Schedule-Tag-Match ignored; only If-Match protects a write here" : "rejected"}`);
  await rec.record("put-uid-conflict", "PUT of a second resource with an existing UID", "cyrus",
    new URL(`uid-conflict-${Date.now()}.ics`, server.calendar("cyrus")).href, put(inv.body, { "If-None-Match": "*" }),
    (a) => `${a.status}${a.body ? " with a body" : ""}`);
  await rec.record("put-other-users-calendar", "Attendee (wilfredo) PUTs into the organizer's calendar", "wilfredo",
    new URL(`intruder-${Date.now()}.ics`, server.calendar("cyrus")).href, put(inv.body, { "If-None-Match": "*" }), (a) => `${a.status}`);
  const missing = new URL(`missing-${Date.now()}.ics`, server.calendar("cyrus")).href;
  await rec.record("delete-missing", "DELETE of a resource that does not exist", "cyrus", missing, { method: "DELETE" }, (a) => `${a.status}`);
  await rec.record("delete-if-match-stale", "DELETE with a stale If-Match", "cyrus", inv.href,
    { method: "DELETE", headers: { "If-Match": etag0 } }, (a) => `${a.status}`);
  return rec.cases;
}

/** Pretty JSON with each [name, value] header pair on one line. */
function toJson(value) {
  const str = '"(?:[^"\\\\]|\\\\.)*"';
  const pair = new RegExp(`\\[\\n\\s+(${str}),\\n\\s+(${str})\\n\\s+\\]`, "g");
  return JSON.stringify(value, null, 2).replace(pair, "[$1, $2]") + "\n";
}

const RUNNERS = { cyrus: scheduling, xandikos: scheduling, "cyrus-stock": cyrusStock, radicale };

async function main() {
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ["cyrus", "xandikos", "radicale", "cyrus-stock"];
  mkdirSync(OUT, { recursive: true });
  const index = [];
  for (const kind of wanted) {
    if (!RUNNERS[kind]) throw new Error(`unknown server ${kind}`);
    const server = await S.startServer(kind);
    try {
      const cases = await RUNNERS[kind](server, kind);
      for (const f of readdirSync(OUT)) if (f.startsWith(`${kind}-`) && f.endsWith(".json") && !(kind === "cyrus" && f.startsWith("cyrus-stock-"))) rmSync(join(OUT, f));
      for (const c of cases) {
        writeFileSync(join(OUT, `${kind}-${c.case}.json`), toJson(c));
        index.push([kind, c.case, c.request.method, c.response.status, c.observed]);
      }
      console.log(`${kind}: recorded ${cases.length} answers`);
    } finally {
      if (server.startedHere) await S.stopServer(kind);
    }
  }
  // index.tsv: one row per recorded file; rows of servers not re-recorded now are kept
  const tsvPath = join(OUT, "index.tsv");
  const previous = existsSync(tsvPath) ? readFileSync(tsvPath, "utf8").split("\n").slice(1).filter(Boolean) : [];
  const keep = previous.filter((row) => !wanted.includes(row.split("\t")[0]));
  const rows = [...keep, ...index.map((r) => r.join("\t"))].sort();
  writeFileSync(tsvPath, ["server\tcase\tmethod\tstatus\tobserved", ...rows].join("\n") + "\n");
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
