// Shared by the demo tests: start the demo server of www/ in-process and open its page in
// headless Chromium, collecting anything that goes wrong in the page.

import { startDemo } from "../../www/server/app.mjs";
import { parseOptions } from "../../www/server/options.mjs";
import { CHROMIUM_ARGS, importTool, pkgDir } from "./helpers.mjs";

/** Starts the demo server (port 0, 127.0.0.1) with these CLI flags; resolves to `{ server, url, logs }`. */
export async function startDemoServer(flags = [], env = {}) {
  const config = parseOptions(["--port", "0", "--pkg", pkgDir, ...flags], env);
  const logs = [];
  const { server, url } = await startDemo(config, { log: (line) => logs.push(line) });
  return { server, url, logs };
}

/** Closes an http.Server, dropping idle keep-alive connections. */
export function closeServer(server) {
  return new Promise((done) => {
    if (!server) return done();
    server.close(() => done());
    server.closeAllConnections?.();
  });
}

/** Launches headless Chromium (/usr/bin/chromium) through playwright-core. */
export async function launchChromium() {
  const { chromium } = await importTool("playwright-core");
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
}

/**
 * Opens the page at `url` and waits until app.js is ready. `problems` collects page errors,
 * console errors (except the browser's own line for an HTTP error status, which the story
 * provokes on purpose with a 412) and failed requests.
 */
export async function openPage(browser, url, { viewport = { width: 1400, height: 1000 }, deviceScaleFactor = 1 } = {}) {
  const page = await browser.newPage({ viewport, deviceScaleFactor });
  const problems = [];
  const requests = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/the server responded with a status of \d+/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
  return { page, problems, requests };
}
