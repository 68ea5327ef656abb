// The real-world corpus (../shared/corpus; CI has it, a fresh clone skips with a notice) through
// the built package in Node: every file round-trips byte-identical as a Uint8Array and, when it
// is valid UTF-8, as a JS string too; a file expected to fail throws a real Error with the code
// listed in tests/fixtures/corpus-expected-errors.tsv (the same list the native test uses).

import assert from "node:assert/strict";
import { test } from "node:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pkgDir, requireBuiltPackage, root } from "./helpers.mjs";

// Next to the repository, or next to the worktree folder holding it.
const corpus =
  [join(root, "..", "shared", "corpus"), join(root, "..", "..", "shared", "corpus")].find((d) =>
    existsSync(join(d, "manifest.tsv")),
  ) ?? join(root, "..", "shared", "corpus");
const present = existsSync(join(corpus, "manifest.tsv"));

function expectedErrors() {
  const text = readFileSync(join(root, "tests", "fixtures", "corpus-expected-errors.tsv"), "utf8");
  return new Map(
    text.split("\n").filter((l) => l.trim() && !l.startsWith("#")).map((l) => l.split("\t").map((f) => f.trim())),
  );
}

test("corpus round-trips through the package as bytes and as text", { skip: !present && "../shared/corpus not found (CI has it)" }, async () => {
  requireBuiltPackage();
  const { roundTrip } = await import(join(pkgDir, "node.js"));
  const expected = expectedErrors();
  const [header, ...rows] = readFileSync(join(corpus, "manifest.tsv"), "utf8").split("\n").filter(Boolean);
  const pathColumn = header.split("\t").indexOf("path");
  const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const problems = [];
  let identical = 0;
  let text = 0;
  let failed = 0;
  for (const row of rows) {
    const path = row.split("\t")[pathColumn];
    const bytes = new Uint8Array(readFileSync(join(corpus, path)));
    let out;
    try {
      out = roundTrip({ data: bytes });
    } catch (e) {
      failed += 1;
      if (!(e instanceof Error)) problems.push(`${path}: threw a non-Error ${e}`);
      else if (expected.get(path) !== e.code) problems.push(`${path}: unexpected ${e.name} ${e.code}: ${e.message}`);
      continue;
    }
    if (expected.has(path)) problems.push(`${path}: expected ${expected.get(path)} but it parsed`);
    if (!(out instanceof Uint8Array) || Buffer.compare(Buffer.from(out), Buffer.from(bytes)) !== 0) {
      problems.push(`${path}: bytes did not come back identical`);
      continue;
    }
    identical += 1;
    let asText;
    try {
      asText = strict.decode(bytes);
    } catch {
      continue; // not UTF-8: only the byte form applies
    }
    if (roundTrip({ data: asText }) !== asText) problems.push(`${path}: text did not come back identical`);
    else text += 1;
  }
  console.log(`corpus via the package: ${identical} identical (${text} also as text), ${failed} failed as expected, of ${rows.length}`);
  assert.ok(rows.length > 300, `manifest lists only ${rows.length} files`);
  assert.deepEqual(problems, []);
});
