// CalDAV requests from the page, through the demo server's same-origin proxy (/caldav/...).
// Each request comes back as an exchange record (what was sent, what came back) for display.
// The page never holds a credential: it names the demo user, the proxy adds the rest.

/** Path prefix of the proxy (see server/proxy.mjs). */
const PROXY_PREFIX = "/caldav";

/** Request header naming the demo user; consumed by the proxy, not forwarded. */
const USER_HEADER = "X-Caldav-Sched-User";

/** Longest one request may take before the page gives up on it. */
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * Sends one request as `user` to `path` (a path on the CalDAV server) and returns
 * `{ request: { method, path, host, headers, body }, response: { status, statusText, headers, body }, raw }`
 * where `raw` is the fetch Response (its body already read) for classifyResponse.
 */
export async function caldavRequest(server, user, method, path, { headers = {}, body } = {}) {
  const sentHeaders = { ...headers };
  if (body !== undefined) sentHeaders["Content-Length"] = String(new TextEncoder().encode(body).length);
  const fetchHeaders = { ...headers, [USER_HEADER]: user };
  const raw = await fetch(`${PROXY_PREFIX}${path}`, {
    method,
    headers: fetchHeaders,
    body,
    cache: "no-store",
    redirect: "manual",
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await raw.text();
  return {
    user,
    request: { method, path, host: server.host, headers: sentHeaders, body },
    response: { status: raw.status, statusText: raw.statusText, headers: [...raw.headers], body: text },
    raw,
  };
}

/** The calendar-query REPORT body selecting the VEVENT with this UID (RFC 4791 7.8). */
export function uidQuery(uid) {
  return `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:prop-filter name="UID"><C:text-match collation="i;octet">${uid}</C:text-match></C:prop-filter>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>`;
}

/** The .ics hrefs of a multistatus body, whatever namespace prefix the server uses. */
export function icsHrefs(xml) {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  return [...doc.getElementsByTagNameNS("DAV:", "href")]
    .map((h) => h.textContent.trim())
    .filter((h) => h.endsWith(".ics"))
    .map((h) => (h.startsWith("/") ? h : new URL(h).pathname));
}
