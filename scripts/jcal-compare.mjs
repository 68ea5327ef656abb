// Compares our jCal with ical.js's ICAL.parse on every corpus file, and checks that ical.js
// reads the iCalendar we write back from jCal as the same jCal.
// Usage: ICALJS=/path/to/node_modules/ical.js/dist/ical.js node scripts/jcal-compare.mjs dump.jsonl
// where dump.jsonl comes from `cargo run --example jcal_dump -- FILES...`.
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

const ICAL = (await import(process.env.ICALJS ?? "ical.js")).default;
const lines = readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
const counts = { match: 0, mismatch: 0, icaljsThrows: 0, oursFails: 0, reparseDiffers: 0 };
for (const line of lines) {
  const ours = JSON.parse(line);
  let theirs;
  try {
    theirs = JSON.parse(JSON.stringify(ICAL.parse(readFileSync(ours.path, "utf8"))));
  } catch (e) {
    counts.icaljsThrows++;
    console.log(`ICALJS-THROWS\t${ours.path}\t${e.message.slice(0, 100)}`);
    continue;
  }
  if (!ours.jcal || ours.error) {
    counts.oursFails++;
    console.log(`OURS-FAILS\t${ours.path}\t${ours.error}`);
    continue;
  }
  if (isDeepStrictEqual(ours.jcal, theirs)) {
    counts.match++;
  } else {
    counts.mismatch++;
    console.log(`MISMATCH\t${ours.path}\t${firstDifference(ours.jcal, theirs, "")}`);
  }
  // ical.js must read what we write back as the same jCal.
  try {
    const again = JSON.parse(JSON.stringify(ICAL.parse(ours.ical)));
    if (!isDeepStrictEqual(again, ours.jcal)) {
      counts.reparseDiffers++;
      console.log(`REPARSE-DIFFERS\t${ours.path}\t${firstDifference(ours.jcal, again, "")}`);
    }
  } catch (e) {
    counts.reparseDiffers++;
    console.log(`REPARSE-THROWS\t${ours.path}\t${e.message.slice(0, 100)}`);
  }
}
console.log(JSON.stringify(counts));

function firstDifference(a, b, path) {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === "object" && typeof b === "object") {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${path}/${k}`);
      if (d) return d;
    }
  }
  return `${path}: ours ${JSON.stringify(a)?.slice(0, 160)} ical.js ${JSON.stringify(b)?.slice(0, 160)}`;
}
