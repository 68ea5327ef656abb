// harness.mjs - what every e2e test file shares: the CalDAV servers (from the environment that
// tests/servers/with-servers.sh exports, or started here), headless Chromium with the
// closed-network flags, one test page per user, and python-caldav as the other client.

import { before, after } from "node:test";
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as S from "../servers/servers.mjs";
import { CHROMIUM_ARGS, importTool, requireBuiltPackage, root } from "../js/helpers.mjs";
import { PKG_DIR, startTestServer } from "./test-server.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where screenshots go (ignored by git). */
export const SHOTS_DIR = join(root, "tests", "e2e", "screenshots");

/** Longest a page-side step (a whole write loop included) may take. */
export const STEP_TIMEOUT_MS = 20 * 1000;

/**
 * What each server does that a client sees, as observed here (README.md of this folder and of
 * tests/servers/). Tests assert these, so a change of behaviour fails loudly.
 * - organizerScheduleStatus: SCHEDULE-STATUS on ORGANIZER in the attendee's copy after the
 *   reply (RFC 6638 B.3 shows 1.2)
 * - weakGetEtag: a browser GET (Accept-Encoding: gzip) gets a weak W/ ETag
 * - attendeePutChangesTag: the attendee's own PUT changes its Schedule-Tag (3.2.10 MUST)
 * - replyChangesOrganizerTag: the reply landing changes the organizer's Schedule-Tag (MUST NOT)
 * - attendeePutOutcome: classifyResponse's verdict on the attendee's 2xx PUT: "ok" when a
 *   strong ETag came back (stored as sent), "refetch" when none did (Cyrus rewrites the copy,
 *   adding SCHEDULE-STATUS, so it sends no ETag: RFC 4791 5.3.4)
 * - transpAfterUpdate: TRANSP properties in the attendee copy after an organizer update
 *   (Cyrus writes a second one and then refuses that very copy with 403 valid-calendar-data)
 * - updateKeepsAttendeeAlarm: the attendee's own VALARM is still in its copy after the server
 *   delivered an organizer update (neither server keeps it: both replace the copy)
 * - concurrentWrite500: two writes at the same moment can get 500 (Xandikos: an unhandled
 *   xandikos.store.InvalidETag where 412 belongs)
 */
export const BEHAVIOUR = {
  cyrus: { organizerScheduleStatus: "1.2", weakGetEtag: true, attendeePutChangesTag: true, replyChangesOrganizerTag: true, attendeePutOutcome: "refetch", transpAfterUpdate: 2, updateKeepsAttendeeAlarm: false, concurrentWrite500: false },
  xandikos: { organizerScheduleStatus: undefined, weakGetEtag: false, attendeePutChangesTag: false, replyChangesOrganizerTag: false, attendeePutOutcome: "ok", transpAfterUpdate: 1, updateKeepsAttendeeAlarm: false, concurrentWrite500: true },
};

/** The servers this run may use (CALDAV_SERVERS, default all). */
export const selected = new Set(S.selectedServers());
export const skipUnless = (kind) => (selected.has(kind) ? false : "not in CALDAV_SERVERS");

/**
 * The CalDAV server `kind` for this file: taken from the environment when with-servers.sh
 * exported it, else started here (and stopped after, if this file started it). Also starts
 * this file's test server (page + proxy) in front of it. Returns a box filled in `before`.
 */
export function useCaldav(kind) {
  const box = {};
  before(async () => {
    const prefix = S.SERVER_KINDS[kind].prefix;
    box.server = process.env[`${prefix}_URL`] ? { ...S.makeProfile(kind, prefix, process.env), startedHere: false } : await S.startServer(kind);
    box.web = await startTestServer(box.server);
  }, { timeout: S.START_TIMEOUT_MS });
  after(async () => {
    await box.web?.close();
    if (box.server?.startedHere) await S.stopServer(kind);
  }, { timeout: 60 * 1000 });
  return box;
}

/** One headless Chromium per test file, closed network flags, closed after the file. */
export function useBrowser() {
  const box = {};
  before(async () => {
    if (PKG_DIR === join(root, "pkg")) requireBuiltPackage();
    const { chromium } = await importTool("playwright-core");
    box.browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  }, { timeout: 60 * 1000 });
  after(async () => {
    await box.browser?.close();
  });
  return box;
}

