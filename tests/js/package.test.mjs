// The package as a user gets it: `npm pack` of pkg/, installed from the tarball into a scratch
// project under a temp dir, imported from Node ESM with no init call, type-checked with tsc.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cargoVersion, importTool, requireBuiltPackage, root, sh, toolsBin, pkgDir } from "./helpers.mjs";

let scratch;
let packed; // npm pack --json entry: { filename, files: [{ path }] }
let manifest;

before(() => {
  manifest = requireBuiltPackage();
  scratch = mkdtempSync(join(tmpdir(), "caldav-sched-pack-"));
  const out = sh("npm", ["pack", pkgDir, "--json", "--pack-destination", scratch], { cwd: scratch });
  [packed] = JSON.parse(out);
  mkdirSync(join(scratch, "app"));
  writeFileSync(join(scratch, "app", "package.json"), JSON.stringify({ name: "scratch-app", private: true, type: "module" }));
  sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(scratch, packed.filename)], { cwd: join(scratch, "app") });
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Runs an ES module inside the scratch app (so "caldav-sched" resolves to the installed tarball). */
function runInApp(name, source) {
  const file = join(scratch, "app", name);
  writeFileSync(file, source);
  return JSON.parse(sh(process.execPath, [file], { cwd: join(scratch, "app") }));
}

