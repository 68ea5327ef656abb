// Deterministic benchmark workloads (issue 6): iCalendar text built from a seeded generator, so
// every run on every machine measures the same bytes. No dependencies.
//
//   invitation  ~1.5 KB  one VEVENT, a few attendees
//   meeting     ~67 KB   one VEVENT with 500 attendees
//   series      ~1.85 MB a weekly series with 1,000 overriding instances
//   export      ~9.7 MB  10,000 independent events (one UID each)
//
// Every workload has a VTIMEZONE, VALARMs, folded lines (at 75 octets, never inside a UTF-8
// character), TEXT values with escapes (\n \, \;) and non-ASCII names, CRLF line endings.
// `node tools/bench/workloads.mjs` prints each workload's size and line count.

/** The user who answers (an attendee in every VEVENT of every workload). */
export const ME = "mailto:wilfredo@example.com";

/** DTSTAMP written by the generator and `now` given to attendeeReply. */
export const NOW = "20261126T080000Z";

/** mulberry32: a small seeded PRNG, enough for reproducible variety. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Jürgen", "Zoë", "Søren", "Ana", "Łukasz", "François", "Chloé", "Hiroshi", "José",
  "Ängla", "Mikko", "Dvořák", "Ïsolde", "Ömer", "Priya", "Björn", "Renée", "Tomás", "Wei", "Greta"];
const LAST = ["Müller", "O'Brien", "Nguyễn", "García", "Østergaard", "Kowalski", "Smith",
  "Åberg", "Rossi", "Dubois", "Yılmaz", "Tanaka", "Novák", "Schröder", "Ivanova", "Lefèvre"];
const WORDS = ["agenda", "budget", "roadmap", "review", "café", "naïve", "déjà vu", "Straße",
  "schedule", "résumé", "quarterly", "notes", "sync", "planning", "Zürich", "retro", "follow-up"];
const STATES = ["NEEDS-ACTION", "ACCEPTED", "TENTATIVE", "DECLINED"];

const encoder = new TextEncoder();

/** Folds one content line at 75 octets (RFC 5545 §3.1) without splitting a character. */
function fold(line) {
  if (encoder.encode(line).length <= 75) return `${line}\r\n`;
  let out = "";
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const n = ch.length === 2 ? 4 : encoder.encode(ch).length;
    if (octets + n > limit) {
      out += "\r\n ";
      octets = 0;
      limit = 74; // the leading space counts
    }
    out += ch;
    octets += n;
  }
  return `${out}\r\n`;
}

/** TEXT escaping (RFC 5545 §3.3.11). */
function escapeText(s) {
  return s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");
}

class Writer {
  constructor(seed) {
    this.rand = prng(seed);
    this.parts = [];
  }
  pick(list) {
    return list[Math.floor(this.rand() * list.length)];
  }
  int(n) {
    return Math.floor(this.rand() * n);
  }
  line(text) {
    this.parts.push(fold(text));
  }
  name() {
    return `${this.pick(FIRST)} ${this.pick(LAST)}`;
  }
  sentence(words) {
    const out = [];
    for (let i = 0; i < words; i++) out.push(this.pick(WORDS));
    return out.join(" ");
  }
  /** A TEXT value with a line break, a comma and a semicolon to escape. */
  text(words) {
    return escapeText(`${this.sentence(words)}, ${this.sentence(3)};\n${this.sentence(words)}`);
  }
  timezone() {
    for (const l of ["BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "X-LIC-LOCATION:Europe/Berlin",
      "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
      "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
      "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
      "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
      "END:VTIMEZONE"]) this.line(l);
  }
  attendee(address, cn, partstat) {
    this.line(`ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=${partstat};RSVP=TRUE;CN="${cn}":${address}`);
  }
  /** Attendees: `others` generated ones with me among them. */
  attendees(others, uniq) {
    const mine = this.int(others + 1);
    for (let i = 0; i < others; i++) {
      if (i === mine) this.attendee(ME, "Wilfredo Müller", "NEEDS-ACTION");
      this.attendee(`mailto:person${uniq}.${i}@example.org`, this.name(), this.pick(STATES));
    }
    if (mine === others) this.attendee(ME, "Wilfredo Müller", "NEEDS-ACTION");
  }
  alarm(minutes) {
    this.line("BEGIN:VALARM");
    this.line("ACTION:DISPLAY");
    this.line(`DESCRIPTION:${escapeText(`Reminder: ${this.sentence(4)}`)}`);
    this.line(`TRIGGER:-PT${minutes}M`);
    this.line("END:VALARM");
  }
  text_out() {
    return this.parts.join("");
  }
}

