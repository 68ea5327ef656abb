// servers.mjs - start, stop and talk to the real CalDAV test servers of tests/servers/.
// Used by smoke.test.mjs and record-answers.mjs; plain Node 20, no dependencies.

import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as delay } from "node:timers/promises";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Every server the scripts can start: script, arguments and env prefix. */
export const SERVER_KINDS = {
  cyrus: { script: "cyrus.sh", args: [], prefix: "CYRUS" },
  "cyrus-stock": { script: "cyrus.sh", args: ["--stock"], prefix: "CYRUS_STOCK" },
  xandikos: { script: "xandikos.sh", args: [], prefix: "XANDIKOS" },
  radicale: { script: "radicale.sh", args: [], prefix: "RADICALE" },
};

/** Longest a start script may take: a cold apt/pip install included. */
export const START_TIMEOUT_MS = 10 * 60 * 1000;

/** Longest any single HTTP request to a test server may take. */
export const REQUEST_TIMEOUT_MS = 15 * 1000;

/** The servers selected by CALDAV_SERVERS (comma separated; default: all). */
export function selectedServers() {
  const raw = process.env.CALDAV_SERVERS;
  if (!raw) return Object.keys(SERVER_KINDS);
  return raw.split(",").map((s) => s.trim()).filter(Boolean);
}

