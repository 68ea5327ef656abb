#!/usr/bin/env node
// Builds the npm package into pkg/:
//   cargo build --release --target wasm32-unknown-unknown
//   -> wasm-bindgen --target web (TypeScript declarations included)
//   -> wasm-opt -Os --converge (passes repeated while they gain; binaryen from tools/node_modules;
//      Debian's binaryen 108 makes a module that fails to load). -Os matches Cargo.toml's
//      opt-level "s": see the measurements there.
//   -> the glue's comments dropped (its docs ship in the .d.ts)
//   -> pkg/package.json from pkg.json (version from Cargo.toml), node.js entry, docs and licences
//   -> size report (raw / gzip / brotli) with a gzip budget, then a load test of the optimised
//      file through the Node entry.
// No dependencies beyond Node's standard library and the tools listed in tools/package.json.

import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkgDir = join(root, "pkg");
const outName = "caldav_sched";
/** Budget for what a browser downloads: the optimised .wasm plus the JS glue, gzip-compressed. */
// The target (issue 6) is 60 KB gzip for wasm + glue; the build is far above it (227.8 KB
// measured with jCal, recurrence, reply, merge and inspect in, at opt-level "s", which costs 12 %
// more than "z" and buys 1.5-2.6x speed; see README "Performance"). The budget is a measurement
// rounded up to the next 10 KB, so growth beyond it fails the build; lower it as size work
// lands. Raised from 240 to 250 KB when an audit's 30 fixes (forwarded REQUEST, RDATE periods,
// bounded jCal nesting, DAV:error order, 207 on DELETE, merge of unknown components, ...) took
// the package from 232.6 to 242.7 KB.
// GZIP_BUDGET_KB overrides it for an experiment.
const GZIP_TARGET = 60 * 1024;
const GZIP_BUDGET = Number(process.env.GZIP_BUDGET_KB || 250) * 1024;
const TARGET = "wasm32-unknown-unknown";

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

function run(cmd, args, { label, ...options } = {}) {
  const shown = label ?? [cmd, ...args].map((a) => (a.includes(" ") ? JSON.stringify(a) : a)).join(" ");
  console.log(`$ ${shown}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...options });
  if (r.error) fail(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} exited with ${r.status ?? r.signal}`);
}

/** The `version` of the `[package]` table in Cargo.toml. */
function cargoVersion() {
  const toml = readFileSync(join(root, "Cargo.toml"), "utf8");
  const pkg = toml.split(/^\[/m).find((t) => t.startsWith("package]"));
  const m = pkg && pkg.match(/^version\s*=\s*"([^"]+)"/m);
  if (!m) fail("no [package] version in Cargo.toml");
  return m[1];
}

/** The exact wasm-bindgen version pinned in Cargo.toml (`wasm-bindgen = "=x.y.z"`). */
function pinnedWasmBindgen() {
  const m = readFileSync(join(root, "Cargo.toml"), "utf8").match(/^wasm-bindgen\s*=\s*"=([^"]+)"/m);
  if (!m) fail('Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = "=x.y.z")');
  return m[1];
}

