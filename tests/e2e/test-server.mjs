// test-server.mjs - the e2e suite's own same-origin server: the test page and the built
// package as static files, and a reverse proxy to ONE CalDAV server under test (neither
// Cyrus nor Xandikos allows CORS, so the page must reach the server through its own origin).
//
//   /__e2e/pkg/*   files of pkg/ (the built npm package)
//   /__e2e/*       files of tests/e2e/page/
//   anything else  forwarded to the CalDAV server, same path and query
//
// The page says who it acts as with the request header `X-E2E-As: <user>`; the proxy drops
// that header and adds the server's credentials for that user (so no credentials live in
// the page). Hop-by-hop headers are dropped both ways; every other header, ETag,
// Schedule-Tag and If-* included, is passed byte for byte, and bodies are streamed as they
// are (a gzip answer stays gzip for the browser to decode). Every proxied exchange is kept
// in `exchanges` so a test can assert what the page really sent and received.
// Test-only: the user-facing proxy of the demo lives in www/.

import { createServer, request as httpRequest, Agent } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { root } from "../js/helpers.mjs";

const PAGE_DIR = join(root, "tests", "e2e", "page");
/** The built package the page imports: pkg/, or another build named by E2E_PKG_DIR. */
export const PKG_DIR = process.env.E2E_PKG_DIR ?? join(root, "pkg");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".css": "text/css; charset=utf-8",
};

/** RFC 9110 7.6.1 hop-by-hop fields, never forwarded (plus those a Connection header names). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** The request header that names the user a page acts as. */
export const AS_HEADER = "x-e2e-as";

/** Raw header pairs minus hop-by-hop fields, those named by Connection, and `drop`. */
function forwardable(rawHeaders, drop = []) {
  const named = new Set(drop);
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === "connection") {
      for (const token of rawHeaders[i + 1].split(",")) named.add(token.trim().toLowerCase());
    }
  }
  const out = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (!HOP_BY_HOP.has(name) && !named.has(name)) out.push([rawHeaders[i], rawHeaders[i + 1]]);
  }
  return out;
}

/** Serves a file under `dir`, or 404; never a path outside `dir`. */
async function serveFile(res, dir, relative) {
  const file = normalize(join(dir, relative));
  if (!file.startsWith(dir + sep)) return void res.writeHead(403).end();
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return void res.writeHead(404).end();
  res.writeHead(200, {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Content-Length": info.size,
    "Cache-Control": "no-store",
  });
  createReadStream(file).pipe(res);
}

/**
 * Starts the server on 127.0.0.1 (a free port) in front of `caldav`, a profile from
 * tests/servers/servers.mjs. Resolves with { url, exchanges, close() }.
 */
export async function startTestServer(caldav) {
  const target = new URL(caldav.url);
  // Cyrus serves one connection per httpd process: keep the pool small.
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const exchanges = [];

  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (path.startsWith("/__e2e/pkg/")) return void serveFile(res, PKG_DIR, path.slice("/__e2e/pkg/".length).split("?")[0]);
    if (path.startsWith("/__e2e/")) return void serveFile(res, PAGE_DIR, path.slice("/__e2e/".length).split("?")[0]);

    const user = req.headers[AS_HEADER];
    if (typeof user !== "string" || !caldav.users.includes(user)) {
      res.writeHead(403, { "Content-Type": "text/plain" }).end(`the e2e proxy needs ${AS_HEADER}: one of ${caldav.users}`);
      return;
    }
    const headers = forwardable(req.rawHeaders, [AS_HEADER, "host", "authorization", "x-remote-user"]);
    headers.push(["Host", target.host], ...Object.entries(caldav.authHeaders(user)));
    const exchange = { user, method: req.method, path, request: Object.fromEntries(headers.map(([k, v]) => [k.toLowerCase(), v])) };
    exchanges.push(exchange);

    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path, headers: headers.flat(), agent },
      (answer) => {
        const back = forwardable(answer.rawHeaders);
        exchange.status = answer.statusCode;
        exchange.response = Object.fromEntries(back.map(([k, v]) => [k.toLowerCase(), v]));
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, back.flat());
        answer.pipe(res);
      },
    );
    upstream.on("error", (e) => {
      exchange.error = e.message;
      if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
      res.end(`e2e proxy: ${e.message}`);
    });
    req.pipe(upstream);
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
