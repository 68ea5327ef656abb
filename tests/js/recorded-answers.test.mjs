// Every answer recorded from the real servers (tests/fixtures/server-answers/*.json, written by
// tests/servers/record-answers.mjs against Cyrus, stock Cyrus, Xandikos and Radicale) goes
// through the packed package's classifyResponse exactly as an app would pass it: the recorded
// header pairs, body and the precondition headers that were sent. The outcome and DAV:error
// condition must be the ones listed in expected-outcomes.tsv.

import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pkgDir, requireBuiltPackage, root } from "./helpers.mjs";

const dir = join(root, "tests", "fixtures", "server-answers");

function expectations() {
  const rows = readFileSync(join(dir, "expected-outcomes.tsv"), "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => l.split("\t"));
  return new Map(rows.map(([server, name, outcome, condition]) => [`${server}/${name}`, { outcome, condition }]));
}

test("recorded real-server answers classify as expected", async () => {
  requireBuiltPackage();
  const { classifyResponse } = await import(join(pkgDir, "node.js"));
  const expected = expectations();
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  let checked = 0;
  for (const file of files) {
    const r = JSON.parse(readFileSync(join(dir, file), "utf8"));
    if (r.request.method === "OPTIONS") continue; // discovery, not a write or fetch
    const want = expected.get(`${r.server}/${r.case}`);
    assert.ok(want, `${file}: no expected outcome listed`);
    const verdict = classifyResponse({
      method: r.request.method,
      status: r.response.status,
      headers: new Headers(r.response.headers.filter(([name]) => name.toLowerCase() !== "set-cookie")),
      body: r.response.body,
      sent: r.request.preconditionHeaders,
      attempt: 1,
    });
    assert.equal(verdict.outcome, want.outcome, `${file}: ${verdict.message}`);
    assert.equal(verdict.condition ?? "", want.condition ?? "", `${file}: condition`);
    if (verdict.outcome === "ok" || verdict.outcome === "refetch") {
      // A Schedule-Tag that came back is always kept, byte for byte.
      const tag = r.response.headers.find(([n]) => n.toLowerCase() === "schedule-tag");
      if (tag) assert.equal(verdict.scheduleTag, tag[1], `${file}: schedule tag kept`);
    }
    checked += 1;
  }
  assert.equal(checked, expected.size, "every listed case was recorded and checked");
  assert.ok(checked >= 60, `only ${checked} recordings`);
});
