// The live story of RFC 6638 Appendix B, played against a real CalDAV server through the demo's
// proxy: invite (B.1), accept with an alarm (B.3), reschedule, then the attendee's stale write,
// its 412, and the merge. Organizer on the left, attendee on the right.

import * as sched from "caldav-sched";
import { caldavRequest, icsHrefs, uidQuery } from "./caldav.js";
import { appendExchange, appendNote } from "./exchange.js";
import { futureStart, invitation, propertyValue, readableUtc, reschedule } from "./ical-edit.js";
import { mergeReport } from "./report.js";

const $ = (id) => document.getElementById(id);
const CALENDAR_TYPE = 'text/calendar; charset="utf-8"';

/** Longest the page waits for the server to deliver the invitation to the attendee. */
const DELIVERY_TIMEOUT_MS = 10_000;

/** Sets up the story for the public config (config.json). */
export function setupStory(config) {
  const status = $("server-status");
  if (!config.caldav) {
    status.textContent =
      "No CalDAV server is configured (start the demo with --caldav URL). The offline playground works without one.";
    return;
  }
  const [organizer, attendee] = config.users;
  const server = config.caldav;
  status.textContent = `CalDAV server ${server.host} through this page's proxy; organizer ${organizer.address}, attendee ${attendee.address}.`;
  document.querySelector('.who[data-role="organizer"]').textContent = `(${organizer.name})`;
  document.querySelector('.who[data-role="attendee"]').textContent = `(${attendee.name})`;
  const logs = { [organizer.name]: $("organizer-log"), [attendee.name]: $("attendee-log") };
  const state = {};

  /** One request shown in the pane of the user who made it; classified when it is a GET/PUT/DELETE. */
  async function show(title, user, method, path, options = {}) {
    const exchange = await caldavRequest(server, user.name, method, path, options);
    const verdict = ["GET", "PUT", "DELETE"].includes(method)
      ? sched.classifyResponse({
          method,
          status: exchange.raw.status,
          headers: exchange.raw.headers,
          body: exchange.response.body,
          sent: options.sent,
          attempt: options.attempt,
        })
      : undefined;
    appendExchange(logs[user.name], { title, exchange, verdict });
    return { exchange, verdict, body: exchange.response.body };
  }

  /** Fetches a copy with its validators (RFC 6638 3.2.10: keep the Schedule-Tag). */
  async function fetchCopy(title, user, path) {
    const got = await show(title, user, "GET", path);
    if (got.verdict.outcome !== "ok") throw new Error(`GET ${path}: ${got.verdict.message}`);
    return { data: got.body, etag: got.verdict.etag, scheduleTag: got.verdict.scheduleTag };
  }

  /** The precondition headers for updating a copy we fetched. */
  function updateHeaders(copy) {
    return sched.preconditionHeaders(
      copy.scheduleTag ? { intent: "update", scheduleTag: copy.scheduleTag } : { intent: "update", etag: copy.etag },
    );
  }

  /** PUTs calendar data with precondition headers; returns the classified answer. */
  function put(title, user, path, data, sent, attempt = 1) {
    return show(title, user, "PUT", path, { headers: { "Content-Type": CALENDAR_TYPE, ...sent }, body: data, sent, attempt });
  }

  function expectWritten(result) {
    const outcome = result.verdict.outcome;
    if (outcome !== "ok" && outcome !== "refetch") throw new Error(result.verdict.message);
  }

  async function invite() {
    const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    state.uid = `demo-${stamp}@caldav-sched.demo`;
    state.organizerPath = `${organizer.calendar}demo-${stamp}.ics`;
    const data = invitation({ uid: state.uid, start: futureStart(), organizer, attendees: [attendee], summary: "Lunch" });
    const sent = sched.preconditionHeaders({ intent: "create" });
    expectWritten(await put(`${organizer.name} creates the event and invites ${attendee.name}`, organizer, state.organizerPath, data, sent));
    // Delivery to the attendee's calendar is the server's work (implicit scheduling); look for it.
    const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
    for (;;) {
      const exchange = await caldavRequest(server, attendee.name, "REPORT", attendee.calendar, {
        headers: { Depth: "1", "Content-Type": 'application/xml; charset="utf-8"' },
        body: uidQuery(state.uid),
      });
      const [href] = exchange.response.status === 207 ? icsHrefs(exchange.response.body) : [];
      if (href || Date.now() > deadline) {
        appendExchange(logs[attendee.name], { title: `${attendee.name}'s client looks for the invitation`, exchange });
        if (!href) throw new Error("the server did not deliver the invitation to the attendee's calendar");
        state.attendeePath = href;
        return;
      }
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  async function accept() {
    const copy = await fetchCopy(`${attendee.name} fetches the invitation`, attendee, state.attendeePath);
    const reply = sched.attendeeReply({
      data: copy.data,
      me: attendee.address,
      partstat: "ACCEPTED",
      alarms: [{ trigger: "-PT15M", description: "Lunch in 15 minutes" }],
    });
    const result = await put(
      `${attendee.name} accepts, with a 15-minute alarm (attendeeReply)`,
      attendee,
      state.attendeePath,
      reply.data,
      updateHeaders(copy),
    );
    expectWritten(result);
    // What the attendee's client keeps: the stored copy and its tags (fetched fresh, no cache).
    state.attendeeCopy = await fetchCopy(`${attendee.name} reads the stored copy back`, attendee, state.attendeePath);
    await fetchCopy(`${organizer.name}'s copy now shows the answer`, organizer, state.organizerPath);
  }

  async function moveMeeting() {
    const copy = await fetchCopy(`${organizer.name} fetches the event`, organizer, state.organizerPath);
    const moved = reschedule(copy.data, 3_600_000, organizer.address);
    state.movedTo = readableUtc(propertyValue(moved, "DTSTART"));
    expectWritten(await put(`${organizer.name} moves it one hour later`, organizer, state.organizerPath, moved, updateHeaders(copy)));
    appendNote(
      logs[attendee.name],
      `${attendee.name}'s client has not noticed: it still holds the copy with Schedule-Tag ${state.attendeeCopy.scheduleTag ?? "(none)"}.`,
    );
  }

  async function conflict() {
    const stale = state.attendeeCopy;
    const local = sched.attendeeReply({
      data: stale.data,
      me: attendee.address,
      partstat: "ACCEPTED",
      alarms: [{ trigger: "-PT30M", description: "Lunch in 30 minutes" }],
    });
    const first = await put(
      `${attendee.name} changes the alarm to 30 minutes, on the stale copy`,
      attendee,
      state.attendeePath,
      local.data,
      updateHeaders(stale),
    );
    if (first.verdict.outcome !== "merge-and-retry") {
      throw new Error(`expected 412 for the stale tag; the server answered ${first.exchange.response.status}`);
    }
    const fresh = await fetchCopy(`${attendee.name} fetches the newer copy`, attendee, state.attendeePath);
    if (typeof sched.merge !== "function") {
      throw new Error("this build of caldav-sched has no merge() yet: the story stops here");
    }
    const options = { local: local.data, server: fresh.data, base: stale.data, me: attendee.address };
    const merged = sched.merge({ ...options, onReschedule: "ask" });
    $("merge-report").textContent = `merge: ${mergeReport(merged, { movedTo: state.movedTo })}`;
    const send = async (result, title) => {
      if (result.unchanged) return;
      expectWritten(await put(title, attendee, state.attendeePath, result.data, updateHeaders(fresh), 2));
      await fetchCopy(`${organizer.name}'s copy after the merge`, organizer, state.organizerPath);
    };
    if (!merged.needsConfirmation) {
      await send(merged, `${attendee.name} sends the merged copy with the new tag`);
      return;
    }
    $("confirm-question").textContent = `The organizer moved Lunch to ${state.movedTo}. Keep your answer "Accepted"?`;
    $("confirm").hidden = false;
    $("confirm-keep").focus();
    const keep = await new Promise((decide) => {
      $("confirm-keep").onclick = () => decide(true);
      $("confirm-later").onclick = () => decide(false);
    });
    $("confirm").hidden = true;
    const final = keep ? sched.merge({ ...options, onReschedule: "keep" }) : merged;
    $("merge-report").textContent = `merge: ${mergeReport(final, { movedTo: state.movedTo })}`;
    await send(final, keep ? `${attendee.name} keeps the answer: merged copy, new tag` : `${attendee.name} leaves it unanswered; the alarm is kept`);
  }

  /** The last classifyResponse line shown in either pane, for the status announcement. */
  function lastVerdict() {
    const all = document.querySelectorAll(".verdict");
    return all.length ? all[all.length - 1].textContent : "";
  }

  const steps = [
    ["step-invite", invite],
    ["step-accept", accept],
    ["step-reschedule", moveMeeting],
    ["step-conflict", conflict],
  ];
  steps.forEach(([id, run], index) => {
    const button = $(id);
    button.addEventListener("click", async () => {
      steps.forEach(([other]) => ($(other).disabled = true));
      try {
        await run();
        button.dataset.done = "true";
        $("story-status").textContent = `${button.textContent}: done. ${lastVerdict()}`;
        const next = steps[index + 1];
        if (next) $(next[0]).disabled = false;
        document.body.dataset.step = String(index + 1);
      } catch (e) {
        // steps 1 and 3 are the organizer's, 2 and 4 the attendee's
        const pane = index % 2 === 0 ? logs[organizer.name] : logs[attendee.name];
        const note = appendNote(pane, `${e.name}: ${e.message}`, "error");
        note.setAttribute("role", "alert");
        $("story-status").textContent = `${button.textContent}: failed. ${e.message}`;
        button.disabled = false;
        document.body.dataset.step = `${index + 1}-failed`;
      }
    });
  });
  $("step-invite").disabled = false;
}
