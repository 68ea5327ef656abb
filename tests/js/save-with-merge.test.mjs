// saveWithMerge against a scripted CalDAV resource that enforces If-Schedule-Tag-Match /
// If-Match like a real server: the happy path, the seed conflict (the organizer moved the
// meeting first) with and without a confirm callback, a server that never settles (bounded
// give-up), a refusal, and misuse.

import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pkgDir, requireBuiltPackage, root } from "./helpers.mjs";

requireBuiltPackage();
const { saveWithMerge } = await import(join(pkgDir, "node.js"));
const fixture = (name) => readFileSync(join(root, "tests", "fixtures", "merge", name), "utf8");
const BASE = fixture("seed-base.ics");
const LOCAL = fixture("seed-local.ics");
const MOVED = fixture("seed-server-moved.ics");
const ME = "mailto:wilfredo@example.com";
const URL_ = "https://caldav.example.com/home/wilfredo/calendars/main/9263504FD3AD.ics";

/** One calendar object resource with validators; `beforePut` may change it under the client. */
function resource({ body, beforePut, refuse } = {}) {
  const state = { body, version: 1, puts: [], gets: 0 };
  const tags = () => ({ ETag: `"e${state.version}"`, "Schedule-Tag": `"s${state.version}"` });
  const fetch = async (url, init = {}) => {
    assert.equal(url, URL_);
    const method = init.method ?? "GET";
    const headers = new Headers(init.headers);
    if (method === "GET") {
      assert.equal(init.cache, "no-store", "GETs after a 412 must bypass the HTTP cache");
      state.gets += 1;
      return new Response(state.body, { status: 200, headers: tags() });
    }
    assert.equal(method, "PUT");
    beforePut?.(state);
    state.puts.push({ headers: Object.fromEntries(headers), body: init.body });
    if (refuse) return new Response(refuse.body, { status: refuse.status });
    const tag = headers.get("If-Schedule-Tag-Match");
    const etag = headers.get("If-Match");
    assert.ok(!(tag && etag), "never both preconditions");
    const current = tags();
    if (tag !== current["Schedule-Tag"] && etag !== current.ETag) return new Response("", { status: 412 });
    state.body = init.body;
    state.version += 1;
    return new Response(null, { status: 204, headers: tags() });
  };
  return { state, fetch };
}

test("a current tag saves in one PUT", async () => {
  const server = resource({ body: BASE });
  const r = await saveWithMerge({ fetch: server.fetch, url: URL_, data: LOCAL, base: BASE, me: ME, scheduleTag: '"s1"' });
  assert.equal(r.ok, true);
  assert.equal(r.outcome, "ok");
  assert.equal(r.attempts, 1);
  assert.equal(r.scheduleTag, '"s2"');
  assert.deepEqual(r.steps.map((s) => s.kind), ["put"]);
  assert.equal(server.state.puts[0].headers["if-schedule-tag-match"], '"s1"');
  assert.equal(server.state.body, LOCAL);
});

test("the seed conflict: 412, GET, merge, confirm, PUT with the new tag", async () => {
  // The organizer moved the meeting before Wilfredo's PUT arrived.
  const server = resource({ body: MOVED });
  server.state.version = 2;
  const asked = [];
  const r = await saveWithMerge({
    fetch: server.fetch, url: URL_, data: LOCAL, base: BASE, me: ME, scheduleTag: '"s1"',
    confirm: (m) => { asked.push(m); return true; },
  });
  assert.equal(r.ok, true, JSON.stringify(r.steps.map((s) => s.verdict?.message ?? s.kind)));
  assert.equal(r.attempts, 2);
  assert.deepEqual(r.steps.map((s) => s.kind), ["put", "get", "merge", "confirm", "merge", "put"]);
  assert.equal(asked.length, 1);
  assert.equal(asked[0].needsConfirmation, true);
  assert.equal(server.state.puts[1].headers["if-schedule-tag-match"], '"s2"');
  const stored = server.state.body.replace(/\r\n /g, "");
  assert.match(stored, /DTSTART:20090602T170000Z/, "the organizer's move is kept");
  assert.match(stored, /PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com/);
  assert.match(stored, /TRIGGER:-PT15M/, "the alarm survives");
  assert.equal(r.data, server.state.body);
});

test("without confirm the loop stops and hands the merge back", async () => {
  const server = resource({ body: MOVED });
  server.state.version = 2;
  const r = await saveWithMerge({ fetch: server.fetch, url: URL_, data: LOCAL, base: BASE, me: ME, scheduleTag: '"s1"' });
  assert.equal(r.ok, false);
  assert.equal(r.outcome, "needs-confirmation");
  assert.equal(server.state.puts.length, 1, "nothing is written without the user's answer");
  assert.equal(r.scheduleTag, '"s2"', "the validators for the next attempt are returned");
  assert.match(r.data, /TRIGGER:-PT15M/);
});

