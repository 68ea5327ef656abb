#!/usr/bin/env node
// caldav-sched-demo: serves the demo page and a same-origin proxy to one CalDAV server.
//   npx caldav-sched-demo --caldav http://127.0.0.1:18090/ --auth x-remote-user
// See `--help` and the package README for the proxy's rules.

import { OptionError, USAGE, parseOptions } from "../server/options.mjs";
import { startDemo } from "../server/app.mjs";

let config;
try {
  config = parseOptions(process.argv.slice(2), process.env);
} catch (e) {
  if (!(e instanceof OptionError)) throw e;
  console.error(`caldav-sched-demo: ${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (config.help) {
  console.log(USAGE);
  process.exit(0);
}

const log = config.quiet ? () => {} : (line) => console.log(`proxy: ${line}`);
try {
  const { url } = await startDemo(config, { log });
  const target = config.caldav ? `CalDAV origin ${config.caldav.origin} (auth: ${config.auth})` : "no CalDAV server (playground only)";
  console.log(`caldav-sched demo: ${url}  (${target}; Ctrl+C to stop)`);
  if (config.caldav && !["127.0.0.1", "::1", "localhost"].includes(config.host)) {
    console.warn(`caldav-sched-demo: warning: listening on ${config.host}: anyone who reaches it acts as the demo users on ${config.caldav.origin}`);
  }
} catch (e) {
  console.error(
    e.code === "EADDRINUSE" ? `caldav-sched-demo: port ${config.port} is in use: try --port 0` : `caldav-sched-demo: ${e.message}`,
  );
  process.exit(1);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
