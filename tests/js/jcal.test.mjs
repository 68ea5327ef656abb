// jCal at the JS level, against ical.js itself (tools/node_modules/ical.js): our toJcal equals
// ICAL.parse on tests/fixtures/jcal/ and on the real-world corpus (../shared/corpus; skipped with
// a notice when missing), and ical.js accepts what we emit: ICAL.parse(toIcal(jcal)) is the same
// jCal, and jCal results of other exports load into ICAL.Component. The README's list of what jCal
// cannot carry is the one in src/ical/jcal.rs.

import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { importTool, pkgDir, requireBuiltPackage, root } from "./helpers.mjs";

const fixtures = join(root, "tests", "fixtures", "jcal");
// CALDAV_SCHED_CORPUS points elsewhere (e.g. /work/shared/corpus from a worktree).
const corpus = process.env.CALDAV_SCHED_CORPUS ?? join(root, "..", "shared", "corpus");
const corpusPresent = existsSync(join(corpus, "manifest.tsv"));

let ICAL;
let api;

before(async () => {
  requireBuiltPackage();
  ICAL = await importTool("ical.js");
  api = await import(join(pkgDir, "node.js"));
});

/** ICAL.parse as plain JSON data (what an app would store or send). */
function icalParse(text) {
  return JSON.parse(JSON.stringify(ICAL.parse(text)));
}

/** The first path where two JSON values differ, for readable failures. */
function firstDifference(a, b, path = "") {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === "object" && typeof b === "object") {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${path}/${k}`);
      if (d) return d;
    }
  }
  return `${path || "/"}: ours ${JSON.stringify(a)?.slice(0, 160)} ical.js ${JSON.stringify(b)?.slice(0, 160)}`;
}

/** Rows of a tab-separated list with # comments. */
function tsv(path) {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => l.split("\t").map((f) => f.trim()));
}

const fixtureNames = readdirSync(fixtures)
  .filter((f) => f.endsWith(".ics"))
  .map((f) => f.slice(0, -".ics".length))
  .sort();

describe("jCal fixtures (tests/fixtures/jcal) against ical.js", () => {
  test("there are fixtures", () => assert.ok(fixtureNames.length >= 20, `only ${fixtureNames.length}`));

  for (const name of fixtureNames) {
    test(name, () => {
      const text = readFileSync(join(fixtures, `${name}.ics`), "utf8");
      const ours = api.toJcal({ data: text });
      const live = icalParse(text);
      assert.equal(firstDifference(ours, live), null, "toJcal equals ICAL.parse");
      const stored = JSON.parse(readFileSync(join(fixtures, `${name}.icaljs.json`), "utf8"));
      assert.deepEqual(live, stored, "the installed ical.js still gives the stored .icaljs.json");

      // ical.js accepts what we emit: our iCalendar from jCal reads back as the same jCal ...
      const ics = api.toIcal({ data: ours });
      assert.equal(typeof ics, "string");
      assert.equal(firstDifference(icalParse(ics), ours), null, "ICAL.parse(toIcal(jcal)) equals jcal");
      // ... and ical.js's own jCal (from its component model) goes in and comes back unchanged.
      const fromModel = new ICAL.Component(ICAL.parse(text)).toJSON();
      assert.equal(firstDifference(api.toJcal({ data: api.toIcal({ data: fromModel }) }), icalParse(text)), null);
    });
  }
});

describe("jCal through the other exports", () => {
  const invitation = [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//caldav-sched//tests//EN",
    "BEGIN:VEVENT", "UID:jcal-1@example.com", "DTSTAMP:20270101T000000Z", "DTSTART:20270112T150000Z",
    "DTEND:20270112T160000Z", "SEQUENCE:1", "SUMMARY:Planning\\, Q1",
    "ORGANIZER;CN=Cyrus:mailto:cyrus@example.com",
    "ATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com",
    "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:wilfredo@example.com",
    "END:VEVENT", "END:VCALENDAR", "",
  ].join("\r\n");

  test("attendeeReply takes ical.js's jCal and gives jCal that ICAL.Component reads", () => {
    const jcal = ICAL.parse(invitation);
    const r = api.attendeeReply({ data: jcal, me: "mailto:wilfredo@example.com", partstat: "ACCEPTED", now: "20270105T100000Z" });
    assert.ok(Array.isArray(r.data), "jCal in, jCal out");
    const event = new ICAL.Component(r.data).getFirstSubcomponent("vevent");
    const me = event.getAllProperties("attendee").find((p) => p.getFirstValue() === "mailto:wilfredo@example.com");
    assert.equal(me.getParameter("partstat"), "ACCEPTED");
    assert.equal(event.getFirstPropertyValue("summary"), "Planning, Q1");
    assert.equal(event.getFirstPropertyValue("dtstamp").toString(), "2027-01-05T10:00:00Z");
    // format overrides the input's form, both ways.
    assert.equal(typeof api.attendeeReply({ data: jcal, me: "mailto:wilfredo@example.com", partstat: "DECLINED", now: "20270105T100000Z", format: "ical" }).data, "string");
    const asJcal = api.attendeeReply({ data: invitation, me: "mailto:wilfredo@example.com", partstat: "DECLINED", now: "20270105T100000Z", format: "jcal" }).data;
    assert.equal(firstDifference(asJcal, icalParse(api.toIcal({ data: asJcal }))), null);
  });

  test("malformed jCal is a SyntaxError naming the path; the module keeps working", () => {
    assert.throws(() => api.toIcal({ data: ["vcalendar", [["version", {}, 2, "2.0"]], []] }), (e) => {
      assert.ok(e instanceof SyntaxError);
      assert.equal(e.code, "PARSE");
      assert.match(e.message, /properties\[0\]/);
      return true;
    });
    assert.throws(() => api.toIcal({ data: "BEGIN:VCALENDAR" }), (e) => e instanceof TypeError && e.code === "INVALID_OPTION");
    assert.deepEqual(api.toJcal({ data: invitation }), icalParse(invitation));
  });
});

describe("README", () => {
  /** The bullet list of one `# title` section of the module doc of src/ical/jcal.rs. */
  function documentedList(title) {
    const doc = readFileSync(join(root, "src", "ical", "jcal.rs"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("//!"))
      .map((l) => l.replace(/^\/\/! ?/, ""))
      .join("\n");
    const start = doc.indexOf(`# ${title}`);
    assert.ok(start >= 0, `no '# ${title}' section in src/ical/jcal.rs`);
    const body = doc.slice(start).split("\n").slice(1);
    const end = body.findIndex((l) => l.startsWith("# "));
    const lines = end < 0 ? body : body.slice(0, end);
    const first = lines.findIndex((l) => l.startsWith("- "));
    return lines.slice(first).join("\n").trim();
  }

  for (const title of ["What jCal cannot carry", "Where ical.js (and so this module) deviates from RFC 7265"]) {
    test(`has the list '${title}' of src/ical/jcal.rs verbatim`, () => {
      const list = documentedList(title);
      assert.ok(list.split("\n- ").length >= 6, `the list '${title}' looks too short`);
      const readme = readFileSync(join(root, "README.md"), "utf8");
      assert.ok(readme.includes(`\n${list}\n`), `README.md does not contain '${title}' of src/ical/jcal.rs verbatim`);
    });
  }
});