describe("npm package", () => {
  test("the version is Cargo.toml's", () => {
    assert.equal(manifest.name, "caldav-sched");
    assert.equal(manifest.version, cargoVersion());
    assert.equal(packed.version, cargoVersion());
  });

  test("the tarball holds exactly the files list plus package.json", () => {
    const inTarball = packed.files.map((f) => f.path).sort();
    assert.deepEqual(inTarball, [...manifest.files, "package.json"].sort());
  });

  test("exports: types first, a node entry, the web glue by default, package.json exported", () => {
    const dot = manifest.exports["."];
    assert.equal(Object.keys(dot)[0], "types");
    assert.equal(dot.node, "./node.js");
    assert.equal(dot.default, "./index.js");
    assert.equal(manifest.exports["./package.json"], "./package.json");
    assert.equal(manifest.type, "module");
    assert.equal(manifest.license, "MIT OR Apache-2.0");
    assert.match(manifest.engines.node, />=\s*18/);
    const installed = join(scratch, "app", "node_modules", "caldav-sched");
    for (const target of [dot.types, dot.node, dot.default, manifest.exports["./caldav_sched_bg.wasm"]]) {
      assert.ok(existsSync(join(installed, target)), `${target} is not in the installed package`);
    }
    // The entry's types re-export the generated ones and the JS-side helpers.
    const types = readFileSync(join(installed, dot.types), "utf8");
    assert.match(types, /export \* from "\.\/caldav_sched\.js";/);
    assert.match(types, /export \* from "\.\/save-with-merge\.js";/);
    assert.match(readFileSync(join(installed, "caldav_sched.d.ts"), "utf8"), /export function version\(\): string;/);
  });

  test("Node ESM imports it with no init call and version() answers", () => {
    const r = runInApp("import.mjs", `
      import { version } from "caldav-sched";
      import pkg from "caldav-sched/package.json" with { type: "json" };
      console.log(JSON.stringify({ version: version(), pkg: pkg.version }));
    `);
    assert.equal(r.version, cargoVersion());
    assert.equal(r.pkg, cargoVersion());
  });

  test("init() and initSync() stay callable in Node and change nothing", () => {
    const r = runInApp("init.mjs", `
      import init, { initSync, version } from "caldav-sched";
      const exports1 = await init();
      const exports2 = initSync({ module: new Uint8Array(0) }); // already initialised: ignored
      console.log(JSON.stringify({ same: exports1 === exports2, hasMemory: exports1.memory instanceof WebAssembly.Memory, version: version() }));
    `);
    assert.deepEqual(r, { same: true, hasMemory: true, version: cargoVersion() });
  });

  test("a thrown error is a real SyntaxError with code and line, and the module keeps working", () => {
    const r = runInApp("errors.mjs", `
      import { roundTrip } from "caldav-sched";
      const out = {};
      try { roundTrip({ data: "BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\n" }); out.threw = false; }
      catch (e) {
        Object.assign(out, { threw: true, isError: e instanceof Error, isSyntax: e instanceof SyntaxError,
          name: e.name, code: e.code, line: e.line, hasStack: typeof e.stack === "string" });
      }
      try { roundTrip({ data: 42 }); } catch (e) { out.typeError = e instanceof TypeError && e.code === "INVALID_OPTION"; }
      const ics = "BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nPRODID:-//x//y//EN\\r\\nEND:VCALENDAR\\r\\n";
      out.after = roundTrip({ data: ics }) === ics;
      console.log(JSON.stringify(out));
    `);
    assert.deepEqual(r, {
      threw: true, isError: true, isSyntax: true, name: "SyntaxError", code: "PARSE", line: 1,
      hasStack: true, typeError: true, after: true,
    });
  });

  // Node (nodenext) and bundler resolution both reach the .d.ts through the "types" condition.
  for (const [module, moduleResolution] of [["nodenext", "nodenext"], ["esnext", "bundler"]]) {
    test(`tsc --noEmit --strict (${moduleResolution}) accepts a consumer and rejects misuse`, () => {
      const app = join(scratch, "app");
      copyFileSync(join(root, "tests", "js", "consumer.ts"), join(app, "consumer.ts"));
      const config = `tsconfig.${moduleResolution}.json`;
      writeFileSync(join(app, config), JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, target: "es2022", module, moduleResolution,
          lib: ["es2022", "dom"], types: [], skipLibCheck: false,
        },
        files: ["consumer.ts"],
      }));
      // Throws with tsc's diagnostics if the package's .d.ts does not type-check for a consumer.
      sh(process.execPath, [join(toolsBin, "..", "typescript", "bin", "tsc"), "-p", config], { cwd: app });
    });
  }

  test("publint finds nothing in the packed tarball, not even a suggestion", async () => {
    const { publint } = await importTool("publint");
    const bytes = readFileSync(join(scratch, packed.filename));
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const { messages } = await publint({ pkgDir: "package", pack: { tarball }, level: "suggestion", strict: true });
    assert.deepEqual(messages.map((m) => `${m.type} ${m.code} at ${m.path.join(".")}`), []);
  });

  // @arethetypeswrong/cli, profile esm-only: the package is ESM only by design, so a CommonJS
  // require() of it is not a supported way in. ./caldav_sched_bg.wasm is an asset export (for
  // init({ module_or_path }) and bundlers that copy it), not a module with types: excluded.
  test("are-the-types-wrong passes for every ESM resolution (node16, bundler)", () => {
    const out = sh(process.execPath, [
      join(toolsBin, "..", "@arethetypeswrong", "cli", "dist", "index.js"),
      join(scratch, packed.filename),
      "--profile", "esm-only",
      "--exclude-entrypoints", "./caldav_sched_bg.wasm",
      "--format", "json",
    ]);
    const report = JSON.parse(out);
    const resolutions = Object.values(report.analysis.entrypoints).flatMap((e) => Object.keys(e.resolutions));
    assert.ok(resolutions.includes("node16-esm") && resolutions.includes("bundler"), "attw resolved nothing");
    const esmProblems = Object.values(report.problems).flat().filter((p) => p.resolutionKind !== "node16-cjs" && p.resolutionKind !== "node10");
    assert.deepEqual(esmProblems, []);
  });

  test("the ErrorCode union in the .d.ts is exactly the codes of src/error.rs", () => {
    const rust = readFileSync(join(root, "src", "error.rs"), "utf8");
    const fromRust = [...rust.matchAll(/ErrorCode::\w+ => "([A-Z_]+)"/g)].map((m) => m[1]).sort();
    const dts = readFileSync(join(pkgDir, "caldav_sched.d.ts"), "utf8");
    const union = dts.match(/export type ErrorCode =([^;]+);/);
    assert.ok(union, "no ErrorCode union in the .d.ts");
    const fromTs = [...union[1].matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]).sort();
    assert.ok(fromRust.length >= 10, `found only ${fromRust.length} codes in src/error.rs`);
    assert.deepEqual(fromTs, fromRust);
  });
});
