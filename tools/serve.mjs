#!/usr/bin/env node
// A tiny static server for the demo: www/public/ at "/", the built package at "/pkg/". Listens on
// 127.0.0.1 only, sends .wasm as application/wasm (so browsers compile while downloading) and
// has no dependency. `node tools/serve.mjs` (PORT=8080 by default; PORT=0 picks a free port).

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

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
  ".ico": "image/x-icon",
};

/** Maps a URL path to a file under www/ or pkg/, or null when it would leave them. */
function resolve(urlPath, dirs) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split("?")[0]);
  } catch {
    return null;
  }
  if (path.includes("\0")) return null;
  const [base, rest] = path.startsWith("/pkg/") ? [dirs.pkg, path.slice(5)] : [dirs.www, path.slice(1)];
  const file = normalize(join(base, rest || "index.html"));
  return file === base || file.startsWith(base + sep) ? file : null;
}

/** Starts the server; resolves to the listening `http.Server` and its URL. */
export function serve({ port = 8080, host = "127.0.0.1", www = join(root, "www", "public"), pkg = join(root, "pkg") } = {}) {
  const dirs = { www: normalize(www), pkg: normalize(pkg) };
  const server = createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let file = resolve(req.url ?? "/", dirs);
    try {
      if (file && (await stat(file)).isDirectory()) file = join(file, "index.html");
      if (!file) throw new Error("outside");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "content-length": body.length,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      ok({ server, url: `http://${host}:${actual}/` });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const port = Number(process.env.PORT ?? 8080);
  const { url } = await serve({ port }).catch((e) => {
    console.error(e.code === "EADDRINUSE" ? `port ${port} is in use: try PORT=8081 make demo` : e.message);
    process.exit(1);
  });
  console.log(`caldav-sched demo: ${url}  (serving www/public/ and pkg/; Ctrl+C to stop)`);
}
