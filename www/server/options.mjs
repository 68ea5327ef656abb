// Command-line flags and environment of `caldav-sched-demo`, turned into one checked config.
// Secrets come only from the environment (CALDAV_PASSWORD), never from a flag (flags show up in
// `ps`) or from the --caldav URL (a URL ends up in logs and in the page).

/** Text printed by `--help`. */
export const USAGE = `caldav-sched-demo: the caldav-sched demo page plus a same-origin proxy to one CalDAV server

Usage: caldav-sched-demo [--caldav URL] [options]

  --caldav URL          the CalDAV server (base URL); the proxy forwards to its origin only.
                        Without it the page still offers the offline playground.
  --auth MODE           how the proxy authenticates the demo users:
                          none           (default) the browser sends its own Authorization
                          basic          HTTP Basic with password $CALDAV_PASSWORD
                          x-remote-user  header X-Remote-User: <user> (Xandikos behind a proxy)
  --users A,B,C         the calendar users, organizer first (default cyrus,wilfredo,bernard)
  --domain DOMAIN       user U has the address mailto:U@DOMAIN (default example.com)
  --calendar-path TPL   each user's calendar, relative to --caldav, {user} replaced
                        (default {user}/calendars/calendar/, the Xandikos layout)
  --host HOST           address to listen on (default 127.0.0.1)
  --port PORT           port to listen on (default 8080; 0 picks a free port)
  --pkg DIR             the caldav-sched package to serve (default: the installed dependency)
  --quiet               no log line per proxied request
  --help                this text

Environment: CALDAV_PASSWORD (for --auth basic), PORT (when --port is not given).
`;

const AUTH_MODES = new Set(["none", "basic", "x-remote-user"]);
const USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Thrown for bad flags; the CLI prints the message and the usage. */
export class OptionError extends Error {}

/** Parses argv (without node and script) and env into the server config. Throws OptionError. */
export function parseOptions(argv, env = {}) {
  const flags = {};
  const takesValue = new Set(["caldav", "auth", "users", "domain", "calendar-path", "host", "port", "pkg"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new OptionError(`unexpected argument: ${arg}`);
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (name === "help" || name === "quiet") {
      flags[name] = true;
      continue;
    }
    if (!takesValue.has(name)) throw new OptionError(`unknown option --${name}`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new OptionError(`--${name} needs a value`);
    flags[name] = value;
  }
  return checkedConfig(flags, env);
}

function checkedConfig(flags, env) {
  const config = {
    help: Boolean(flags.help),
    quiet: Boolean(flags.quiet),
    host: flags.host ?? "127.0.0.1",
    port: Number(flags.port ?? env.PORT ?? 8080),
    pkg: flags.pkg,
    auth: flags.auth ?? "none",
    users: (flags.users ?? "cyrus,wilfredo,bernard").split(",").map((u) => u.trim()).filter(Boolean),
    domain: flags.domain ?? "example.com",
    calendarPath: flags["calendar-path"] ?? "{user}/calendars/calendar/",
    caldav: null,
    password: undefined,
  };
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new OptionError(`--port must be 0..65535, not ${flags.port ?? env.PORT}`);
  }
  if (!AUTH_MODES.has(config.auth)) throw new OptionError(`--auth must be none, basic or x-remote-user`);
  if (config.users.length < 2) throw new OptionError("--users needs at least an organizer and one attendee");
  for (const u of config.users) if (!USER_NAME.test(u)) throw new OptionError(`bad user name: ${u}`);
  if (!/^[A-Za-z0-9.-]+$/.test(config.domain)) throw new OptionError(`bad domain: ${config.domain}`);
  if (flags.caldav !== undefined) {
    let url;
    try {
      url = new URL(flags.caldav);
    } catch {
      throw new OptionError(`--caldav is not a URL: ${flags.caldav}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new OptionError("--caldav must be http: or https:");
    if (url.username || url.password) {
      throw new OptionError("--caldav must not carry credentials; use --auth basic with CALDAV_PASSWORD");
    }
    if (url.search || url.hash) throw new OptionError("--caldav must not have a query or fragment");
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    config.caldav = url;
  }
  if (config.auth === "basic") {
    if (!env.CALDAV_PASSWORD) throw new OptionError("--auth basic needs the password in CALDAV_PASSWORD");
    config.password = env.CALDAV_PASSWORD;
  }
  return config;
}

/** What the page may know about the config: no password, no credentials of any kind. */
export function publicConfig(config) {
  return {
    caldav: config.caldav
      ? { host: config.caldav.host, basePath: config.caldav.pathname, auth: config.auth }
      : null,
    users: config.users.map((name) => ({
      name,
      address: `mailto:${name}@${config.domain}`,
      calendar: config.caldav ? new URL(config.calendarPath.replaceAll("{user}", name), config.caldav).pathname : null,
    })),
  };
}
