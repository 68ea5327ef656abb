// The demo's two-pane story against a real Xandikos (started here, or reused when running):
// invite, accept with a 15-minute alarm, reschedule, then the stale write's 412 and the merge.
// The page's own rendering is checked, the server's state is checked independently, and a
// screenshot is read back with OCR (tesseract) for the answer the organizer sees.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { attendeeLine, findCopy, partstatOf, propertyValue, startServer, stopServer } from "../servers/servers.mjs";
import { requireBuiltPackage, root } from "./helpers.mjs";
import { closeServer, launchChromium, openPage, startDemoServer } from "./demo-page.mjs";

/** Where the screenshots go (tests/js/scratch/ is ignored by git, removed by `make clean`). */
const SCRATCH = join(root, "tests", "js", "scratch");
export const STORY_SCREENSHOT = join(SCRATCH, "demo-story.png");
const ANSWER_SCREENSHOT = join(SCRATCH, "demo-story-answer.png");
const FINAL_SCREENSHOT = join(SCRATCH, "demo-story-final.png");

/** Longest one step of the story may take in the page. */
const STEP_TIMEOUT_MS = 30_000;

let xandikos;
let demo;
let browser;
let page;
let problems;
let uid;

before(async () => {
  requireBuiltPackage();
  xandikos = await startServer("xandikos");
  demo = await startDemoServer([
    "--caldav", `${xandikos.url}/`,
    "--auth", "x-remote-user",
    "--users", "cyrus,wilfredo,bernard",
    "--calendar-path", "{user}/calendars/calendar/",
  ]);
  browser = await launchChromium();
  ({ page, problems } = await openPage(browser, demo.url, { deviceScaleFactor: 2 }));
});

after(async () => {
  await browser?.close();
  await closeServer(demo?.server);
  if (xandikos?.startedHere) await stopServer("xandikos");
});

/** Clicks a step and waits (bounded) until it finished; fails with the page's error note. */
async function play(step, n) {
  await page.click(`#${step}`);
  // a step is over when it finished or failed, or when it asks the user (the merge confirmation)
  await page.waitForFunction(
    (k) => document.body.dataset.step?.startsWith(String(k)) || !document.getElementById("confirm").hidden,
    n,
    { timeout: STEP_TIMEOUT_MS },
  );
  const state = await page.evaluate(() => document.body.dataset.step);
  const alerts = await page.$$eval('[role="alert"]', (els) => els.map((e) => e.textContent));
  return { ok: state === String(n), alerts };
}

/** The text of the last exchange in a pane. */
function lastExchange(pane) {
  return page.$eval(`#${pane}-log`, (log) => log.querySelector(".exchange:last-of-type pre")?.textContent ?? "");
}