function stamp(day) {
  const d = new Date(Date.UTC(2026, 0, 5) + day * 86400000);
  return d.toISOString().slice(0, 10).replace(/-/g, "");
}

function calendarStart(w) {
  w.line("BEGIN:VCALENDAR");
  w.line("VERSION:2.0");
  w.line("PRODID:-//caldav-sched//bench workload 1.0//EN");
  w.line("CALSCALE:GREGORIAN");
  w.timezone();
}

/** One VEVENT; `extra` writes lines after UID (RRULE or RECURRENCE-ID). */
function event(w, { uid, day, attendees, words, extra }) {
  w.line("BEGIN:VEVENT");
  w.line(`UID:${uid}`);
  extra?.();
  w.line(`DTSTAMP:${NOW}`);
  w.line(`DTSTART;TZID=Europe/Berlin:${stamp(day)}T100000`);
  w.line(`DTEND;TZID=Europe/Berlin:${stamp(day)}T110000`);
  w.line(`SUMMARY:${escapeText(`${w.sentence(3)}, ${w.name()}`)}`);
  w.line(`DESCRIPTION:${w.text(words)}`);
  w.line(`LOCATION:${escapeText(`Raum ${w.int(400)}; ${w.pick(WORDS)}, Zürich`)}`);
  w.line("SEQUENCE:0");
  w.line(`ORGANIZER;CN="${w.name()}":mailto:organizer@example.org`);
  w.attendees(attendees, uid.length);
  w.alarm(5 + w.int(25));
  w.line("END:VEVENT");
}

/** ~1.5 KB: one invitation with a few attendees. */
export function invitation(seed = 1) {
  const w = new Writer(seed);
  calendarStart(w);
  event(w, { uid: "bench-invitation@example.org", day: 10, attendees: 3, words: 7 });
  w.line("END:VCALENDAR");
  return w.text_out();
}

/** ~67 KB: one meeting with 500 attendees (me among them). */
export function meeting(seed = 2) {
  const w = new Writer(seed);
  calendarStart(w);
  event(w, { uid: "bench-meeting@example.org", day: 10, attendees: 499, words: 30 });
  w.line("END:VCALENDAR");
  return w.text_out();
}

/** ~1.85 MB: a weekly series (master) with 1,000 overriding instances. */
export function series(seed = 3, overrides = 1000) {
  const w = new Writer(seed);
  calendarStart(w);
  const uid = "bench-series@example.org";
  event(w, { uid, day: 0, attendees: 6, words: 23, extra: () => w.line("RRULE:FREQ=WEEKLY;BYDAY=MO") });
  for (let i = 1; i <= overrides; i++) {
    event(w, {
      uid,
      day: i * 7,
      attendees: 6,
      words: 26,
      extra: () => w.line(`RECURRENCE-ID;TZID=Europe/Berlin:${stamp(i * 7)}T100000`),
    });
  }
  w.line("END:VCALENDAR");
  return w.text_out();
}

/** ~9.7 MB: an export of 10,000 independent events (one UID each). */
export function calendarExport(seed = 4, events = 10000) {
  const w = new Writer(seed);
  calendarStart(w);
  for (let i = 0; i < events; i++) {
    event(w, { uid: `bench-export-${i}@example.org`, day: i % 730, attendees: 2, words: 7 });
  }
  w.line("END:VCALENDAR");
  return w.text_out();
}

/** All four workloads by name. */
export const WORKLOADS = {
  invitation,
  meeting,
  series,
  export: calendarExport,
};

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, make] of Object.entries(WORKLOADS)) {
    const text = make();
    const bytes = encoder.encode(text).length;
    console.log(`${name.padEnd(11)} ${(bytes / 1024).toFixed(1).padStart(9)} KB  ${text.split("\r\n").length - 1} lines`);
  }
}
