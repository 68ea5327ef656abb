// The JS API against its contract (../shared/docs/API.md, STYLE.md), on the built package in
// pkg/: the names and result shapes API.md lists, the Error class and `code` of every thrown
// value (also for misuse such as a number where a string belongs), the option named in a
// wrong-shape message, and silence on the console for valid input.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixture, importPackage, pkgDir } from "./helpers.mjs";

let api;
const ME = "mailto:wilfredo@example.com";
const NOW = "20090602T185754Z";
const single = () => fixture("itip/s1-wilfredo.ics");
const series = () => fixture("itip/recurring-montreal.ics");

before(async () => {
  api = await importPackage();
});

/** Runs `f`, which must throw; returns what it threw. */
function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

/** The thrown value is a real `Error` of `Class` with `code`, and the module still answers. */
function assertError(e, Class, code) {
  assert.ok(e instanceof Error, `not an Error: ${e}`);
  assert.ok(e instanceof Class, `${e.constructor.name}, expected ${Class.name}: ${e.message}`);
  assert.equal(e.code, code, e.message);
  assert.equal(typeof e.message, "string");
  assert.notEqual(e.message, "");
  assert.equal(api.version(), JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version);
}

describe("exports named in API.md", () => {
  test("every function exists", () => {
    for (const name of [
      "parseEntityTag", "compareEntityTags", "preconditionHeaders", "classifyResponse",
      "attendeeReply", "merge", "toJcal", "toIcal", "inspect", "version", "initSync", "default",
    ]) {
      assert.equal(typeof api[name], "function", name);
    }
  });

  test("result shapes carry the fields API.md names", () => {
    const reply = api.attendeeReply({ data: single(), me: ME, partstat: "ACCEPTED", now: NOW });
    assert.deepEqual(Object.keys(reply).sort(), ["changed", "data", "itip", "scheduleAgent", "warnings"]);
    assert.equal(reply.itip, null);
    // A delegation the client sends itself adds `forward`, the REQUEST for the delegate.
    const client = series().replaceAll("ORGANIZER;", "ORGANIZER;SCHEDULE-AGENT=CLIENT;");
    const delegated = api.attendeeReply({
      data: client, me: ME, partstat: "DELEGATED", delegateTo: ["mailto:e@example.com"], now: NOW,
    });
    assert.deepEqual(Object.keys(delegated).sort(), ["changed", "data", "forward", "itip", "scheduleAgent", "warnings"]);
    assert.match(delegated.itip, /\r\nMETHOD:REPLY\r\n/);
    assert.match(delegated.forward, /\r\nMETHOD:REQUEST\r\n/);
    assert.match(delegated.forward.replaceAll("\r\n ", ""), /DELEGATED-FROM="mailto:wilfredo@example.com"/);
    const merged = api.merge({ local: reply.data, server: single(), base: single(), me: ME });
    for (const key of ["data", "role", "kept", "dropped", "conflicts", "rescheduled", "needsConfirmation", "unchanged", "warnings"]) {
      assert.ok(key in merged, key);
    }
    const verdict = api.classifyResponse({ method: "PUT", status: 204, headers: {} });
    assert.equal(verdict.outcome, "refetch");
    assert.deepEqual(verdict.warnings, []);
    const summary = api.inspect({ data: series(), me: ME });
    assert.deepEqual(summary.components.map((c) => c.recurrenceId), [undefined, "20090604T150000", "20090605T150000"]);
    assert.deepEqual(api.parseEntityTag('W/"abc"'), { raw: 'W/"abc"', opaque: "abc", weak: true });
  });
});

describe("misuse throws an Error with a code, never a trap", () => {
  test("parseEntityTag with a number, undefined or an object: TypeError INVALID_OPTION", () => {
    for (const value of [123, undefined, null, {}, ['"a"']]) {
      assertError(thrown(() => api.parseEntityTag(value)), TypeError, "INVALID_OPTION");
    }
    // Still a RangeError for a malformed string.
    assertError(thrown(() => api.parseEntityTag("abc")), RangeError, "BAD_ENTITY_TAG");
  });

  test("compareEntityTags with a tag that is not a string: TypeError INVALID_OPTION", () => {
    assertError(thrown(() => api.compareEntityTags(undefined, '"1"')), TypeError, "INVALID_OPTION");
    assertError(thrown(() => api.compareEntityTags('"1"', 1)), TypeError, "INVALID_OPTION");
    assert.equal(api.compareEntityTags('"1"', 'W/"1"'), false);
    assert.equal(api.compareEntityTags('"1"', 'W/"1"', { weak: true }), true);
  });

  test("a parse error is a SyntaxError with `line`, and the message names it", () => {
    const e = thrown(() => api.attendeeReply({
      data: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n", me: ME, partstat: "ACCEPTED",
    }));
    assertError(e, SyntaxError, "PARSE");
    assert.equal(e.line, 4);
    assert.match(e.message, /line 4/);
  });
});

