// The same-origin proxy to ONE CalDAV origin. The page sends `/caldav/<path on the server>` with
// the header `X-Caldav-Sched-User: <user>`; the proxy forwards it to the configured origin and
// nowhere else, adds the user's credentials from its own config (the page never sees them), drops
// hop-by-hop headers, and copies every other header, ETag / Schedule-Tag / If-* included, byte
// for byte in both directions (names keep their case, values are not re-encoded).

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** Path prefix under which the page reaches the CalDAV server. */
export const PROXY_PREFIX = "/caldav";

/** Request header naming the demo user a request acts as (consumed by the proxy). */
export const USER_HEADER = "x-caldav-sched-user";

/** Longest the proxy waits for the CalDAV server. */
const UPSTREAM_TIMEOUT_MS = 30_000;

/** RFC 9110 7.6.1 connection-specific fields, plus the old Keep-Alive and Proxy-* ones. */
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

/** Request fields that describe the demo page, not the CalDAV request. */
const PAGE_ONLY_REQUEST = new Set(["host", "cookie", "origin", "referer", USER_HEADER]);

/** Response fields that must not reach the demo origin's cookie jar. */
const PAGE_ONLY_RESPONSE = new Set(["set-cookie", "set-cookie2"]);

/** Field names a Connection header lists (they are hop-by-hop too). */
function connectionTokens(rawHeaders) {
  const names = new Set();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === "connection") {
      for (const t of rawHeaders[i + 1].split(",")) names.add(t.trim().toLowerCase());
    }
  }
  return names;
}

/**
 * The [name, value] pairs of `rawHeaders` without hop-by-hop fields and without `drop`; names and
 * values exactly as received.
 */
export function endToEndHeaders(rawHeaders, drop = new Set()) {
  const listed = connectionTokens(rawHeaders);
  const pairs = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i].toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed.has(lower) || drop.has(lower)) continue;
    pairs.push([rawHeaders[i], rawHeaders[i + 1]]);
  }
  return pairs;
}

/**
 * The upstream URL for a request target, or null when it would not be a path on the configured
 * origin (absolute-form targets, `//host` paths, anything outside the prefix).
 */
export function upstreamUrl(target, origin) {
  if (typeof target !== "string" || !target.startsWith(`${PROXY_PREFIX}/`)) return null;
  const rest = target.slice(PROXY_PREFIX.length);
  // "//host/..." would be a network-path reference to another host; backslashes are read as
  // slashes by the URL parser.
  if (rest.startsWith("//") || rest.includes("\\") || /[\0-\x1f\x7f]/.test(rest)) return null;
  let url;
  try {
    url = new URL(rest, origin);
  } catch {
    return null;
  }
  return url.origin === origin.origin ? url : null;
}

/** A Location on the CalDAV origin, rewritten to go through the proxy; others unchanged. */
function proxiedLocation(value, origin) {
  try {
    const url = new URL(value, origin);
    return url.origin === origin.origin ? `${PROXY_PREFIX}${url.pathname}${url.search}` : value;
  } catch {
    return value;
  }
}

function refuse(res, status, message) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(`${message}\n`);
}

/**
 * Makes the request handler for `/caldav/...`. `config` is the checked config of options.mjs;
 * `log` gets one line per request (method, path, status; never a header value).
 */
export function createProxy(config, log = () => {}) {
  const origin = config.caldav;
  const users = new Set(config.users);
  const send = origin.protocol === "https:" ? httpsRequest : httpRequest;

  return function proxy(req, res) {
    const target = upstreamUrl(req.url, origin);
    if (!target) {
      refuse(res, 403, `only paths under ${PROXY_PREFIX}/ on the configured CalDAV origin are forwarded`);
      log(`${req.method} (refused target) -> 403`);
      return;
    }
    const user = req.headers[USER_HEADER];
    if (user !== undefined && !users.has(user)) {
      refuse(res, 403, "unknown demo user");
      log(`${req.method} ${target.pathname} -> 403 (unknown user)`);
      return;
    }
    const drop = new Set(PAGE_ONLY_REQUEST);
    if (config.auth === "x-remote-user") drop.add("x-remote-user");
    const pairs = endToEndHeaders(req.rawHeaders, drop);
    const hasOwnAuthorization = pairs.some(([n]) => n.toLowerCase() === "authorization");
    if (user !== undefined && config.auth === "x-remote-user") pairs.push(["X-Remote-User", user]);
    if (user !== undefined && config.auth === "basic" && !hasOwnAuthorization) {
      pairs.push(["Authorization", `Basic ${Buffer.from(`${user}:${config.password}`).toString("base64")}`]);
    }
    const headers = {};
    for (const [name, value] of pairs) {
      const same = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
      if (same) headers[same] = `${headers[same]}, ${value}`;
      else headers[name] = value;
    }
    headers.Host = origin.host;

    const upstream = send(target, { method: req.method, headers, timeout: UPSTREAM_TIMEOUT_MS }, (answer) => {
      const out = [];
      for (const [name, value] of endToEndHeaders(answer.rawHeaders, PAGE_ONLY_RESPONSE)) {
        out.push(name, name.toLowerCase() === "location" ? proxiedLocation(value, origin) : value);
      }
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
      answer.pipe(res);
      log(`${req.method} ${target.pathname} -> ${answer.statusCode}`);
    });
    upstream.on("timeout", () => upstream.destroy(new Error("the CalDAV server did not answer in time")));
    upstream.on("error", (e) => {
      if (!res.headersSent) refuse(res, 502, `CalDAV server unreachable: ${e.message}`);
      else res.destroy();
      log(`${req.method} ${target.pathname} -> 502`);
    });
    // the page gave up (navigated away, timed out): stop waiting for the server too
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
}
