import { attendeeReply, classifyResponse, preconditionHeaders } from "caldav-sched";

/** GETs a calendar object: its text and the tags to send back with the next write. */
export async function getCalendarObject(url, headers = {}) {
  const response = await fetch(url, { headers, cache: "no-store" });
  const verdict = classifyResponse({ method: "GET", status: response.status, headers: response.headers });
  if (verdict.outcome !== "ok") throw new Error(`GET ${url}: ${verdict.message}`);
  return { url, data: await response.text(), etag: verdict.etag, scheduleTag: verdict.scheduleTag };
}

/**
 * Answers an invitation from the copy the app holds ({ url, data, etag, scheduleTag }) and
 * PUTs it back. Only my PARTSTAT changes. On 412 someone changed the object first: GET the new
 * copy and answer again.
 */
export async function answerWithFetch({ object, me, partstat = "ACCEPTED", headers = {} }) {
  for (let attempt = 1; ; attempt += 1) {
    const { data, changed } = attendeeReply({ data: object.data, me, partstat });
    if (!changed) return { outcome: "ok", message: "already answered", attempts: attempt };
    const sent = preconditionHeaders({ intent: "update", etag: object.etag, scheduleTag: object.scheduleTag });
    const response = await fetch(object.url, {
      method: "PUT",
      headers: { ...headers, ...sent, "Content-Type": "text/calendar; charset=utf-8" },
      body: data,
    });
    const verdict = classifyResponse({
      method: "PUT",
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      sent,
      attempt,
    });
    if (verdict.outcome !== "merge-and-retry") return { ...verdict, attempts: attempt };
    object = await getCalendarObject(object.url, headers);
  }
}
