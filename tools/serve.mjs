#!/usr/bin/env node
// A tiny static server for the demo during development: www/public/ at "/", the built package at
// "/pkg/" (the published demo's own static handler, www/server/static.mjs, without its CalDAV
// proxy or config). Listens on 127.0.0.1 only, sends .wasm as application/wasm and has no
// dependency. `node tools/serve.mjs` (PORT=8080 by default; PORT=0 picks a free port).

import { createServer } from "node:http";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { createStatic } from "../www/server/static.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Starts the server; resolves to the listening `http.Server` and its URL. */
export function serve({ port = 8080, host = "127.0.0.1", www = join(root, "www", "public"), pkg = join(root, "pkg") } = {}) {
  const server = createServer(createStatic({ pub: www, pkg }));
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
