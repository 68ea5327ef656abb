// The organizer's own edits in the story (invitation, reschedule): plain line edits on the
// iCalendar text, as any client would make them. The scheduling work itself is the library's.

/** iCalendar UTC DATE-TIME, e.g. 20270101T100000Z. */
export function icalUtc(date) {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** A start `days` days from now at 10:00 UTC (servers skip scheduling for past events). */
export function futureStart(days = 30) {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(10, 0, 0, 0);
  return d;
}

/** The organizer's invitation to `attendees` (RFC 6638 B.1 shape), CRLF line ends. */
export function invitation({ uid, start, organizer, attendees, summary }) {
  const end = new Date(start.getTime() + 3_600_000);
  const cn = (u) => u.name[0].toUpperCase() + u.name.slice(1);
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//caldav-sched//demo//EN",
    "BEGIN:VEVENT",
    `UID:${uid}`,
    "SEQUENCE:0",
    `DTSTAMP:${icalUtc(new Date())}`,
    `DTSTART:${icalUtc(start)}`,
    `DTEND:${icalUtc(end)}`,
    "TRANSP:OPAQUE",
    `SUMMARY:${summary}`,
    `ORGANIZER;CN=${cn(organizer)}:${organizer.address}`,
    `ATTENDEE;CN=${cn(organizer)};PARTSTAT=ACCEPTED;ROLE=CHAIR:${organizer.address}`,
    ...attendees.map((a) => `ATTENDEE;CN=${cn(a)};PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:${a.address}`),
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

/** Content lines with folding undone. */
function unfold(text) {
  return text.replace(/\r\n|\r/g, "\n").replace(/\n[ \t]/g, "").split("\n").filter((l) => l !== "");
}

/** Index of the ":" that starts a content line's value (the first one outside quotes). */
function valueColon(line) {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ":" && !quoted) return i;
  }
  return line.length;
}

/** The value of the first property `name`, or undefined. */
export function propertyValue(text, name) {
  const upper = name.toUpperCase();
  const line = unfold(text).find((l) => l.toUpperCase().startsWith(`${upper}:`) || l.toUpperCase().startsWith(`${upper};`));
  return line?.slice(line.indexOf(":") + 1);
}

/**
 * The organizer's reschedule: DTSTART/DTEND moved by `ms`, SEQUENCE + 1, fresh DTSTAMP, and every
 * attendee but the organizer asked again (PARTSTAT=NEEDS-ACTION, RSVP=TRUE; RFC 5546 2.1.4: a new
 * time needs new answers).
 */
export function reschedule(text, ms, organizerAddress) {
  const shift = (v) => {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
    if (!m) throw new Error(`the demo can only move UTC times, not ${v}`);
    return icalUtc(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + ms));
  };
  const lines = unfold(text).map((l) => {
    const u = l.toUpperCase();
    const value = l.slice(l.indexOf(":") + 1);
    if (u.startsWith("DTSTART:") || u.startsWith("DTEND:")) return `${l.slice(0, l.indexOf(":"))}:${shift(value)}`;
    if (u.startsWith("SEQUENCE:")) return `SEQUENCE:${Number(value) + 1}`;
    if (u.startsWith("DTSTAMP:")) return `DTSTAMP:${icalUtc(new Date())}`;
    if (u.startsWith("ATTENDEE") && !u.endsWith(`:${organizerAddress.toUpperCase()}`)) {
      const asked = l.replace(/;PARTSTAT=[^;:]*/i, ";PARTSTAT=NEEDS-ACTION").replace(/;SCHEDULE-STATUS=("[^"]*"|[^;:]*)/i, "");
      const colon = valueColon(asked);
      return /;RSVP=/i.test(asked) ? asked : `${asked.slice(0, colon)};RSVP=TRUE${asked.slice(colon)}`;
    }
    return l;
  });
  return `${lines.join("\r\n")}\r\n`;
}

/** A readable UTC time for an iCalendar UTC DATE-TIME ("2027-01-02 11:00 UTC"). */
export function readableUtc(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})\d{2}Z$/.exec(value ?? "");
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]} UTC` : (value ?? "?");
}
