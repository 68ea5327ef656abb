// Demo page: plain ESM, no bundler. Loads the optimised package from /pkg/ (see tools/serve.mjs).
import init, { roundTrip, version } from "./pkg/caldav_sched.js";

const SAMPLE = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//caldav-sched//demo//EN",
  "BEGIN:VEVENT",
  "UID:demo-1@example.com",
  "DTSTAMP:20260101T090000Z",
  "DTSTART:20260115T100000Z",
  "SUMMARY:Planning\\, round 2",
  'ORGANIZER;CN="Doe, Jane":mailto:jane@example.com',
  "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com",
  "X-UNKNOWN;X-PARAM=kept:as it was",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

const $ = (id) => document.getElementById(id);

function check() {
  const input = $("input").value;
  const result = $("result");
  try {
    const output = roundTrip({ data: input });
    const same = output === input;
    result.dataset.outcome = same ? "identical" : "changed";
    result.textContent = same
      ? `identical: ${input.length} characters came back unchanged`
      : `changed (this is a bug, please report it):\n${output}`;
  } catch (e) {
    result.dataset.outcome = "error";
    const where = e.line ? ` at line ${e.line}` : "";
    result.textContent = `${e.name} ${e.code}${where}: ${e.message}`;
  }
}

await init();
$("version").textContent = version();
// The textarea turns CRLF into LF; the layer accepts both and keeps what it is given.
$("input").value = SAMPLE;
$("check").disabled = false;
$("check").addEventListener("click", check);
document.body.dataset.ready = "true";
