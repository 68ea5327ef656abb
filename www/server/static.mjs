// Static files of the demo: the page (public/) at "/", the caldav-sched package at "/pkg/", and
// the public part of the config at "/config.json". GET and HEAD only; nothing outside those
// directories is served.

import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".ics": "text/calendar; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

const SAFE_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

/** The file a URL path names under `dirs.pub` or `dirs.pkg`, or null when it would leave them. */
export function resolveFile(urlPath, dirs) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split("?")[0]);
  } catch {
    return null;
  }
  if (path.includes("\0") || path.includes("\\")) return null;
  const [base, rest] = path.startsWith("/pkg/") ? [dirs.pkg, path.slice(5)] : [dirs.pub, path.slice(1)];
  const file = normalize(join(base, rest || "index.html"));
  return file === base || file.startsWith(base + sep) ? file : null;
}

/**
 * Makes the request handler for static files; `configJson`, when given, is served at
 * /config.json (without it that path is looked up in `pub` like any other).
 */
export function createStatic({ pub, pkg, configJson }) {
  const dirs = { pub: normalize(pub), pkg: normalize(pkg) };
  return async function serveStatic(req, res) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", ...SAFE_HEADERS }).end();
      return;
    }
    if (configJson !== undefined && (req.url ?? "/").split("?")[0] === "/config.json") {
      const body = Buffer.from(configJson);
      res.writeHead(200, { "content-type": TYPES[".json"], "content-length": body.length, ...SAFE_HEADERS });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    let file = resolveFile(req.url ?? "/", dirs);
    try {
      if (!file) throw new Error("outside");
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "content-length": body.length,
        ...SAFE_HEADERS,
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8", ...SAFE_HEADERS }).end("not found\n");
    }
  };
}
