// The demo server: static page + package + config, and the CalDAV proxy when --caldav is given.

import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { publicConfig } from "./options.mjs";
import { PROXY_PREFIX, createProxy } from "./proxy.mjs";
import { createStatic } from "./static.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/** The page's directory inside this package. */
export const PUBLIC_DIR = join(here, "..", "public");

/**
 * The directory of the caldav-sched package: `--pkg`, else the installed dependency, else the
 * repository's pkg/ (a checkout where `npm install` was not run in www/).
 */
export function libraryDir(explicit) {
  if (explicit) return explicit;
  try {
    return dirname(createRequire(join(here, "..", "package.json")).resolve("caldav-sched/package.json"));
  } catch {
    const repoPkg = join(here, "..", "..", "pkg");
    if (existsSync(join(repoPkg, "package.json"))) return repoPkg;
    throw new Error("caldav-sched is not installed: run `npm install` in the demo package, or pass --pkg DIR");
  }
}

/**
 * Starts the demo server with a checked config (options.mjs). Resolves to `{ server, url }`.
 * `log` receives one line per proxied request (never a header value or a body).
 */
export function startDemo(config, { log = () => {} } = {}) {
  const pkg = libraryDir(config.pkg);
  const serveStatic = createStatic({ pub: PUBLIC_DIR, pkg, configJson: JSON.stringify(publicConfig(config)) });
  const proxy = config.caldav ? createProxy(config, log) : null;
  const server = createServer((req, res) => {
    const url = req.url ?? "";
    if (!url.startsWith("/")) {
      // absolute-form ("GET http://other/ HTTP/1.1"): this is not a forward proxy
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("not a proxy for other hosts\n");
      log(`${req.method} (absolute-form target) -> 400`);
      return;
    }
    if (url === PROXY_PREFIX || url.startsWith(`${PROXY_PREFIX}/`)) {
      if (proxy) proxy(req, res);
      else res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end("no CalDAV server configured (--caldav)\n");
      return;
    }
    serveStatic(req, res);
  });
  // CONNECT tunnels and protocol upgrades are refused outright.
  server.on("connect", (req, socket) => {
    socket.end("HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    log("CONNECT -> 405");
  });
  server.on("upgrade", (req, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      const { port } = server.address();
      const host = config.host.includes(":") ? `[${config.host}]` : config.host;
      resolve({ server, url: `http://${host}:${port}/` });
    });
  });
}
