// The demo's same-origin proxy (www/server/proxy.mjs) against a fake CalDAV origin: it forwards
// only to that origin (a second "other host" server must never see a request), drops hop-by-hop
// headers both ways, keeps ETag / Schedule-Tag / If-* byte for byte both ways, and keeps the
// credentials out of the page, the config it serves and its log lines.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { connect } from "node:net";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { acceptsConnections, externalAddresses } from "../servers/servers.mjs";
import { requireBuiltPackage, root } from "./helpers.mjs";
import { closeServer, startDemoServer } from "./demo-page.mjs";

const PASSWORD = "s3cret-demo-pass";
const BASIC_CYRUS = `Basic ${Buffer.from(`cyrus:${PASSWORD}`).toString("base64")}`;

/** A fake server that records every request (raw headers, body) and answers with `respond`. */
async function recordingServer(respond) {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString("latin1") });
      respond(req, res);
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, seen, origin: `http://127.0.0.1:${server.address().port}` };
}

/** Sends raw bytes to host:port and resolves with the raw answer (latin1) once the peer closes. */
function rawExchange(port, bytes) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const chunks = [];
    socket.setTimeout(5000, () => socket.destroy(new Error("raw exchange timed out")));
    socket.on("data", (c) => chunks.push(c));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
    socket.write(Buffer.from(bytes, "latin1"));
  });
}

/** The header pairs of a raw request seen by the fake server, as [lower name, value]. */
function pairs(rawHeaders) {
  const out = [];
  for (let i = 0; i < rawHeaders.length; i += 2) out.push([rawHeaders[i].toLowerCase(), rawHeaders[i + 1]]);
  return out;
}

/** What the fake origin answers: tags with unusual but legal bytes, and hop-by-hop noise. */
const ORIGIN_ANSWER = [
  "ETag", 'W/"a  b\\"c"',
  "sChEdUlE-tAg", '"12345-\xe9\xff"',
  "Content-Type", "text/calendar; charset=utf-8",
  "Connection", "X-Hop-Private, keep-alive",
  "X-Hop-Private", "secret-of-this-hop",
  "Keep-Alive", "timeout=99",
  "Proxy-Authenticate", 'Basic realm="upstream proxy"',
  "Trailer", "X-Checksum",
  "Set-Cookie", "session=upstream",
  "X-End-To-End", "kept",
];

let origin; // the configured CalDAV origin (fake)
let other; // another host on this machine the proxy must never reach
let demo; // demo server with --auth x-remote-user
let basic; // demo server with --auth basic

before(async () => {
  requireBuiltPackage();
  origin = await recordingServer((req, res) => {
    if (req.url.startsWith("/redirect")) {
      res.writeHead(301, { Location: `${origin.origin}/wilfredo/calendars/calendar/moved.ics` }).end();
      return;
    }
    res.writeHead(200, "OK", ORIGIN_ANSWER);
    res.end("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
  });
  other = await recordingServer((req, res) => res.writeHead(200).end("other host reached"));
  demo = await startDemoServer(["--caldav", `${origin.origin}/`, "--auth", "x-remote-user"]);
  basic = await startDemoServer(["--caldav", `${origin.origin}/`, "--auth", "basic"], { CALDAV_PASSWORD: PASSWORD });
});

after(async () => {
  for (const s of [demo, basic, origin, other]) await closeServer(s?.server);
});

beforeEach(() => {
  origin.seen.length = 0;
});

const portOf = (s) => s.server.address().port;

describe("demo proxy: forwarding", () => {
  test("binds 127.0.0.1 by default and answers nowhere else", async () => {
    assert.equal(demo.server.address().address, "127.0.0.1");
    for (const address of await externalAddresses()) {
      assert.equal(await acceptsConnections(address, portOf(demo)), false, `reachable on ${address}`);
    }
  });

  test("forwards /caldav/<path> to the origin, as the named user, with method and body intact", async () => {
    const body = "BEGIN:VCALENDAR\r\nX-BYTES:\xe9\r\nEND:VCALENDAR\r\n";
    const res = await fetch(`${demo.url}caldav/wilfredo/calendars/calendar/a%20b.ics?x=1`, {
      method: "PUT",
      headers: { "X-Caldav-Sched-User": "wilfredo", "X-Remote-User": "cyrus", "Content-Type": "text/calendar" },
      body: Buffer.from(body, "latin1"),
    });
    assert.equal(res.status, 200);
    const [seen] = origin.seen;
    assert.equal(seen.method, "PUT");
    assert.equal(seen.url, "/wilfredo/calendars/calendar/a%20b.ics?x=1");
    assert.equal(seen.body, body);
    const h = pairs(seen.rawHeaders);
    // the page's own X-Remote-User is dropped; the proxy speaks for the named user only
    assert.deepEqual(h.filter(([n]) => n === "x-remote-user"), [["x-remote-user", "wilfredo"]]);
    assert.ok(!h.some(([n]) => n === "x-caldav-sched-user"));
    assert.deepEqual(h.find(([n]) => n === "host"), ["host", new URL(origin.origin).host]);
  });

  test("a user the proxy does not know is refused", async () => {
    const res = await fetch(`${demo.url}caldav/x/`, { headers: { "X-Caldav-Sched-User": "mallory" } });
    assert.equal(res.status, 403);
    assert.equal(origin.seen.length, 0);
  });

  test("--auth basic adds the user's credentials; a browser's own Authorization is kept as is", async () => {
    await fetch(`${basic.url}caldav/cyrus/`, { headers: { "X-Caldav-Sched-User": "cyrus" } });
    await fetch(`${basic.url}caldav/cyrus/`, { headers: { "X-Caldav-Sched-User": "cyrus", Authorization: "Basic bWU6bWluZQ==" } });
    const auth = origin.seen.map((s) => pairs(s.rawHeaders).filter(([n]) => n === "authorization").map(([, v]) => v));
    assert.deepEqual(auth, [[BASIC_CYRUS], ["Basic bWU6bWluZQ=="]]);
  });

  test("a same-origin Location is rewritten to go through the proxy", async () => {
    const res = await fetch(`${demo.url}caldav/redirect`, { redirect: "manual" });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get("location"), "/caldav/wilfredo/calendars/calendar/moved.ics");
  });

  test("the origin unreachable is a 502 from the proxy, not a hang", async () => {
    const closed = await recordingServer(() => {});
    const port = closed.server.address().port;
    await closeServer(closed.server);
    const lone = await startDemoServer(["--caldav", `http://127.0.0.1:${port}/`]);
    try {
      const res = await fetch(`${lone.url}caldav/x`);
      assert.equal(res.status, 502);
    } finally {
      await closeServer(lone.server);
    }
  });
});

