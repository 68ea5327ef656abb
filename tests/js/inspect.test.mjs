// inspect at the JS level, against ical.js: an event built with ical.js's own API (as a browser
// app holds it) goes in as jCal and every field inspect reports agrees with what ical.js reads;
// on the corpus (../shared/corpus, CALDAV_SCHED_CORPUS elsewhere; skipped with a notice when
// missing) inspect gives the same summary for the text and for ICAL.parse's jCal of it, except
// where jCal itself cannot carry the value (README "jCal").

import assert from "node:assert/strict";
import { before, test } from "node:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { importTool, pkgDir, requireBuiltPackage, root } from "./helpers.mjs";

const corpus = process.env.CALDAV_SCHED_CORPUS ?? join(root, "..", "shared", "corpus");
const corpusPresent = existsSync(join(corpus, "manifest.tsv"));

let ICAL;
let api;

before(async () => {
  requireBuiltPackage();
  ICAL = await importTool("ical.js");
  api = await import(join(pkgDir, "node.js"));
});

/** A weekly meeting with one moved instance, built with ical.js's component API. */
function buildWithIcalJs() {
  const cal = new ICAL.Component(["vcalendar", [], []]);
  cal.addPropertyWithValue("version", "2.0");
  cal.addPropertyWithValue("prodid", "-//app//ical.js//EN");
  const master = new ICAL.Component("vevent");
  master.addPropertyWithValue("uid", "weekly@example.com");
  master.addPropertyWithValue("dtstamp", ICAL.Time.fromDateTimeString("2027-01-01T00:00:00Z"));
  master.addPropertyWithValue("dtstart", ICAL.Time.fromDateTimeString("2027-01-12T15:00:00Z"));
  master.addPropertyWithValue("rrule", ICAL.Recur.fromString("FREQ=WEEKLY;COUNT=5"));
  master.addPropertyWithValue("sequence", 2);
  master.addPropertyWithValue("summary", "Sync; weekly, short");
  master.addPropertyWithValue("status", "CONFIRMED");
  const organizer = master.addPropertyWithValue("organizer", "mailto:cyrus@example.com");
  organizer.setParameter("cn", "Cyrus");
  const attendee = (address, params) => {
    const p = master.addPropertyWithValue("attendee", address);
    for (const [k, v] of Object.entries(params)) p.setParameter(k, v);
    return p;
  };
  attendee("mailto:cyrus@example.com", { partstat: "ACCEPTED", role: "CHAIR" });
  attendee("mailto:wilfredo@example.com", { cn: "Wilfredo", partstat: "TENTATIVE", rsvp: "TRUE", "schedule-status": "1.2" });
  attendee("mailto:bernard@example.net", { "schedule-status": "3.7", "delegated-to": ["mailto:a@example.net", "mailto:b@example.net"] });
  const alarm = new ICAL.Component("valarm");
  alarm.addPropertyWithValue("uid", "alarm-1");
  alarm.addPropertyWithValue("trigger", ICAL.Duration.fromString("-PT15M"));
  alarm.addPropertyWithValue("action", "DISPLAY");
  alarm.addPropertyWithValue("description", "soon");
  master.addSubcomponent(alarm);
  cal.addSubcomponent(master);
  const moved = new ICAL.Component(structuredClone(master.toJSON())); // toJSON() is the live jCal
  moved.removeAllProperties("rrule");
  moved.removeAllSubcomponents("valarm");
  moved.addPropertyWithValue("recurrence-id", ICAL.Time.fromDateTimeString("2027-01-19T15:00:00Z"));
  moved.updatePropertyWithValue("dtstart", ICAL.Time.fromDateTimeString("2027-01-19T16:00:00Z"));
  moved.updatePropertyWithValue("sequence", 3);
  for (const p of moved.getAllProperties("attendee")) {
    if (p.getFirstValue() === "mailto:wilfredo@example.com") p.setParameter("partstat", "DECLINED");
  }
  cal.addSubcomponent(moved);
  return cal;
}