test("declining keeps the reset and still saves the alarm", async () => {
  const server = resource({ body: MOVED });
  server.state.version = 2;
  const r = await saveWithMerge({
    fetch: server.fetch, url: URL_, data: LOCAL, base: BASE, me: ME, scheduleTag: '"s1"', confirm: async () => false,
  });
  assert.equal(r.ok, true);
  const stored = server.state.body.replace(/\r\n /g, "");
  assert.match(stored, /PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com/);
  assert.match(stored, /TRIGGER:-PT15M/);
});

test("a server that changes before every PUT ends in give-up after maxAttempts PUTs", async () => {
  const server = resource({ body: MOVED, beforePut: (s) => { s.version += 1; } });
  const r = await saveWithMerge({
    fetch: server.fetch, url: URL_, data: LOCAL, base: BASE, me: ME, scheduleTag: '"s1"', maxAttempts: 3, confirm: () => true,
  });
  assert.equal(r.ok, false);
  assert.equal(r.outcome, "give-up");
  assert.equal(server.state.puts.length, 3);
  assert.equal(r.steps.filter((s) => s.kind === "put").at(-1).verdict.outcome, "give-up");
});

test("a refusal is returned at once with its condition", async () => {
  const body = '<?xml version="1.0"?><D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:allowed-attendee-scheduling-object-change/></D:error>';
  const server = resource({ body: BASE, refuse: { status: 403, body } });
  const r = await saveWithMerge({ fetch: server.fetch, url: URL_, data: LOCAL, me: ME, etag: '"e1"' });
  assert.equal(r.ok, false);
  assert.equal(r.outcome, "forbidden");
  assert.equal(r.steps[0].verdict.condition, "allowed-attendee-scheduling-object-change");
  assert.equal(server.state.puts[0].headers["if-match"], '"e1"');
});

test("misuse throws a TypeError with code INVALID_OPTION", async () => {
  for (const bad of [undefined, { data: LOCAL, me: ME }, { url: URL_, me: ME }, { url: URL_, data: LOCAL }, { url: URL_, data: LOCAL, me: ME, maxAttempts: 0 }, { url: URL_, data: LOCAL, me: ME, etag: '"e"', intent: "delete" }]) {
    await assert.rejects(saveWithMerge(bad), (e) => e instanceof TypeError && e.code === "INVALID_OPTION");
  }
  // Neither tag: preconditionHeaders refuses an unconditional write.
  const server = resource({ body: BASE });
  await assert.rejects(
    saveWithMerge({ fetch: server.fetch, url: URL_, data: LOCAL, me: ME }),
    (e) => e.code === "INVALID_OPTION",
  );
  assert.equal(server.state.puts.length, 0);
});

/** A fetch that answers from a script, one answer per request, and logs each request's headers. */
function scripted(answers) {
  const log = [];
  const fetch = async (url, init = {}) => {
    log.push({ method: init.method ?? "GET", headers: Object.fromEntries(new Headers(init.headers)) });
    const next = answers.shift();
    assert.ok(next, "no request beyond the script");
    return new Response(next.body ?? null, { status: next.status, headers: next.headers ?? {} });
  };
  return { fetch, log };
}

test("a re-GET with only a weak ETag and no Schedule-Tag is returned as failed, not thrown", async () => {
  // Compression middleware weakens the ETag; without a Schedule-Tag no precondition can be built.
  for (const headers of [{ ETag: 'W/"e2"' }, {}]) {
    const server = scripted([{ status: 412 }, { status: 200, body: MOVED, headers }]);
    const r = await saveWithMerge({ fetch: server.fetch, url: URL_, data: LOCAL, base: BASE, me: ME, etag: '"e1"' });
    assert.equal(r.ok, false);
    assert.equal(r.outcome, "failed");
    assert.match(r.message, /no Schedule-Tag and no strong ETag/);
    assert.deepEqual(r.steps.map((s) => s.kind), ["put", "get"]);
    assert.equal(server.log.length, 2, "nothing is written without a precondition");
    // The edit's own tag: a write with it gets a 412 again, never overwrites the newer copy.
    assert.equal(r.etag, '"e1"');
    assert.equal(r.scheduleTag, undefined);
  }
});

test("a re-GET that is not iCalendar or holds another object is returned as failed", async () => {
  const other = MOVED.replace(/^UID:.*$/m, "UID:someone-else");
  for (const [body, pattern] of [
    ["<html><body>Please sign in</body></html>", /cannot be read/],
    [MOVED.slice(0, MOVED.length / 2), /cannot be read/],
    [other, /another object/],
  ]) {
    const server = scripted([{ status: 412 }, { status: 200, body, headers: { ETag: '"e2"', "Schedule-Tag": '"s2"' } }]);
    const r = await saveWithMerge({ fetch: server.fetch, url: URL_, data: LOCAL, base: BASE, me: ME, scheduleTag: '"s1"' });
    assert.equal(r.ok, false);
    assert.equal(r.outcome, "failed");
    assert.match(r.message, pattern);
    assert.equal(server.log.length, 2);
    // Not the unmerged copy's tags: a write with them would overwrite it unseen.
    assert.equal(r.scheduleTag, '"s1"');
    assert.equal(r.etag, undefined);
  }
});