describe("demo proxy: not an open proxy", () => {
  const otherPort = () => new URL(other.origin).port;

  test("absolute-form request targets naming another host are refused", async () => {
    const answer = await rawExchange(
      portOf(demo),
      `GET ${other.origin}/caldav/x HTTP/1.1\r\nHost: ${new URL(other.origin).host}\r\nConnection: close\r\n\r\n`,
    );
    assert.match(answer, /^HTTP\/1\.1 400 /);
  });

  test("CONNECT to another host is refused", async () => {
    const answer = await rawExchange(portOf(demo), `CONNECT 127.0.0.1:${otherPort()} HTTP/1.1\r\nHost: 127.0.0.1:${otherPort()}\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 405 /);
  });

  test("paths that would name another host are refused or stay on the origin", async () => {
    const host = `127.0.0.1:${otherPort()}`;
    const refused = [`/caldav//${host}/x`, `/caldav/\\\\${host}/x`, `/caldav/\\/${host}/x`, "/caldav", `/${host}/x`];
    for (const path of refused) {
      const answer = await rawExchange(portOf(demo), `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 (400|403|404) /, `${path}: ${answer.split("\r\n")[0]}`);
    }
    // These are paths on the configured origin, whatever they look like.
    for (const path of [`/caldav/http://${host}/x`, `/caldav/%2F%2F${host}/x`, "/caldav/../../x", `/caldav/@${host}/x`]) {
      const answer = await rawExchange(portOf(demo), `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 (200|403|404) /, path);
    }
    assert.ok(origin.seen.every((s) => pairs(s.rawHeaders).find(([n]) => n === "host")[1] === new URL(origin.origin).host));
    assert.equal(other.seen.length, 0, `the other host was reached: ${JSON.stringify(other.seen.map((s) => s.url))}`);
  });

  test("the other host got nothing through any of these attempts", () => {
    assert.equal(other.seen.length, 0);
  });
});

describe("demo proxy: headers", () => {
  test("hop-by-hop request headers (and those Connection lists) are dropped", async () => {
    const request = [
      "PROPFIND /caldav/cyrus/ HTTP/1.1",
      `Host: 127.0.0.1:${portOf(demo)}`,
      "Connection: X-Private-Hop, close",
      "X-Private-Hop: do-not-forward",
      "Keep-Alive: timeout=5",
      "TE: trailers",
      "Proxy-Authorization: Basic Zm9vOmJhcg==",
      "Upgrade: websocket",
      "Cookie: demo-session=1",
      "X-Caldav-Sched-User: cyrus",
      "Depth: 0",
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
    await rawExchange(portOf(demo), request);
    const [seen] = origin.seen;
    const names = pairs(seen.rawHeaders).map(([n]) => n);
    for (const hop of ["x-private-hop", "keep-alive", "te", "proxy-authorization", "upgrade", "cookie"]) {
      assert.ok(!names.includes(hop), `${hop} was forwarded`);
    }
    assert.ok(!pairs(seen.rawHeaders).some(([n, v]) => n === "connection" && /x-private-hop/i.test(v)));
    assert.deepEqual(pairs(seen.rawHeaders).find(([n]) => n === "depth"), ["depth", "0"]);
  });

  test("hop-by-hop response headers are dropped; Set-Cookie does not reach the demo origin", async () => {
    const answer = await rawExchange(
      portOf(demo),
      `GET /caldav/cyrus/x.ics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Caldav-Sched-User: cyrus\r\nConnection: close\r\n\r\n`,
    );
    const head = answer.slice(0, answer.indexOf("\r\n\r\n"));
    assert.doesNotMatch(head, /X-Hop-Private|secret-of-this-hop|timeout=99|Proxy-Authenticate|^Trailer:|Set-Cookie/im);
    assert.match(head, /^X-End-To-End: kept$/m);
  });

  test("ETag / Schedule-Tag / If-* are byte-exact in both directions (name case and value bytes)", async () => {
    const preconditions = [
      ["If-Match", '"abc", W/"x  y"'],
      ["If-None-Match", "*"],
      ["If-Schedule-Tag-Match", '"tag-\xe9\xff \\"quoted\\""'],
      ["if-modified-since", "Thu, 26 Nov 2026 06:00:00 GMT"],
      ["IF-UNMODIFIED-SINCE", "Thu, 26 Nov 2026 06:00:00 GMT"],
    ];
    const request = [
      "GET /caldav/cyrus/x.ics HTTP/1.1",
      "Host: 127.0.0.1",
      "X-Caldav-Sched-User: cyrus",
      ...preconditions.map(([n, v]) => `${n}: ${v}`),
      "Connection: close",
      "",
      "",
    ].join("\r\n");
    const answer = await rawExchange(portOf(demo), request);
    // request direction: exactly these pairs, names as sent, value bytes as sent
    const seen = origin.seen[0].rawHeaders;
    const forwarded = [];
    for (let i = 0; i < seen.length; i += 2) if (/^if-/i.test(seen[i])) forwarded.push([seen[i], seen[i + 1]]);
    assert.deepEqual(forwarded, preconditions);
    // response direction: the raw bytes of the tag lines equal the origin's
    assert.ok(answer.includes('\r\nETag: W/"a  b\\"c"\r\n'), answer);
    assert.ok(answer.includes('\r\nsChEdUlE-tAg: "12345-\xe9\xff"\r\n'), answer);
  });
});

describe("demo proxy: credentials", () => {
  test("neither the page, nor config.json, nor a log line holds the password", async () => {
    const config = await (await fetch(`${basic.url}config.json`)).text();
    assert.doesNotMatch(config, new RegExp(PASSWORD));
    assert.deepEqual(JSON.parse(config).caldav, { host: new URL(origin.origin).host, basePath: "/", auth: "basic" });
    for (const file of readdirSync(join(root, "www", "public"))) {
      const text = await (await fetch(`${basic.url}${file}`)).text();
      assert.doesNotMatch(text, new RegExp(PASSWORD), file);
    }
    assert.ok(basic.logs.length > 0, "the basic proxy logged its requests");
    for (const line of basic.logs) {
      assert.doesNotMatch(line, new RegExp(`${PASSWORD}|${BASIC_CYRUS.slice(6)}`));
      assert.match(line, /^[A-Z]+ /);
    }
  });

  test("the CLI refuses credentials in --caldav and prints neither them nor the password", async () => {
    const bin = join(root, "www", "bin", "caldav-sched-demo.mjs");
    const run = (args) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, CALDAV_PASSWORD: PASSWORD } });
        let out = "";
        child.stdout.on("data", (c) => (out += c));
        child.stderr.on("data", (c) => (out += c));
        child.on("close", (code) => resolve({ code, out }));
      });
    const withUserinfo = await run(["--caldav", `http://cyrus:${PASSWORD}@127.0.0.1:1/`, "--port", "0"]);
    assert.equal(withUserinfo.code, 2);
    assert.match(withUserinfo.out, /must not carry credentials/);
    assert.doesNotMatch(withUserinfo.out, new RegExp(PASSWORD));
    const noPassword = await new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, "--caldav", "http://127.0.0.1:1/", "--auth", "basic"], {
        env: { ...process.env, CALDAV_PASSWORD: "" },
      });
      let out = "";
      child.stderr.on("data", (c) => (out += c));
      child.on("close", (code) => resolve({ code, out }));
    });
    assert.equal(noPassword.code, 2);
    assert.match(noPassword.out, /CALDAV_PASSWORD/);
    const source = readFileSync(bin, "utf8") + readFileSync(join(root, "www", "server", "app.mjs"), "utf8");
    assert.doesNotMatch(source, /console\.\w+\([^)]*password/i);
  });
});