test("an event built with ical.js: inspect of its jCal agrees with what ical.js reads", () => {
  const cal = buildWithIcalJs();
  const summary = api.inspect({ data: cal.toJSON(), me: "mailto:wilfredo@example.com" });
  assert.equal(summary.uid, "weekly@example.com");
  assert.equal(summary.role, "attendee");
  assert.equal(summary.organizer, "mailto:cyrus@example.com");
  assert.equal(summary.scheduleAgent, "SERVER");
  assert.deepEqual(summary.warnings, []);
  const events = cal.getAllSubcomponents("vevent");
  assert.equal(summary.components.length, events.length);
  events.forEach((event, i) => {
    const c = summary.components[i];
    const e = new ICAL.Event(event);
    assert.equal(c.type, "VEVENT");
    assert.equal(c.summary, e.summary);
    assert.equal(c.sequence, e.sequence);
    assert.equal(c.status, event.getFirstPropertyValue("status") ?? undefined);
    assert.equal(c.start, e.startDate.toICALString());
    assert.equal(c.recurrenceId, e.recurrenceId?.toICALString());
    assert.equal(c.rrule, event.getFirstPropertyValue("rrule")?.toString());
    const attendees = event.getAllProperties("attendee");
    assert.deepEqual(
      c.attendees.map((a) => [a.address, a.cn, a.partstat, a.role, a.rsvp, a.scheduleStatus?.join(","), a.delegatedTo]),
      attendees.map((p) => [
        p.getFirstValue(),
        p.getParameter("cn"),
        p.getParameter("partstat") ?? "NEEDS-ACTION",
        p.getParameter("role"),
        p.getParameter("rsvp") === "TRUE",
        p.getParameter("schedule-status"),
        [].concat(p.getParameter("delegated-to") ?? []).length ? [].concat(p.getParameter("delegated-to")) : undefined,
      ]),
    );
    const mine = attendees.find((p) => p.getFirstValue() === "mailto:wilfredo@example.com");
    assert.equal(c.myPartstat, mine.getParameter("partstat"));
    assert.deepEqual(
      c.alarms,
      event.getAllSubcomponents("valarm").map((a) => ({
        uid: a.getFirstPropertyValue("uid"),
        trigger: a.getFirstPropertyValue("trigger").toString(),
        action: a.getFirstPropertyValue("action"),
      })),
    );
  });
  assert.deepEqual(summary.components.map((c) => c.myPartstat), ["TENTATIVE", "DECLINED"]);
  const delivered = summary.components[0].attendees[1].scheduleStatusDetails;
  assert.deepEqual(delivered, [{ code: "1.2", meaning: "delivered", class: "preliminary", failed: false }]);
  const invalid = summary.components[0].attendees[2].scheduleStatusDetails[0];
  assert.equal(invalid.failed, true);
  assert.match(invalid.meaning, /not a valid calendar user/);
  // The same object as text gives the same summary.
  assert.deepEqual(api.inspect({ data: cal.toString(), me: "mailto:wilfredo@example.com" }), summary);
});

/** True for a DATE or DATE-TIME value jCal can carry unchanged. */
const wellFormedTime = (v) => v === undefined || /^\d{8}(T\d{6}Z?)?$/.test(v);

/**
 * A summary with what jCal cannot carry (README "jCal") made equal: malformed DATE/TIME values
 * (ical.js slices them at fixed positions) and the RFC 7529 leap-month suffix of BYMONTH.
 */
function comparable(summary, counts) {
  const time = (v) => {
    if (wellFormedTime(v)) return v;
    counts.malformedTime += 1;
    return "(malformed)";
  };
  return {
    ...summary,
    warnings: summary.warnings.map((w) => w.code), // lines point into different texts
    components: summary.components.map((c) => ({
      ...c,
      start: time(c.start),
      recurrenceId: time(c.recurrenceId),
      rrule: c.rrule?.replace(/(BYMONTH=[^;]*?)L/g, (_, m) => {
        counts.leapMonth += 1;
        return m;
      }),
      alarms: c.alarms.map((a) => ({ ...a, trigger: /^[+-]?P/.test(a.trigger) ? a.trigger : time(a.trigger) })),
    })),
  };
}

test("corpus: inspect of the text equals inspect of ICAL.parse's jCal", { skip: !corpusPresent && "../shared/corpus not found (CI has it)" }, () => {
  // Files where ical.js's own jCal is wrong (its line scanner; tests/js/jcal.test.mjs).
  const icalJsWrong = readFileSync(join(root, "tests", "fixtures", "jcal-corpus-differences.tsv"), "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => l.split("\t"))
    .filter(([, kind]) => kind === "parse")
    .map(([path]) => path);
  const [header, ...rows] = readFileSync(join(corpus, "manifest.tsv"), "utf8").split("\n").filter(Boolean);
  const pathColumn = header.split("\t").indexOf("path");
  const strict = new TextDecoder("utf-8", { fatal: true });
  const counts = { same: 0, sameAfterLosses: 0, malformedTime: 0, leapMonth: 0, skipped: 0 };
  const problems = [];
  for (const row of rows) {
    const path = row.split("\t")[pathColumn];
    let fromText;
    let jcal;
    try {
      const text = strict.decode(readFileSync(join(corpus, path)));
      fromText = api.inspect({ data: text });
      jcal = ICAL.parse(text);
    } catch {
      counts.skipped += 1; // not UTF-8, not one scheduling object, or ical.js throws
      continue;
    }
    if (icalJsWrong.includes(path)) {
      counts.skipped += 1;
      continue;
    }
    let fromJcal;
    try {
      fromJcal = api.inspect({ data: jcal });
    } catch (e) {
      problems.push(`${path}: inspect of ical.js's jCal threw ${e.code}: ${e.message}`);
      continue;
    }
    const scratch = { malformedTime: 0, leapMonth: 0 };
    if (isDeepStrictEqual(comparable(fromText, {}), comparable(fromJcal, {})) && fromText.components.every((c, i) => isDeepStrictEqual(c, fromJcal.components[i]))) {
      counts.same += 1;
    } else if (isDeepStrictEqual(comparable(fromText, scratch), comparable(fromJcal, {}))) {
      counts.sameAfterLosses += 1;
      counts.malformedTime += scratch.malformedTime;
      counts.leapMonth += scratch.leapMonth;
    } else {
      problems.push(`${path}: the summaries differ beyond what jCal cannot carry`);
    }
  }
  console.log(`inspect text vs jCal on the corpus: ${JSON.stringify(counts)}`);
  assert.deepEqual(problems, []);
  assert.ok(counts.same > 100, `only ${counts.same} files compared equal`);
  assert.ok(counts.sameAfterLosses > 0, "no file exercised the jCal losses");
});
