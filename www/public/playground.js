// The offline playground: attendeeReply / merge / classifyResponse on pasted input, entirely in
// this page (no request leaves it), with a line diff of the calendar data produced.

import * as sched from "caldav-sched";
import { lineDiff, renderDiff } from "./diff.js";

const $ = (id) => document.getElementById(id);

/** The example: an invitation as the attendee's copy arrives (RFC 6638 B.1 shape). */
export const EXAMPLE = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Example Corp.//CalDAV Client//EN",
  "BEGIN:VEVENT",
  "UID:9263504FD3AD@example.com",
  "SEQUENCE:0",
  "DTSTAMP:20260602T131000Z",
  "DTSTART:20270602T170000Z",
  "DTEND:20270602T180000Z",
  "SUMMARY:Lunch",
  "ORGANIZER;CN=Cyrus:mailto:cyrus@example.com",
  "ATTENDEE;CN=Cyrus;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com",
  "ATTENDEE;CN=Wilfredo;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com",
  "ATTENDEE;CN=Bernard;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard@example.com",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

/** "Name: value" lines into an object (blank lines ignored). */
function headerLines(text) {
  const headers = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function selected() {
  return document.querySelector('input[name="fn"]:checked').value;
}

/** Shows only the fields of the selected function. */
function showFields() {
  const fn = selected();
  for (const el of document.querySelectorAll("#playground [data-for]")) {
    el.hidden = !el.dataset.for.split(" ").includes(fn);
  }
}

/** Runs the selected function; returns `{ result, before, after }` (the texts to diff). */
function run(fn) {
  const me = $("pg-me").value.trim();
  if (fn === "attendeeReply") {
    const minutes = $("pg-alarm").value.trim();
    const options = { data: $("pg-data").value, me, partstat: $("pg-partstat").value };
    if (minutes !== "") options.alarms = [{ trigger: `-PT${Number(minutes)}M` }];
    if ($("pg-comment").value.trim()) options.comment = $("pg-comment").value.trim();
    const result = sched.attendeeReply(options);
    return { result, before: options.data, after: result.data };
  }
  if (fn === "merge") {
    if (typeof sched.merge !== "function") throw new Error("this build of caldav-sched has no merge() yet");
    const options = { local: $("pg-data").value, server: $("pg-server").value, me, onReschedule: $("pg-reschedule").value };
    if ($("pg-base").value.trim()) options.base = $("pg-base").value;
    const result = sched.merge(options);
    return { result, before: options.server, after: result.data };
  }
  const result = sched.classifyResponse({
    method: $("pg-method").value,
    status: Number($("pg-status").value),
    headers: headerLines($("pg-headers").value),
    body: $("pg-body").value,
    sent: headerLines($("pg-sent").value),
    attempt: Number($("pg-attempt").value) || 1,
  });
  return { result };
}

/** A result without its calendar data (shown as a diff instead). */
function summary(result) {
  const { data, itip, ...rest } = result;
  const lines = [JSON.stringify(rest, null, 2)];
  if (itip) lines.push("", "iTIP message to send:", itip);
  return lines.join("\n");
}

/** Wires the playground form. */
export function setupPlayground() {
  $("pg-data").value = EXAMPLE;
  $("pg-example").addEventListener("click", () => {
    $("pg-data").value = EXAMPLE;
  });
  for (const radio of document.querySelectorAll('input[name="fn"]')) radio.addEventListener("change", showFields);
  showFields();
  $("playground").addEventListener("submit", (event) => {
    event.preventDefault();
    const out = $("pg-result");
    const diff = $("pg-diff");
    try {
      const { result, before, after } = run(selected());
      out.dataset.outcome = "ok";
      out.textContent = summary(result);
      if (typeof after === "string") renderDiff(diff, lineDiff(before, after));
      else {
        diff.replaceChildren("(no calendar data in this result)");
        delete diff.dataset.changes;
      }
    } catch (e) {
      out.dataset.outcome = "error";
      const where = e.line ? ` at line ${e.line}` : "";
      out.textContent = `${e.name}${e.code ? ` ${e.code}` : ""}${where}: ${e.message}`;
      diff.replaceChildren();
      delete diff.dataset.changes;
    }
  });
  $("pg-run").disabled = false;
}
