// The demo page (www/public/, served by the caldav-sched-demo server) in headless Chromium: it
// loads the optimised package, and the offline playground works with no CalDAV server at all.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../tools/serve.mjs";
import { cargoVersion, pkgDir, requireBuiltPackage, root } from "./helpers.mjs";
import { closeServer, launchChromium, openPage, startDemoServer } from "./demo-page.mjs";

const FIXTURE = readFileSync(join(root, "tests", "fixtures", "itip", "s1-wilfredo.ics"), "utf8");

let browser;
let demo;

before(async () => {
  requireBuiltPackage();
  // No --caldav: there is no server behind this page, only the page and the package.
  demo = await startDemoServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await closeServer(demo?.server);
});

/** Opens the playground tab of a fresh page. */
async function openPlayground() {
  const opened = await openPage(browser, demo.url);
  await opened.page.click("#tab-playground");
  assert.equal(await opened.page.isVisible("#panel-playground"), true);
  assert.equal(await opened.page.isVisible("#panel-story"), false);
  return opened;
}

/** The diff lines shown, by kind. */
function diffLines(page) {
  return page.$$eval("#pg-diff span", (spans) => spans.map((s) => ({ kind: s.className, text: s.textContent.trimEnd() })));
}

describe("demo page", () => {
  test("loads the optimised package through the import map and shows version()", async () => {
    const { page, problems, requests } = await openPage(browser, demo.url);
    assert.equal(await page.textContent("#version"), cargoVersion());
    const wasm = requests.filter((u) => u.endsWith(".wasm"));
    assert.deepEqual(wasm, [`${demo.url}pkg/caldav_sched_bg.wasm`]);
    const served = await page.request.get(`${demo.url}pkg/caldav_sched_bg.wasm`);
    assert.equal(served.headers()["content-type"], "application/wasm");
    assert.ok((await served.body()).equals(readFileSync(join(pkgDir, "caldav_sched_bg.wasm"))));
    // Without --caldav the story says so and offers nothing to click.
    assert.match(await page.textContent("#server-status"), /No CalDAV server is configured/);
    assert.equal(await page.isDisabled("#step-invite"), true);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("tabs are reachable by keyboard and say which one is selected", async () => {
    const { page, problems } = await openPage(browser, demo.url);
    await page.focus("#tab-story");
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.getAttribute("#tab-playground", "aria-selected"), "true");
    assert.equal(await page.getAttribute("#tab-story", "aria-selected"), "false");
    assert.equal(await page.evaluate(() => document.activeElement.id), "tab-playground");
    assert.equal(await page.isVisible("#pg-run"), true);
    // every form control has a label
    const unlabelled = await page.$$eval("#playground textarea, #playground input, #playground select", (els) =>
      els.filter((el) => !el.labels?.length).map((el) => el.id || el.name),
    );
    assert.deepEqual(unlabelled, []);
    assert.equal(await page.getAttribute("#pg-result", "aria-live"), "polite");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("playground, offline: paste the RFC 6638 B.1 copy, reply ACCEPTED with an alarm, see the diff", async () => {
    const { page, problems, requests } = await openPlayground();
    await page.route("**/caldav/**", (route) => route.abort());
    const before = requests.length;
    await page.fill("#pg-data", FIXTURE);
    await page.selectOption("#pg-partstat", "ACCEPTED");
    await page.fill("#pg-alarm", "15");
    await page.click("#pg-run");
    assert.equal(await page.getAttribute("#pg-result", "data-outcome"), "ok");
    const result = JSON.parse(await page.textContent("#pg-result"));
    assert.equal(result.changed, true);
    assert.equal(result.scheduleAgent, "SERVER");
    const diff = await diffLines(page);
    const added = diff.filter((d) => d.kind === "added").map((d) => d.text);
    const removed = diff.filter((d) => d.kind === "removed").map((d) => d.text);
    assert.ok(added.includes("+ BEGIN:VALARM"), added.join("\n"));
    assert.ok(added.includes("+ TRIGGER:-PT15M"), added.join("\n"));
    assert.ok(added.some((l) => /ACCEPTED/.test(l)), "the new answer is an added line");
    assert.ok(removed.some((l) => /NEEDS-ACTION/.test(l)), "the old answer is a removed line");
    // Nobody else's line changed: Bernard's and Mike's answers are kept lines.
    const kept = diff.filter((d) => d.kind === "same").map((d) => d.text).join("\n");
    assert.match(kept, /mailto:bernard@ex/);
    assert.match(kept, /CTION;RSVP=TRUE:mailto:mike@example.org/);
    assert.ok(!removed.some((l) => /bernard|mike/.test(l)));
    // It ran in the page: not one request left it.
    assert.deepEqual(requests.slice(before), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("playground: classifyResponse of a 412 to a Schedule-Tag precondition is merge-and-retry", async () => {
    const { page, problems } = await openPlayground();
    await page.check('input[name="fn"][value="classifyResponse"]');
    assert.equal(await page.isVisible("#pg-data"), false);
    await page.selectOption("#pg-method", "PUT");
    await page.fill("#pg-status", "412");
    await page.fill("#pg-headers", "Content-Length: 0");
    await page.fill("#pg-sent", 'If-Schedule-Tag-Match: "12345"');
    await page.click("#pg-run");
    const verdict = JSON.parse(await page.textContent("#pg-result"));
    assert.equal(verdict.outcome, "merge-and-retry");
    await page.fill("#pg-attempt", "3");
    await page.click("#pg-run");
    assert.equal(JSON.parse(await page.textContent("#pg-result")).outcome, "give-up");
    assert.match(await page.textContent("#pg-diff"), /no calendar data/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("playground: a truncated object is reported as PARSE with its line, then it keeps working", async () => {
    const { page, problems } = await openPlayground();
    await page.fill("#pg-data", "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\n");
    await page.click("#pg-run");
    assert.equal(await page.getAttribute("#pg-result", "data-outcome"), "error");
    assert.match(await page.textContent("#pg-result"), /^SyntaxError PARSE at line \d+: /);
    await page.click("#pg-example");
    await page.click("#pg-run");
    assert.equal(await page.getAttribute("#pg-result", "data-outcome"), "ok");
    assert.ok(Number(await page.getAttribute("#pg-diff", "data-changes")) > 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("playground: merge runs when the package exports it, and says so plainly when not", async () => {
    const { page, problems } = await openPlayground();
    const hasMerge = await page.evaluate(async () => typeof (await import("caldav-sched")).merge === "function");
    await page.check('input[name="fn"][value="merge"]');
    await page.fill("#pg-data", FIXTURE);
    await page.fill("#pg-server", FIXTURE);
    await page.click("#pg-run");
    if (hasMerge) {
      assert.equal(await page.getAttribute("#pg-result", "data-outcome"), "ok");
      assert.equal(JSON.parse(await page.textContent("#pg-result")).unchanged, true);
    } else {
      assert.match(await page.textContent("#pg-result"), /no merge\(\) yet/);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("tools/serve.mjs (static only) still serves the page; the story reports no server", async () => {
    const { server, url } = await serve({ port: 0 });
    try {
      const { page, problems } = await openPage(browser, url);
      assert.equal(await page.textContent("#version"), cargoVersion());
      assert.match(await page.textContent("#server-status"), /No CalDAV server is configured/);
      // config.json is the demo server's; its absence here is the one expected failure
      assert.deepEqual(problems.filter((p) => !/config\.json/.test(p)), []);
      await page.close();
    } finally {
      await closeServer(server);
    }
  });
});