describe("demo story against Xandikos", () => {
  test("the page names the server and the two users", async () => {
    assert.match(await page.textContent("#server-status"), /mailto:cyrus@example\.com.*mailto:wilfredo@example\.com/);
    assert.equal(await page.isEnabled("#step-invite"), true);
  });

  test("1. invite: a 201 to If-None-Match: *, and the server delivers the copy to the attendee", async () => {
    const r = await play("step-invite", 1);
    assert.ok(r.ok, r.alerts.join("\n"));
    const organizer = await page.textContent("#organizer-log");
    assert.match(organizer, /^PUT \/cyrus\/calendars\/calendar\/demo-\S+\.ics HTTP\/1\.1$/m);
    assert.match(organizer, /^If-None-Match: \*$/m);
    assert.match(organizer, /^HTTP\/1\.1 201 Created$/m);
    assert.match(organizer, /classifyResponse: ok/);
    uid = propertyValue(await lastExchange("organizer"), "UID");
    assert.match(uid ?? "", /^demo-.*@caldav-sched\.demo$/);
    assert.match(await page.textContent("#attendee-log"), /^REPORT \/wilfredo\/calendars\/calendar\/ HTTP\/1\.1$/m);
    // the outcome is announced to assistive technology, not only drawn
    assert.match(await page.textContent("#story-status"), /^1\. Invite: done\. classifyResponse: ok/);
    assert.ok(await findCopy(xandikos, "wilfredo", uid), "the attendee has a copy on the server");
  });

  test("2. accept with a 15-minute alarm: PUT with If-Schedule-Tag-Match; the organizer sees ACCEPTED", async () => {
    const r = await play("step-accept", 2);
    assert.ok(r.ok, r.alerts.join("\n"));
    const attendee = await page.textContent("#attendee-log");
    assert.match(attendee, /^If-Schedule-Tag-Match: "[^"]+"$/m);
    assert.match(attendee, /^TRIGGER:-PT15M$/m);
    assert.match(attendee, /^HTTP\/1\.1 20[14] /m);
    const organizerCopy = await lastExchange("organizer");
    assert.equal(partstatOf(attendeeLine(organizerCopy, "mailto:wilfredo@example.com")), "ACCEPTED");
    // and independently of the page: the server's organizer copy says so
    const res = await xandikos.request("cyrus", await findCopy(xandikos, "cyrus", uid));
    assert.equal(partstatOf(attendeeLine(await res.text(), "mailto:wilfredo@example.com")), "ACCEPTED");
  });

  test("screenshot: OCR of the organizer's copy reads ACCEPTED and the Schedule-Tag header", async () => {
    mkdirSync(SCRATCH, { recursive: true });
    await page.screenshot({ path: STORY_SCREENSHOT, fullPage: true });
    const answer = page.locator("#organizer-log .exchange").last();
    await answer.screenshot({ path: ANSWER_SCREENSHOT });
    const text = execFileSync("tesseract", [ANSWER_SCREENSHOT, "stdout", "--psm", "6"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    // OCR may split a word with a space or read a straight quote as a curly one
    const squeezed = text.replace(/\s+/g, "").replace(/[\u201c\u201d\u201e\u2033]/g, '"');
    assert.match(squeezed, /CN=Wilfredo;PARTSTAT=ACCEPTED/, text);
    // (the tag itself is hex on a highlight, which OCR misreads now and then: 0/O, f/F)
    assert.match(squeezed, /Schedule-Tag:"[^"]{16,}"/, text);
    assert.match(squeezed, /HTTP\/1\.1200OK/, text);
  });

  test("3. reschedule: the organizer's PUT with its tag moves the meeting and asks again", async () => {
    const r = await play("step-reschedule", 3);
    assert.ok(r.ok, r.alerts.join("\n"));
    const put = await lastExchange("organizer");
    assert.match(put, /^SEQUENCE:1$/m);
    assert.match(put, /^HTTP\/1\.1 204 /m);
    const copy = await (await xandikos.request("wilfredo", await findCopy(xandikos, "wilfredo", uid))).text();
    assert.equal(propertyValue(copy, "SEQUENCE"), "1");
  });

  test("4. conflict: the stale tag gets 412, classifyResponse says merge-and-retry, then merge", async (t) => {
    const r = await play("step-conflict", 4);
    const attendee = await page.textContent("#attendee-log");
    assert.match(attendee, /^HTTP\/1\.1 412 Precondition Failed$/m);
    assert.match(attendee, /classifyResponse: merge-and-retry/);
    const hasMerge = await page.evaluate(async () => typeof (await import("caldav-sched")).merge === "function");
    t.after(() => page.screenshot({ path: FINAL_SCREENSHOT, fullPage: true }));
    if (!hasMerge) {
      assert.equal(r.ok, false);
      assert.match(r.alerts.join("\n"), /no merge\(\) yet/);
      return;
    }
    // merge: when the server reset the answer on the reschedule, the page asks before sending it
    // again (Xandikos keeps the attendee's PARTSTAT in its copy, so there is nothing to ask)
    if (await page.isVisible("#confirm")) {
      await page.click("#confirm-keep");
      await page.waitForFunction(() => document.body.dataset.step?.startsWith("4"), null, { timeout: STEP_TIMEOUT_MS });
    }
    const done = await page.evaluate(() => document.body.dataset.step);
    assert.equal(done, "4", (await page.$$eval('[role="alert"]', (els) => els.map((e) => e.textContent))).join("\n"));
    const report = await page.textContent("#merge-report");
    assert.match(report, /^merge: Your alarm\b.*\bkept\b/i, report);
    assert.match(report, /the meeting is now at \d{4}-\d{2}-\d{2} 11:00 UTC/, report);
    assert.match(await lastExchange("attendee"), /^HTTP\/1\.1 204 /m);
    const copy = await (await xandikos.request("wilfredo", await findCopy(xandikos, "wilfredo", uid))).text();
    assert.equal(partstatOf(attendeeLine(copy, "mailto:wilfredo@example.com")), "ACCEPTED");
    assert.match(copy, /TRIGGER:-PT30M/);
    assert.equal(propertyValue(copy, "SEQUENCE"), "1", "the organizer's reschedule is not lost");
  });

  test("no page errors along the way", () => {
    assert.deepEqual(problems, []);
  });
});