/**
 * Opens the test page as `user` against `caldav` (through `web`, its test server). Resolves
 * with { page, problems, user, address, run(fn, arg) } once the package is initialised; `run`
 * evaluates `fn(arg)` in the page (where `window.e2e` is the client of page/client.mjs).
 */
export async function openClient(browser, web, caldav, user) {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  // Chromium logs every 4xx/5xx answer as a console error; those are the answers under test
  page.on("console", (m) => m.type() === "error" && !/^Failed to load resource: the server responded with a status of [45]\d\d /.test(m.text()) && problems.push(`console: ${m.text()}`));
  const query = new URLSearchParams({ as: user, me: caldav.address(user), server: `${caldav.kind} ${caldav.url}` });
  await page.goto(`${web.url}/__e2e/index.html?${query}`);
  await page.waitForSelector("body[data-ready=true]");
  return { page, problems, user, address: caldav.address(user), run: (fn, arg) => page.evaluate(fn, arg) };
}

/** Whether the built package the page imports exports `name` (merge by default; a blank page tells). */
export async function buildHasMerge(browser, dav, name = "merge") {
  const page = await browser.newPage();
  await page.goto(`${dav.web.url}/__e2e/index.html?as=none`);
  await page.waitForSelector("body[data-ready=true]");
  const has = await page.evaluate((n) => window.e2e.has(n), name);
  await page.close();
  return has;
}

/** The path of a CalDAV server URL: what the page requests on its own origin (the proxy). */
export function pathOf(url) {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** Waits (bounded) until the page's write loop stands at gate `name`, then returns. */
export async function atGate(client, name) {
  await client.page.waitForFunction((n) => window.e2e.waiting(n), name, { timeout: STEP_TIMEOUT_MS, polling: 20 });
}

/** Opens gate `name` in the page. */
export function openGate(client, name) {
  return client.page.evaluate((n) => window.e2e.open(n), name);
}

/** Takes a screenshot into SHOTS_DIR and returns its path. */
export async function screenshot(client, name) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await client.page.screenshot({ path, fullPage: true });
  return path;
}

// ---------------------------------------------------------------- python-caldav

let pythonPath;
/** The venv python with python-caldav (python-caldav.sh installs it when missing). */
async function pythonCaldav() {
  if (pythonPath) return pythonPath;
  if (process.env.PYTHON_CALDAV) return (pythonPath = process.env.PYTHON_CALDAV);
  const out = await runProcess("sh", [join(HERE, "python-caldav.sh")], "", S.START_TIMEOUT_MS);
  pythonPath = S.parseEnvLines(out).PYTHON_CALDAV;
  if (!pythonPath) throw new Error("python-caldav.sh printed no PYTHON_CALDAV");
  return pythonPath;
}

function runProcess(cmd, args, input, timeout) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(" ")} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin.end(input);
  });
}

/**
 * Runs organizer.py: the organizer `user` does `action` with python-caldav against `caldav`.
 * Resolves with { url, data, requests }.
 */
export async function pythonOrganizer(caldav, user, action, fields) {
  const request = {
    server: { url: caldav.url, auth: caldav.auth, user, password: process.env.CALDAV_PASSWORD ?? "secret" },
    calendar: caldav.calendar(user),
    action,
    ...fields,
  };
  const out = await runProcess(await pythonCaldav(), [join(HERE, "organizer.py")], JSON.stringify(request), 60 * 1000);
  return JSON.parse(out);
}

// ---------------------------------------------------------------- iCalendar reading (assertions)

export { unfoldLines, attendeeLine, organizerLine, propertyValue, partstatOf, futureStart, freshUid, invitation, icalUtc } from "../servers/servers.mjs";

/** The SCHEDULE-STATUS parameter of a line, or undefined. */
export function scheduleStatusOf(line) {
  return /;SCHEDULE-STATUS=("[^"]*"|[^;:]*)/i.exec(line ?? "")?.[1];
}

/** How many times property `name` occurs (any component). */
export function countProperty(text, name) {
  return S.unfoldLines(text).filter((l) => l.toUpperCase().startsWith(`${name.toUpperCase()}:`) || l.toUpperCase().startsWith(`${name.toUpperCase()};`)).length;
}

/** The TRIGGER values of all VALARMs. */
export function triggers(text) {
  return S.unfoldLines(text).filter((l) => /^TRIGGER[;:]/i.test(l)).map((l) => l.slice(l.indexOf(":") + 1));
}