describe("a wrong-shape option is named in the message", () => {
  const cases = [
    ["scheduleReply", () => api.preconditionHeaders({ intent: "delete", etag: '"e"', scheduleReply: "F" })],
    ["etag", () => api.preconditionHeaders({ intent: "update", etag: 5 })],
    ["personal", () => api.merge({ local: single(), server: single(), me: ME, personal: "COLOR" })],
    ["delegateTo", () => api.attendeeReply({ data: single(), me: ME, partstat: "DELEGATED", delegateTo: "mailto:d@example.com" })],
    ["status", () => api.classifyResponse({ method: "PUT", status: "204", headers: {} })],
    ["headers", () => api.classifyResponse({ method: "GET", status: 200, headers: { etag: 5 } })],
  ];
  for (const [name, call] of cases) {
    test(name, () => {
      const e = thrown(call);
      assertError(e, TypeError, "INVALID_OPTION");
      assert.ok(e.message.startsWith(`\`${name}\`: `), e.message);
      assert.doesNotMatch(e.message, /Reflect|non-object/);
    });
  }

  test("a string where a list or a map belongs says so in serde's words", () => {
    const personal = thrown(() => api.merge({ local: single(), server: single(), me: ME, personal: "COLOR" }));
    assert.equal(personal.message, "`personal`: invalid type: string, expected an array or an object");
    const sent = thrown(() => api.classifyResponse({ method: "PUT", status: 412, sent: 5 }));
    assertError(sent, TypeError, "INVALID_OPTION");
    assert.equal(sent.message, "`sent`: invalid type: number, expected an array or an object");
  });
});

describe("attendeeReply refuses what it cannot write", () => {
  test("a control character in an alarm description is UNSAFE_VALUE, not dropped", () => {
    const e = thrown(() => api.attendeeReply({
      data: single(), me: ME, partstat: "ACCEPTED", now: NOW, alarms: [{ trigger: "-PT5M", description: "a\u0007b" }],
    }));
    assertError(e, RangeError, "UNSAFE_VALUE");
    const ok = api.attendeeReply({
      data: single(), me: ME, partstat: "ACCEPTED", now: NOW, alarms: [{ trigger: "-PT5M", description: "a\nb" }],
    });
    assert.match(ok.data, /\r\nDESCRIPTION:a\\nb\r\n/);
  });

  test("a scope without recurrenceId names the scope as JS spells it", () => {
    for (const scope of ["instance", "thisAndFuture"]) {
      const e = thrown(() => api.attendeeReply({ data: series(), me: ME, partstat: "DECLINED", scope }));
      assertError(e, TypeError, "INVALID_OPTION");
      assert.ok(e.message.includes(`"${scope}"`), e.message);
    }
  });
});

describe("TypeScript declarations", () => {
  const dts = () => readFileSync(join(pkgDir, "caldav_sched.d.ts"), "utf8");
  const block = (text, name) => text.slice(text.indexOf(`export interface ${name} {`)).split("\n}")[0];

  test("ReplyResult.itip is string | null, as the value is", () => {
    assert.match(block(dts(), "ReplyResult"), /\n\s+itip: string \| null;/);
  });

  test("ReplyResult.forward is optional: present only when there is a REQUEST to forward", () => {
    assert.match(block(dts(), "ReplyResult"), /\n\s+forward\?: string;/);
  });

  test("Verdict.warnings is always present", () => {
    assert.match(block(dts(), "Verdict"), /\n\s+warnings: Warning\[\];/);
  });

  test("ResponseInput.sent is a Record of header names, as API.md types it", () => {
    assert.match(block(dts(), "ResponseInput"), /\n\s+sent\?: Record<string, string>;/);
  });

  test("entity-tag functions take strings", () => {
    assert.match(dts(), /export function parseEntityTag\(value: string\): EntityTag;/);
    assert.match(dts(), /export function compareEntityTags\(a: string, b: string, options\?: \{ weak\?: boolean \}\): boolean;/);
  });

  test("no `any` outside wasm-bindgen's InitOutput, and every API function has a JS example", () => {
    const text = dts();
    const outside = text
      .replace(/export interface InitOutput \{[\s\S]*?\n\}/, "")
      .replace(/\/\*[\s\S]*?\*\//g, "");
    assert.doesNotMatch(outside, /[:<|(,]\s*any\b/);
    const docs = [...text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*export function (\w+)/g)];
    const documented = new Map(docs.map((m) => [m[2], m[1]]));
    for (const name of ["attendeeReply", "classifyResponse", "compareEntityTags", "inspect", "merge",
      "parseEntityTag", "preconditionHeaders", "roundTrip", "toIcal", "toJcal", "version"]) {
      assert.match(documented.get(name) ?? "", /```js/, `${name} has no JS example`);
    }
  });
});

describe("valid input prints nothing", () => {
  const printed = [];
  const saved = {};
  before(() => {
    for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
      saved[level] = console[level];
      console[level] = (...args) => printed.push([level, ...args]);
    }
  });
  after(() => Object.assign(console, saved));

  test("every export on valid input", () => {
    const reply = api.attendeeReply({ data: series(), me: ME, partstat: "DECLINED", recurrenceId: "20090603T190000Z" });
    api.merge({ local: reply.data, server: series(), base: series(), me: ME, onReschedule: "keep" });
    api.inspect({ data: api.toJcal({ data: reply.data }), me: ME });
    api.toIcal({ data: api.toJcal({ data: single() }) });
    api.roundTrip({ data: single() });
    const sent = api.preconditionHeaders({ intent: "update", etag: '"1"', scheduleTag: '"s"' });
    api.classifyResponse({ method: "PUT", status: 412, headers: new Headers(), sent, attempt: 3 });
    api.compareEntityTags('"1"', '"1"');
    api.parseEntityTag('"1"');
    api.version();
    assert.deepEqual(printed, []);
  });
});
