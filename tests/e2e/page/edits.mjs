// edits.mjs - the organizer's own edits in the test page: what a calendar app's editor does
// to its copy before it PUTs (set a property, move the event or one instance). Plain,
// line-based and deliberately simple: the library under test is what reconciles them.

/** Content lines with folding undone. */
export function unfold(text) {
  return text.replace(/\r\n/g, "\n").replace(/\n[ \t]/g, "").split("\n").filter((l) => l !== "");
}

/** iCalendar text (CRLF) from content lines. */
export function join(lines) {
  return lines.join("\r\n") + "\r\n";
}

const nameOf = (line) => line.split(/[;:]/, 1)[0].toUpperCase();
const valueOf = (line) => line.slice(line.indexOf(":") + 1);

/** [begin, end] line indexes of every VEVENT (END line included). */
function events(lines) {
  const spans = [];
  let start = -1;
  lines.forEach((l, i) => {
    if (l.toUpperCase() === "BEGIN:VEVENT") start = i;
    if (l.toUpperCase() === "END:VEVENT" && start >= 0) spans.push([start, i]), (start = -1);
  });
  return spans;
}

/** Indexes of the VEVENT's own property lines (not those of a nested VALARM). */
function ownLines(lines, [begin, end]) {
  const own = [];
  let depth = 0;
  for (let i = begin + 1; i < end; i++) {
    const u = lines[i].toUpperCase();
    if (u.startsWith("BEGIN:")) depth++;
    if (depth === 0) own.push(i);
    if (u.startsWith("END:")) depth--;
  }
  return own;
}

/** The VEVENT with this RECURRENCE-ID value, or the master (no RECURRENCE-ID) when id is absent. */
function findEvent(lines, recurrenceId) {
  return events(lines).find((span) => {
    const rid = ownLines(lines, span).find((i) => nameOf(lines[i]) === "RECURRENCE-ID");
    return recurrenceId === undefined ? rid === undefined : rid !== undefined && valueOf(lines[rid]) === recurrenceId;
  });
}

function shiftUtc(value, minutes) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new Error(`edits: cannot shift ${value} (UTC date-times only)`);
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + minutes * 60000);
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function bumpSequence(lines, span) {
  const i = ownLines(lines, span).find((j) => nameOf(lines[j]) === "SEQUENCE");
  if (i === undefined) lines.splice(span[1], 0, "SEQUENCE:1");
  else lines[i] = `SEQUENCE:${Number(valueOf(lines[i])) + 1}`;
}

/** The value of the first property `name` of the master VEVENT (text escapes left as they are). */
export function value(text, name) {
  const lines = unfold(text);
  const span = findEvent(lines, undefined);
  const i = span && ownLines(lines, span).find((j) => nameOf(lines[j]) === name.toUpperCase());
  return i === undefined ? undefined : valueOf(lines[i]);
}

/**
 * Drops every repeat of property `name` inside one component (RFC 5545 allows TRANSP once);
 * returns `text` itself, untouched, when there is none.
 */
export function dropDuplicate(text, name) {
  const lines = text.split(/(?<=\n)/);
  const upper = name.toUpperCase();
  const seen = [];
  let changed = false;
  let depth = 0;
  let dropping = false;
  const out = lines.filter((l) => {
    if (dropping && (l.startsWith(" ") || l.startsWith("\t"))) return false; // its folded rest
    dropping = false;
    const u = l.toUpperCase();
    if (u.startsWith("BEGIN:")) seen[++depth] = false;
    else if (u.startsWith("END:")) depth--;
    else if (u.startsWith(`${upper}:`) || u.startsWith(`${upper};`)) {
      if (seen[depth]) return !(changed = dropping = true);
      seen[depth] = true;
    }
    return true;
  });
  return changed ? out.join("") : text;
}

/** Sets `name` to `value` in the master VEVENT (replacing the first one, or adding it). */
export function setProperty(text, name, value) {
  const lines = unfold(text);
  const span = findEvent(lines, undefined);
  if (!span) throw new Error("edits: no master VEVENT");
  const i = ownLines(lines, span).find((j) => nameOf(lines[j]) === name.toUpperCase());
  if (i === undefined) lines.splice(span[1], 0, `${name}:${value}`);
  else lines[i] = `${name}:${value}`;
  return join(lines);
}

/**
 * Moves the master (or the instance `recurrenceId`, creating its overriding VEVENT from the
 * master when there is none yet) by `minutes`, and bumps its SEQUENCE.
 */
export function move(text, minutes, recurrenceId) {
  const lines = unfold(text);
  let span = findEvent(lines, recurrenceId);
  if (!span && recurrenceId !== undefined) {
    const master = findEvent(lines, undefined);
    if (!master) throw new Error("edits: no master VEVENT to derive an instance from");
    const copy = lines.slice(master[0], master[1] + 1).filter((l) => !/^(RRULE|RDATE|EXDATE)[;:]/i.test(l));
    const length = (() => {
      const s = copy.find((l) => nameOf(l) === "DTSTART");
      const e = copy.find((l) => nameOf(l) === "DTEND");
      return (Date.parse(isoOf(valueOf(e))) - Date.parse(isoOf(valueOf(s)))) / 60000;
    })();
    const out = copy.map((l) => {
      if (nameOf(l) === "DTSTART") return `DTSTART:${recurrenceId}`;
      if (nameOf(l) === "DTEND") return `DTEND:${shiftUtc(recurrenceId, length)}`;
      return l;
    });
    out.splice(1, 0, `RECURRENCE-ID:${recurrenceId}`);
    lines.splice(master[1] + 1, 0, ...out);
    span = findEvent(lines, recurrenceId);
  }
  if (!span) throw new Error(`edits: no VEVENT ${recurrenceId ?? "master"}`);
  for (const i of ownLines(lines, span)) {
    if (nameOf(lines[i]) === "DTSTART" || nameOf(lines[i]) === "DTEND") {
      lines[i] = `${lines[i].slice(0, lines[i].indexOf(":"))}:${shiftUtc(valueOf(lines[i]), minutes)}`;
    }
  }
  bumpSequence(lines, span);
  return join(lines);
}

function isoOf(v) {
  return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}T${v.slice(9, 11)}:${v.slice(11, 13)}:${v.slice(13, 15)}Z`;
}