function targetDir() {
  const meta = execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(meta).target_directory;
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KB`;
}

function sizes(file) {
  const bytes = readFileSync(file);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

// The package's own entries around the wasm-bindgen glue: index.js adds the JS-side helpers
// (src/wasm/js/) to the generated exports; node.js instantiates the wasm synchronously first.
const INDEX_ENTRY = `// Entry of caldav-sched for browsers and bundlers: the wasm exports (call \`await init()\`
// once) plus the JS-side helpers.
export * from "./${outName}.js";
export { default } from "./${outName}.js";
export { saveWithMerge } from "./save-with-merge.js";
`;

const INDEX_TYPES = `export * from "./${outName}.js";
export { default } from "./${outName}.js";
export * from "./save-with-merge.js";
`;

const NODE_ENTRY = `// Node entry of caldav-sched (chosen by the "node" condition of the exports map).
// It compiles the .wasm next to it synchronously, once, so Node users need no init call;
// init() and initSync() stay exported and are no-ops afterwards.
import { readFileSync } from "node:fs";
import { initSync } from "./${outName}.js";

initSync({ module: readFileSync(new URL("./${outName}_bg.wasm", import.meta.url)) });

export * from "./index.js";
export { default } from "./index.js";
`;

/**
 * `source` (an ES module) without comments, printed by TypeScript (dev dependency in tools/). A
 * leading `@ts-self-types` directive (how Deno finds the .d.ts) is kept.
 */
function withoutComments(source) {
  const require = createRequire(import.meta.url);
  const ts = require("typescript");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, removeComments: true },
  });
  const directive = source.match(/^\/\* @ts-self-types="[^"]*" \*\/\n/);
  return (directive ? directive[0] : "") + outputText;
}

function main() {
  const started = Date.now();
  const version = cargoVersion();
  const wbVersion = pinnedWasmBindgen();

  // The CLI must match the crate exactly: its schema check rejects any other version.
  let cli = "";
  try {
    cli = execFileSync("wasm-bindgen", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    fail(`wasm-bindgen CLI not found: run \`make setup\` (cargo install wasm-bindgen-cli --version ${wbVersion})`);
  }
  if (cli !== `wasm-bindgen ${wbVersion}`) {
    fail(`found "${cli}" but Cargo.toml pins ${wbVersion}: run \`make setup\``);
  }
  const wasmOpt = join(root, "tools", "node_modules", ".bin", "wasm-opt");
  if (!existsSync(wasmOpt)) fail("tools/node_modules/.bin/wasm-opt missing: run `make setup` (npm ci in tools/)");

  console.log("== build: cargo (release, wasm32) ==");
  run("cargo", ["build", "--release", "--target", TARGET, "--lib"]);
  const wasmIn = join(targetDir(), TARGET, "release", `${outName}.wasm`);
  if (!existsSync(wasmIn)) fail(`${wasmIn} was not produced`);

  console.log("== build: wasm-bindgen --target web ==");
  rmSync(pkgDir, { recursive: true, force: true });
  mkdirSync(pkgDir, { recursive: true });
  run("wasm-bindgen", ["--target", "web", "--out-dir", pkgDir, "--out-name", outName, wasmIn]);

  // WASM_OPT_LEVEL overrides the optimisation flag (e.g. -Oz, -O3) for size/speed experiments.
  const optLevel = process.env.WASM_OPT_LEVEL || "-Os";
  console.log(`== build: wasm-opt ${optLevel} ==`);
  const wasmOut = join(pkgDir, `${outName}_bg.wasm`);
  const before = statSync(wasmOut).size;
  run(wasmOpt, [optLevel, "--converge", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
    "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
    "--strip-debug", "--strip-producers", "--strip-target-features", wasmOut, "-o", wasmOut]);
  console.log(`wasm-opt: ${kb(before)} -> ${kb(statSync(wasmOut).size)}`);

  // The glue carries every export's doc comment (a third of its bytes); the same docs ship in
  // the .d.ts files, where editors read them. TypeScript's printer drops comments without
  // touching the code: 3.1 KB less gzip on the download.
  console.log("== build: glue without comments ==");
  const gluePath = join(pkgDir, `${outName}.js`);
  const commented = readFileSync(gluePath, "utf8");
  writeFileSync(gluePath, withoutComments(commented));
  console.log(`glue: ${kb(Buffer.byteLength(commented))} -> ${kb(statSync(gluePath).size)}`);

  console.log("== build: package files ==");
  writeFileSync(join(pkgDir, "node.js"), NODE_ENTRY);
  writeFileSync(join(pkgDir, "index.js"), INDEX_ENTRY);
  writeFileSync(join(pkgDir, "index.d.ts"), INDEX_TYPES);
  for (const file of readdirSync(join(root, "src", "wasm", "js"))) {
    copyFileSync(join(root, "src", "wasm", "js", file), join(pkgDir, file));
  }
  const overlay = JSON.parse(readFileSync(join(root, "pkg.json"), "utf8"));
  const manifest = { name: overlay.name, version, ...overlay };
  manifest.version = version;
  writeFileSync(join(pkgDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const doc of ["README.md", "CHANGELOG.md", "LICENSE", "LICENSE-MIT", "LICENSE-APACHE"]) {
    if (!existsSync(join(root, doc))) fail(`${doc} missing at the repository root`);
    copyFileSync(join(root, doc), join(pkgDir, doc));
  }
  // wasm-bindgen may write a .gitignore ("*"), which would make npm skip every file.
  rmSync(join(pkgDir, ".gitignore"), { force: true });
  // The `files` whitelist and the directory must agree exactly: nothing missing, nothing stray.
  const present = readdirSync(pkgDir).filter((f) => f !== "package.json").sort();
  const listed = [...manifest.files].sort();
  const missing = listed.filter((f) => !present.includes(f));
  const stray = present.filter((f) => !listed.includes(f));
  if (missing.length || stray.length) {
    fail(`pkg.json "files" out of date: missing in pkg/ [${missing}], not listed [${stray}]`);
  }

  console.log("== build: sizes ==");
  const glue = join(pkgDir, `${outName}.js`);
  const rows = [
    [relative(root, wasmOut), sizes(wasmOut)],
    [relative(root, glue), sizes(glue)],
  ];
  const total = rows.reduce((t, [, s]) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip, brotli: t.brotli + s.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  rows.push(["total (wasm + glue)", total]);
  for (const [name, s] of rows) {
    console.log(`${name.padEnd(26)} raw ${kb(s.raw).padStart(9)}  gzip ${kb(s.gzip).padStart(9)}  brotli ${kb(s.brotli).padStart(9)}`);
  }
  if (total.gzip > GZIP_BUDGET) fail(`gzip size ${kb(total.gzip)} is over the ${kb(GZIP_BUDGET)} budget`);
  console.log(`within the gzip budget of ${kb(GZIP_BUDGET)}`);
  if (total.gzip > GZIP_TARGET) {
    console.log(`NOTE: ${kb(total.gzip - GZIP_TARGET)} over the ${kb(GZIP_TARGET)} gzip target (issue 6)`);
  }

  console.log("== build: load test of the optimised package ==");
  const probe = `import { version } from ${JSON.stringify(new URL(`file://${join(pkgDir, "node.js")}`).href)};
const v = version();
if (v !== ${JSON.stringify(version)}) { console.error("version() returned " + JSON.stringify(v)); process.exit(1); }
console.log("node: import + version() = " + v);`;
  run(process.execPath, ["--input-type=module", "-e", probe], { label: "node -e 'import { version } from \"./pkg/node.js\"; version()'" });

  console.log(`build: pkg/ ready (caldav-sched ${version}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main();