/** Runs a script of tests/servers/ and resolves with its stdout. */
function runScript(script, args, timeout) {
  return new Promise((resolve, reject) => {
    execFile("sh", [join(HERE, script), ...args], { timeout, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${script} ${args.join(" ")} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Parses KEY=VALUE lines into an object. */
export function parseEnvLines(text) {
  const env = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (/^[A-Z][A-Z0-9_]*=/.test(line)) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** Starts (or reuses) one server and returns its profile. */
export async function startServer(kind) {
  const spec = SERVER_KINDS[kind];
  if (!spec) throw new Error(`unknown server ${kind}`);
  const env = parseEnvLines(await runScript(spec.script, spec.args, START_TIMEOUT_MS));
  return makeProfile(kind, spec.prefix, env);
}

/** Stops one server (by its pid file). */
export async function stopServer(kind) {
  await runScript("stop.sh", [kind], 60 * 1000);
}

/** Builds the object the tests use to talk to a started server. */
export function makeProfile(kind, prefix, env) {
  const get = (key) => {
    const value = env[`${prefix}_${key}`];
    if (value === undefined) throw new Error(`${kind}: the start script printed no ${prefix}_${key}`);
    return value;
  };
  const url = get("URL");
  const auth = get("AUTH");
  const password = get("PASSWORD");
  const domain = get("DOMAIN");
  const perUser = (key, user) => env[`${prefix}_${key}_${user.toUpperCase()}`];
  return {
    kind,
    url,
    auth,
    domain,
    users: get("USERS").split(","),
    startedHere: get("STARTED") === "1",
    scheduleTagFix: env[`${prefix}_SCHEDULE_TAG_FIX`],
    principal: (user) => perUser("PRINCIPAL", user),
    calendar: (user) => perUser("CALENDAR", user),
    inbox: (user) => perUser("INBOX", user),
    address: (user) => `mailto:${user}@${domain}`,
    /** Request headers that authenticate as `user`. */
    authHeaders(user) {
      if (auth === "basic") {
        return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
      }
      if (auth === "x-remote-user") return { "X-Remote-User": user };
      throw new Error(`${kind}: unknown auth ${auth}`);
    },
    /** fetch() as `user`; `target` is an absolute URL or a path on the server. */
    request(user, target, { method = "GET", headers = {}, body } = {}) {
      const href = new URL(target, url).href;
      if (!href.startsWith(`${url}/`)) throw new Error(`refusing to leave ${url}: ${href}`);
      return fetch(href, {
        method,
        headers: { ...this.authHeaders(user), ...headers },
        body,
        cache: "no-store",
        redirect: "manual",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    },
  };
}

// ---------------------------------------------------------------- WebDAV helpers

/** The hrefs of a multistatus body, whatever namespace prefix the server uses. */
export function hrefsOf(xml) {
  return [...xml.matchAll(/<(?:[A-Za-z0-9]+:)?href>([^<]*)<\/(?:[A-Za-z0-9]+:)?href>/g)].map((m) =>
    decodeXmlText(m[1].trim()),
  );
}

function decodeXmlText(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

/** The calendar-query REPORT body that selects VEVENTs with this UID. */
export function uidQuery(uid) {
  return `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:prop-filter name="UID"><C:text-match collation="i;octet">${uid}</C:text-match></C:prop-filter>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>`;
}

/**
 * The URL of `user`'s copy of the event `uid` in their calendar, found with a
 * calendar-query REPORT (Depth: 1; Xandikos refuses Depth: infinity on the home).
 * Polls, bounded, because delivery is a server-side side effect of another
 * user's PUT. Resolves null when no copy shows up in time.
 */
export async function findCopy(server, user, uid, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await server.request(user, server.calendar(user), {
      method: "REPORT",
      headers: { Depth: "1", "Content-Type": "application/xml; charset=utf-8" },
      body: uidQuery(uid),
    });
    const xml = await res.text();
    if (res.status !== 207) throw new Error(`${server.kind}: calendar-query answered ${res.status}: ${xml}`);
    const href = hrefsOf(xml).find((h) => h.endsWith(".ics"));
    if (href) return new URL(href, server.url).href;
    if (Date.now() > deadline) return null;
    await delay(100);
  }
}

/** The .ics hrefs in `user`'s schedule inbox (PROPFIND Depth: 1). */
export async function inboxItems(server, user) {
  const res = await server.request(user, server.inbox(user), {
    method: "PROPFIND",
    headers: { Depth: "1", "Content-Type": "application/xml; charset=utf-8" },
    body: '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
  });
  const xml = await res.text();
  if (res.status !== 207) throw new Error(`${server.kind}: inbox PROPFIND answered ${res.status}: ${xml}`);
  return hrefsOf(xml).filter((h) => h.endsWith(".ics")).map((h) => new URL(h, server.url).href);
}

// ---------------------------------------------------------------- iCalendar helpers
// Small, line-based edits a client makes to the copy it got from the server.

/** iCalendar date-time in UTC, e.g. 20270101T100000Z. */
export function icalUtc(date) {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** A start time `days` days from now at 10:00 UTC (Cyrus does not schedule past events). */
export function futureStart(days = 30) {
  const d = new Date(Date.now() + days * 86400000);
  d.setUTCHours(10, 0, 0, 0);
  return d;
}

/** A fresh UID for one test run. */
export function freshUid(label) {
  return `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}@caldav-sched.test`;
}

/** The organizer's invitation: ORGANIZER `organizer`, ATTENDEEs organizer (chair) + `attendees`. */
export function invitation({ uid, start, organizer, attendees, summary = "Lunch", sequence = 0 }) {
  const end = new Date(start.getTime() + 3600000);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//caldav-sched//tests//EN",
    "BEGIN:VEVENT",
    `UID:${uid}`,
    `SEQUENCE:${sequence}`,
    `DTSTAMP:${icalUtc(new Date())}`,
    `DTSTART:${icalUtc(start)}`,
    `DTEND:${icalUtc(end)}`,
    "TRANSP:OPAQUE",
    `SUMMARY:${summary}`,
    `ORGANIZER;CN=${organizer.cn}:${organizer.address}`,
    `ATTENDEE;CN=${organizer.cn};CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;ROLE=CHAIR:${organizer.address}`,
    ...attendees.map(
      (a) => `ATTENDEE;CN=${a.cn};CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:${a.address}`,
    ),
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.join("\r\n") + "\r\n";
}

/** Content lines with folding undone and line ends dropped. */
export function unfoldLines(text) {
  return text.replace(/\r\n/g, "\n").replace(/\n[ \t]/g, "").split("\n").filter((l) => l !== "");
}

/** Joins content lines back into iCalendar text (CRLF). */
export function joinLines(lines) {
  return lines.join("\r\n") + "\r\n";
}

/** The (unfolded) ATTENDEE line for `address`, or undefined. */
export function attendeeLine(text, address) {
  return unfoldLines(text).find((l) => /^ATTENDEE[;:]/i.test(l) && l.toLowerCase().endsWith(`:${address.toLowerCase()}`));
}

/** The (unfolded) ORGANIZER line, or undefined. */
export function organizerLine(text) {
  return unfoldLines(text).find((l) => /^ORGANIZER[;:]/i.test(l));
}

/** The value of the first property `name` (e.g. DTSTART, SEQUENCE), or undefined. */
export function propertyValue(text, name) {
  const line = unfoldLines(text).find((l) => l.toUpperCase().startsWith(`${name.toUpperCase()}:`) || l.toUpperCase().startsWith(`${name.toUpperCase()};`));
  return line === undefined ? undefined : line.slice(line.indexOf(":") + 1);
}

/** The PARTSTAT parameter of an ATTENDEE line. */
export function partstatOf(line) {
  const m = /;PARTSTAT=([^;:]*)/i.exec(line ?? "");
  return m ? m[1].toUpperCase() : undefined;
}

/** Sets PARTSTAT of `address` to `partstat` in every ATTENDEE line for it. */
export function setPartstat(text, address, partstat) {
  const lines = unfoldLines(text).map((l) => {
    if (!/^ATTENDEE[;:]/i.test(l) || !l.toLowerCase().endsWith(`:${address.toLowerCase()}`)) return l;
    if (/;PARTSTAT=[^;:]*/i.test(l)) return l.replace(/;PARTSTAT=[^;:]*/i, `;PARTSTAT=${partstat}`);
    return l.replace(/^ATTENDEE/i, `ATTENDEE;PARTSTAT=${partstat}`);
  });
  return joinLines(lines);
}

/** Adds a 15-minute display alarm to the (first) VEVENT. */
export function addAlarm(text) {
  const alarm = ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder", "TRIGGER:-PT15M", "END:VALARM"];
  const lines = unfoldLines(text);
  const end = lines.findIndex((l) => l.toUpperCase() === "END:VEVENT");
  if (end < 0) throw new Error("no VEVENT to add an alarm to");
  return joinLines([...lines.slice(0, end), ...alarm, ...lines.slice(end)]);
}

/** Replaces the value of property `name` (first occurrence in each component) with `value`. */
export function setProperty(text, name, value) {
  const upper = name.toUpperCase();
  const lines = unfoldLines(text).map((l) =>
    l.toUpperCase().startsWith(`${upper}:`) || l.toUpperCase().startsWith(`${upper};`) ? `${name}:${value}` : l,
  );
  return joinLines(lines);
}

/** Organizer's reschedule: moves DTSTART/DTEND by `ms` and bumps SEQUENCE. */
export function reschedule(text, ms) {
  const shift = (v) => {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
    if (!m) throw new Error(`cannot shift ${v}`);
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + ms);
    return icalUtc(d);
  };
  const lines = unfoldLines(text).map((l) => {
    const u = l.toUpperCase();
    if (u.startsWith("DTSTART:") || u.startsWith("DTEND:")) return `${l.slice(0, l.indexOf(":"))}:${shift(l.slice(l.indexOf(":") + 1))}`;
    if (u.startsWith("SEQUENCE:")) return `SEQUENCE:${Number(l.slice(9)) + 1}`;
    return l;
  });
  return joinLines(lines);
}

// ---------------------------------------------------------------- network checks

/** This machine's non-loopback IPv4 addresses. */
export async function externalAddresses() {
  const { networkInterfaces } = await import("node:os");
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === "IPv4" && !a.internal)
    .map((a) => a.address);
}

/** Resolves true when a TCP connection to host:port succeeds (bounded by 2 s). */
export async function acceptsConnections(host, port) {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}
