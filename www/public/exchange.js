// Renders an HTTP exchange the way RFC 6638 Appendix B prints it:
//   >> Request <<  request line, headers, blank line, body
//   >> Response << status line, headers, blank line, body

/** Header names as RFC 6638 writes them (fetch gives lower case). */
const NAMES = { etag: "ETag", "schedule-tag": "Schedule-Tag", "www-authenticate": "WWW-Authenticate", dav: "DAV" };

/** Display form of a header name: known spellings, else Each-Word-Capitalised. */
export function headerName(name) {
  return NAMES[name.toLowerCase()] ?? name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase());
}

/** Fields of the page-to-proxy hop, not of the CalDAV server's answer: not shown. */
const PAGE_HOP = new Set(["connection", "keep-alive", "transfer-encoding"]);

/** Lines worth a highlight: the tags, the preconditions, answers and scheduling status. */
const NOTABLE = /^(ETag|Schedule-Tag|If-[A-Za-z-]+):|PARTSTAT=ACCEPTED|SCHEDULE-STATUS|^HTTP\/1\.1 412|BEGIN:VALARM|TRIGGER/;

/** The exchange as text, in Appendix B layout. */
export function exchangeText({ request, response }) {
  const lines = [">> Request <<", "", `${request.method} ${request.path} HTTP/1.1`, `Host: ${request.host}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${headerName(name)}: ${value}`);
  lines.push("");
  if (request.body) lines.push(...request.body.replace(/\r\n|\r/g, "\n").replace(/\n$/, "").split("\n"), "");
  lines.push(">> Response <<", "", `HTTP/1.1 ${response.status} ${response.statusText}`.trimEnd());
  for (const [name, value] of response.headers) {
    if (!PAGE_HOP.has(name.toLowerCase())) lines.push(`${headerName(name)}: ${value}`);
  }
  lines.push("");
  if (response.body) lines.push(...response.body.replace(/\r\n|\r/g, "\n").replace(/\n$/, "").split("\n"));
  return lines.join("\n");
}

/**
 * Appends one step to a pane's log: a heading, the exchange (highlighting tags, preconditions and
 * answers), and a verdict line (classifyResponse outcome) when given.
 */
export function appendExchange(log, { title, exchange, verdict }) {
  const item = document.createElement("li");
  item.className = "exchange";
  const h = document.createElement("h3");
  h.textContent = title;
  item.append(h);
  if (exchange) {
    const as = document.createElement("p");
    as.className = "as";
    as.textContent = `as ${exchange.user}; the demo server adds the credentials and forwards to ${exchange.request.host}`;
    item.append(as);
    const pre = document.createElement("pre");
    pre.className = "http";
    pre.dataset.status = String(exchange.response.status);
    for (const line of exchangeText(exchange).split("\n")) {
      if (NOTABLE.test(line)) {
        const mark = document.createElement("mark");
        mark.textContent = line;
        pre.append(mark, "\n");
      } else {
        pre.append(`${line}\n`);
      }
    }
    item.append(pre);
  }
  if (verdict) {
    const p = document.createElement("p");
    p.className = "verdict";
    p.dataset.outcome = verdict.outcome;
    p.textContent = `classifyResponse: ${verdict.outcome}: ${verdict.message}`;
    item.append(p);
  }
  log.append(item);
  item.scrollIntoView({ block: "nearest" });
  return item;
}

/** Appends a plain note (no exchange) to a pane's log. */
export function appendNote(log, text, kind = "note") {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  log.append(item);
  return item;
}