test("corpus: toJcal equals ICAL.parse, and ical.js reads back what toIcal writes", { skip: !corpusPresent && "../shared/corpus not found (CI has it)" }, () => {
  const expectedErrors = new Map(tsv(join(root, "tests", "fixtures", "corpus-expected-errors.tsv")));
  const known = tsv(join(root, "tests", "fixtures", "jcal-corpus-differences.tsv")).map(([path, kind]) => `${kind}\t${path}`);
  const [header, ...rows] = readFileSync(join(corpus, "manifest.tsv"), "utf8").split("\n").filter(Boolean);
  const pathColumn = header.split("\t").indexOf("path");
  // Decoded as fetch().text() would: a BOM is dropped (ICAL.parse throws on one).
  const strict = new TextDecoder("utf-8", { fatal: true });
  const counts = { equal: 0, readBack: 0, icalJsThrows: 0, weThrowAsExpected: 0, notUtf8: 0 };
  const differences = [];
  const problems = [];
  for (const row of rows) {
    const path = row.split("\t")[pathColumn];
    let text;
    try {
      text = strict.decode(readFileSync(join(corpus, path)));
    } catch {
      counts.notUtf8 += 1; // ICAL.parse takes a JS string: only UTF-8 files compare
      continue;
    }
    let ours;
    try {
      ours = api.toJcal({ data: text });
    } catch (e) {
      if (expectedErrors.get(path) === e.code) counts.weThrowAsExpected += 1;
      else problems.push(`${path}: toJcal threw ${e.code}: ${e.message}`);
      continue;
    }
    if (expectedErrors.has(path)) problems.push(`${path}: expected ${expectedErrors.get(path)} but it parsed`);
    let theirs;
    try {
      theirs = icalParse(text);
    } catch {
      counts.icalJsThrows += 1; // documented: where ical.js throws we still give jCal
      theirs = undefined;
    }
    if (theirs !== undefined) {
      if (isDeepStrictEqual(ours, theirs)) counts.equal += 1;
      else differences.push({ key: `parse\t${path}`, why: firstDifference(ours, theirs) });
    }
    let again;
    try {
      again = icalParse(api.toIcal({ data: ours }));
    } catch (e) {
      // ical.js rejecting the original (an invalid RRULE part...) rejects it written back too.
      if (theirs !== undefined) problems.push(`${path}: ICAL.parse rejects what toIcal wrote: ${e.message}`);
      continue;
    }
    if (isDeepStrictEqual(again, ours)) counts.readBack += 1;
    else differences.push({ key: `reparse\t${path}`, why: firstDifference(ours, again) });
  }
  console.log(`jCal vs ical.js on the corpus (${rows.length} files): ${JSON.stringify(counts)}, ${differences.length} listed differences`);
  const unlisted = differences.filter((d) => !known.includes(d.key)).map((d) => `${d.key}: ${d.why}`);
  const stale = known.filter((k) => !differences.some((d) => d.key === k));
  assert.deepEqual(problems, []);
  assert.deepEqual(unlisted, [], "differences not in tests/fixtures/jcal-corpus-differences.tsv");
  assert.deepEqual(stale, [], "listed differences that no longer occur");
  assert.ok(counts.equal > 250, `only ${counts.equal} files equal ICAL.parse`);
});
