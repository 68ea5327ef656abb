import { fetchCalendarObjects, updateCalendarObject } from "tsdav";
import { attendeeReply, classifyResponse, preconditionHeaders } from "caldav-sched";

/**
 * Answers an invitation held as tsdav's DAVCalendarObject ({ url, etag, data }, as
 * fetchCalendarObjects returns it; add `scheduleTag` if you have one). Only my PARTSTAT
 * changes. On 412 someone changed the object first: fetch the new copy and answer again.
 */
export async function answerWithTsdav({ calendar, calendarObject, me, partstat = "ACCEPTED", headers = {} }) {
  for (let attempt = 1; ; attempt += 1) {
    const { data, changed } = attendeeReply({ data: calendarObject.data, me, partstat });
    if (!changed) return { outcome: "ok", message: "already answered", attempts: attempt };
    const sent = preconditionHeaders({ intent: "update", ...calendarObject });
    const response = await updateCalendarObject({
      calendarObject: { url: calendarObject.url, data }, // no etag: `sent` holds the precondition
      headers: { ...headers, ...sent },
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
    const url = calendarObject.url;
    [calendarObject] = await fetchCalendarObjects({ calendar, objectUrls: [url], headers });
    if (!calendarObject) return { outcome: "gone", message: `${url} was deleted`, attempts: attempt };
  }
}
