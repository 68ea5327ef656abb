// The demo page (what `make demo` serves) in headless Chromium through playwright-core: it must
// load the optimised package from pkg/, show version(), and run a round trip.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../tools/serve.mjs";
import { CHROMIUM_ARGS, cargoVersion, importTool, pkgDir, requireBuiltPackage } from "./helpers.mjs";

const { chromium } = await importTool("playwright-core");

let browser;
let server;
let url;

before(async () => {
  requireBuiltPackage();
  ({ server, url } = await serve({ port: 0 }));
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done()));
});

/** Opens the demo; resolves once main.js has initialised the module. Collects page errors. */
async function openDemo() {
  const page = await browser.newPage();
  const problems = [];
  const wasmRequests = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("request", (r) => r.url().endsWith(".wasm") && wasmRequests.push(r.url()));
  const wasmResponse = page.waitForResponse((r) => r.url().endsWith(".wasm"));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
  const response = await wasmResponse;
  const wasm = { status: response.status(), type: response.headers()["content-type"], body: await response.body() };
  return { page, problems, wasm, wasmRequests };
}

describe("demo page", () => {
  test("loads the optimised package and shows version()", async () => {
    const { page, problems, wasm, wasmRequests } = await openDemo();
    assert.equal(await page.textContent("#version"), cargoVersion());
    assert.deepEqual(wasmRequests, [`${url}pkg/caldav_sched_bg.wasm`]);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.type, "application/wasm");
    // The bytes the browser ran are the optimised file of pkg/.
    assert.ok(wasm.body.equals(readFileSync(join(pkgDir, "caldav_sched_bg.wasm"))));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("round-trips the sample byte for byte", async () => {
    const { page, problems } = await openDemo();
    await page.click("#check");
    assert.equal(await page.getAttribute("#result", "data-outcome"), "identical");
    assert.match(await page.textContent("#result"), /^identical: \d+ characters/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("reports a truncated object as PARSE with its line, then keeps working", async () => {
    const { page, problems } = await openDemo();
    const sample = await page.inputValue("#input");
    await page.fill("#input", "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\n");
    await page.click("#check");
    assert.equal(await page.getAttribute("#result", "data-outcome"), "error");
    assert.match(await page.textContent("#result"), /^SyntaxError PARSE at line \d+: /);
    await page.fill("#input", sample);
    await page.click("#check");
    assert.equal(await page.getAttribute("#result", "data-outcome"), "identical");
    assert.deepEqual(problems, []);
    await page.close();
  });
});