test("a Schedule-Tag with a TAB inside its quotes is sent back as received", async () => {
  const tag = '"s\t2"';
  const server = scripted([
    { status: 412 },
    { status: 200, body: MOVED, headers: { ETag: '"e2"', "Schedule-Tag": tag } },
    { status: 204, headers: { ETag: '"e3"', "Schedule-Tag": '"s3"' } },
  ]);
  const r = await saveWithMerge({
    fetch: server.fetch, url: URL_, data: LOCAL, base: BASE, me: ME, scheduleTag: '"s1"', confirm: () => true,
  });
  assert.equal(r.ok, true, r.message);
  assert.equal(server.log[2].headers["if-schedule-tag-match"], tag);
});

test("every result has a message", async () => {
  const fresh = resource({ body: BASE });
  const ok = await saveWithMerge({ fetch: fresh.fetch, url: URL_, data: LOCAL, me: ME, scheduleTag: '"s1"' });
  assert.match(ok.message, /saved/);
  const server = resource({ body: MOVED });
  server.state.version = 2;
  const asked = await saveWithMerge({ fetch: server.fetch, url: URL_, data: LOCAL, base: BASE, me: ME, scheduleTag: '"s1"' });
  assert.match(asked.message, /onReschedule/);
});

test("caller headers cannot add or override a precondition or Content-Type, in any letter case", async () => {
  for (const headers of [
    { "if-schedule-tag-match": '"old"' },
    { "if-match": '"old"' },
    { "If-Match": '"old"' },
    { "IF-NONE-MATCH": "*" },
    { "content-type": "text/plain" },
    { " If-Schedule-Tag-Match ": '"old"' },
    // Other conditional headers: a second precondition on the PUT, or a 304/206 on the re-GET.
    { "If-Unmodified-Since": "Tue, 02 Jun 2009 18:52:54 GMT" },
    { "If-Modified-Since": "Tue, 02 Jun 2009 18:52:54 GMT" },
    { "If-Range": '"e1"' },
    { If: '(<urn:uuid:x>)' },
  ]) {
    const server = scripted([]);
    await assert.rejects(
      saveWithMerge({ fetch: server.fetch, url: URL_, data: LOCAL, me: ME, scheduleTag: '"s1"', headers }),
      (e) => e instanceof TypeError && e.code === "INVALID_OPTION" && e.message.includes(Object.keys(headers)[0]),
      JSON.stringify(headers),
    );
    assert.equal(server.log.length, 0, "nothing is sent");
  }
  for (const headers of [null, "Authorization: x", [["Authorization", "x"]], new Headers({ Authorization: "x" })]) {
    await assert.rejects(
      saveWithMerge({ fetch: scripted([]).fetch, url: URL_, data: LOCAL, me: ME, scheduleTag: '"s1"', headers }),
      (e) => e.code === "INVALID_OPTION",
    );
  }
  // Other headers go with every request, next to exactly one precondition.
  const server = scripted([{ status: 204, headers: { ETag: '"e2"', "Schedule-Tag": '"s2"' } }]);
  const r = await saveWithMerge({
    fetch: server.fetch, url: URL_, data: LOCAL, me: ME, scheduleTag: '"s1"', headers: { authorization: "Basic x" },
  });
  assert.equal(r.ok, true);
  assert.deepEqual(server.log[0].headers, {
    authorization: "Basic x", "content-type": "text/calendar; charset=utf-8", "if-schedule-tag-match": '"s1"',
  });
});

test("a stored edit is ok even when reading it back fails", async () => {
  // 204 with a new Schedule-Tag and no ETag: stored, not as sent; the re-GET then fails.
  for (const [status, outcome] of [[503, "retry-later"], [500, "failed"], [401, "unauthorized"]]) {
    const server = scripted([
      { status: 204, headers: { "Schedule-Tag": '"s2"' } },
      { status, headers: status === 503 ? { "Retry-After": "5" } : {} },
    ]);
    const r = await saveWithMerge({ fetch: server.fetch, url: URL_, data: LOCAL, me: ME, scheduleTag: '"s1"' });
    assert.equal(r.ok, true, r.message);
    assert.equal(r.outcome, "ok");
    assert.equal(r.data, LOCAL);
    assert.equal(r.scheduleTag, '"s2"', "the PUT's new tag is the one to use next");
    assert.match(r.message, new RegExp(`GET ${status}, ${outcome}`));
    assert.deepEqual(r.steps.map((x) => x.kind), ["put", "get"]);
  }
});
