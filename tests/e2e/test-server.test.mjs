// test-server.test.mjs - the suite's own same-origin server, against a scripted upstream (no
// CalDAV server needed): loopback only, credentials added by the proxy and never taken from
// the page, hop-by-hop headers dropped, validators and preconditions passed byte for byte,
// static files confined to their folders.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as S from "../servers/servers.mjs";
import { PKG_DIR, startTestServer } from "./test-server.mjs";

/** A raw HTTP request (no fetch normalisation), resolving with status, raw headers and body. */
function raw(url, { method = "GET", headers = [], body } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    // raw header arrays get no defaults from Node: Host is ours to send
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: [["Host", u.host], ...headers].flat() }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, rawHeaders: res.rawHeaders, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the e2e test server (page + proxy)", () => {
  const seen = [];
  let upstream;
  let web;
  const upstreamUrl = () => `http://127.0.0.1:${upstream.address().port}`;
  const ODD_TAG = 'W/"a b\tc"';

  before(async () => {
    upstream = createServer((req, res) => {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString() });
        res.writeHead(207, ["ETag", ODD_TAG, "Schedule-Tag", '"x;y"', "Keep-Alive", "timeout=99", "Connection", "keep-alive, X-Private", "X-Private", "secret", "Content-Type", "text/plain"]);
        res.end("answer");
      });
    });
    await new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${upstream.address().port}`;
    const profile = S.makeProfile("cyrus", "T", { T_URL: url, T_AUTH: "basic", T_PASSWORD: "pw", T_DOMAIN: "example.com", T_USERS: "cyrus,wilfredo", T_STARTED: "0" });
    web = await startTestServer(profile);
  });
  after(async () => {
    await web?.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it("listens on 127.0.0.1 only", async () => {
    const { hostname, port } = new URL(web.url);
    assert.equal(hostname, "127.0.0.1");
    for (const address of await S.externalAddresses()) {
      assert.equal(await S.acceptsConnections(address, Number(port)), false, `reachable on ${address}`);
    }
  });

  it("refuses to proxy without a known X-E2E-As user, and sends nothing upstream", async () => {
    const before = seen.length;
    assert.equal((await raw(`${web.url}/dav/x.ics`)).status, 403);
    assert.equal((await raw(`${web.url}/dav/x.ics`, { headers: [["X-E2E-As", "mallory"]] })).status, 403);
    assert.equal(seen.length, before);
  });

  it("adds the user's credentials, drops the page's, passes preconditions byte for byte, drops hop-by-hop both ways", async () => {
    const res = await raw(`${web.url}/dav/cal/a%20b.ics?x=1`, {
      method: "PUT",
      headers: [
        ["X-E2E-As", "wilfredo"],
        ["Authorization", "Basic forged"],
        ["If-Schedule-Tag-Match", '"t;1"'],
        ["If-Match", ODD_TAG],
        ["Connection", "X-Hop"],
        ["X-Hop", "1"],
        ["TE", "trailers"],
        ["Content-Type", "text/calendar"],
      ],
      body: "BEGIN:VCALENDAR\r\n",
    });
    const got = seen.at(-1);
    const values = (name) => got.rawHeaders.flatMap((v, i) => (i % 2 === 0 && v.toLowerCase() === name ? [got.rawHeaders[i + 1]] : []));
    assert.equal(got.method, "PUT");
    assert.equal(got.url, "/dav/cal/a%20b.ics?x=1");
    assert.equal(got.body, "BEGIN:VCALENDAR\r\n");
    assert.deepEqual(values("authorization"), [`Basic ${Buffer.from("wilfredo:pw").toString("base64")}`]);
    assert.deepEqual(values("x-e2e-as"), []);
    assert.deepEqual(values("if-schedule-tag-match"), ['"t;1"']);
    assert.deepEqual(values("if-match"), [ODD_TAG]);
    assert.deepEqual([...values("x-hop"), ...values("te")], []);
    assert.deepEqual(values("host"), [new URL(upstreamUrl()).host]);
    assert.equal(res.status, 207);
    assert.equal(res.headers.etag, ODD_TAG);
    assert.equal(res.headers["schedule-tag"], '"x;y"');
    assert.equal(res.headers["x-private"], undefined, "a header named by Connection is hop-by-hop");
    assert.notEqual(res.headers["keep-alive"], "timeout=99", "the upstream Keep-Alive is not forwarded (Node may send its own)");
    assert.equal(res.body.toString(), "answer");
    assert.equal(web.exchanges.at(-1).response.etag, ODD_TAG);
  });

  it("serves the package and the page, and nothing outside their folders", async () => {
    const wasm = await raw(`${web.url}/__e2e/pkg/caldav_sched_bg.wasm`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers["content-type"], "application/wasm");
    assert.ok(wasm.body.equals(readFileSync(join(PKG_DIR, "caldav_sched_bg.wasm"))));
    assert.equal((await raw(`${web.url}/__e2e/index.html`)).status, 200);
    for (const path of ["/__e2e/../harness.mjs", "/__e2e/pkg/../Cargo.toml", "/__e2e/pkg/%2e%2e/Cargo.toml", "/__e2e/nope.js"]) {
      assert.ok([403, 404].includes((await raw(`${web.url}${path}`)).status), path);
    }
  });
});
