// Valid calls make no JS Error objects. At the boundary every serde error is a JS `Error`, whose
// stack trace costs microseconds; a conversion that tries one shape and falls back to another
// (serde's `untagged`) made one per call and threw it away: `me` as an array cost 6 µs more per
// attendeeReply, merge and inspect. This counts the Error objects each export makes on valid
// input of every accepted shape (in its own process: the Error constructors are wrapped).

import assert from "node:assert/strict";
import { before, test } from "node:test";
import { fixture, importPackage } from "./helpers.mjs";

let made = 0;
for (const name of ["Error", "TypeError", "RangeError", "SyntaxError"]) {
  const Original = globalThis[name];
  globalThis[name] = new Proxy(Original, {
    construct(target, args, newTarget) {
      made++;
      return Reflect.construct(target, args, newTarget);
    },
    apply(target, self, args) {
      made++;
      return Reflect.apply(target, self, args);
    },
  });
}

let api;
const ME = ["mailto:wilfredo@example.com", "/principals/users/wilfredo/"];
const NOW = "20090602T185754Z";
const single = () => fixture("itip/s1-wilfredo.ics");
const series = () => fixture("itip/recurring-montreal.ics");

before(async () => {
  api = await importPackage();
});

/** How many Error objects `f` makes (after one call to warm up caches). */
function errorsMadeBy(f) {
  f();
  made = 0;
  f();
  return made;
}

test("the counter sees an Error the package makes", () => {
  assert.equal(errorsMadeBy(() => assert.throws(() => api.parseEntityTag("no quotes"))), 1);
});

test("valid calls of every export, with options of every accepted shape, make no Error", () => {
  const answered = api.attendeeReply({ data: single(), me: ME, partstat: "ACCEPTED", now: NOW }).data;
  const dav = '<?xml version="1.0"?><D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">' +
    "<C:allowed-attendee-scheduling-object-change/></D:error>";
  const calls = {
    "attendeeReply, me a string": () =>
      api.attendeeReply({ data: single(), me: ME[0], partstat: "ACCEPTED", now: NOW }),
    "attendeeReply, me an array, alarms, comment, limits": () =>
      api.attendeeReply({
        data: single(), me: ME, partstat: "TENTATIVE", now: NOW, comment: "late",
        alarms: [{ trigger: "-PT15M", description: "soon" }], limits: { maxBytes: 1 << 20 },
      }),
    "attendeeReply, one instance of a series": () =>
      api.attendeeReply({ data: series(), me: ME, partstat: "DECLINED", now: NOW, recurrenceId: "20090603T190000Z" }),
    "attendeeReply, bytes": () =>
      api.attendeeReply({ data: new TextEncoder().encode(single()), me: ME, partstat: "ACCEPTED", now: NOW }),
    "attendeeReply, jCal": () =>
      api.attendeeReply({ data: api.toJcal({ data: single() }), me: ME, partstat: "ACCEPTED", now: NOW }),
    "merge, me an array": () => api.merge({ local: answered, server: single(), base: single(), me: ME }),
    "merge, me a string": () => api.merge({ local: answered, server: single(), me: ME[0] }),
    "inspect, me an array": () => api.inspect({ data: series(), me: ME }),
    inspect: () => api.inspect({ data: series() }),
    "classifyResponse, headers an object": () =>
      api.classifyResponse({ method: "PUT", status: 201, headers: { etag: '"e1"', "schedule-tag": '"s1"' } }),
    "classifyResponse, Headers, sent, attempt": () =>
      api.classifyResponse({
        method: "PUT", status: 412, headers: new Headers({ etag: '"e2"' }),
        sent: { "If-Schedule-Tag-Match": '"s0"' }, attempt: 1,
      }),
    "classifyResponse, header pairs and a DAV:error body": () =>
      api.classifyResponse({ method: "PUT", status: 403, headers: [["content-type", "application/xml"]], body: dav }),
    preconditionHeaders: () => api.preconditionHeaders({ intent: "update", etag: '"e"', scheduleTag: '"s"' }),
    parseEntityTag: () => api.parseEntityTag('W/"x"'),
    compareEntityTags: () => api.compareEntityTags('"a"', 'W/"a"', { weak: true }),
    toJcal: () => api.toJcal({ data: series() }),
    toIcal: () => api.toIcal({ data: api.toJcal({ data: series() }) }),
    roundTrip: () => api.roundTrip({ data: series() }),
  };
  const making = Object.entries(calls)
    .map(([name, f]) => [name, errorsMadeBy(f)])
    .filter(([, n]) => n > 0);
  assert.deepEqual(making, []);
});
