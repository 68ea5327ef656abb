#!/usr/bin/env node
// Where the wasm bytes go: reads cargo's release module (before wasm-bindgen and wasm-opt; it
// still has its `name` section) and prints code size by crate and the largest functions.
// `node tools/size-report.mjs [path.wasm] [count]` (default: the release build of this crate).
// Sizes are of unoptimised function bodies: use them to compare, not as download sizes
// (`make build` prints those).

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function defaultModule() {
  const meta = JSON.parse(execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: root, encoding: "utf8" }));
  return join(meta.target_directory, "wasm32-unknown-unknown", "release", "caldav_sched.wasm");
}

/** Function body sizes and names (from the `name` custom section) of a wasm module. */
function functions(buf) {
  let p = 8;
  const uleb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = buf[p++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const skipName = () => { const n = uleb(); p += n; };
  const skipLimits = () => { const flags = buf[p++]; uleb(); if (flags & 1) uleb(); };
  let importedFunctions = 0;
  const sizes = [];
  const names = new Map();
  while (p < buf.length) {
    const id = buf[p++];
    const length = uleb();
    const end = p + length;
    if (id === 2) {
      for (let n = uleb(); n > 0; n--) {
        skipName();
        skipName();
        const kind = buf[p++];
        if (kind === 0) { uleb(); importedFunctions++; }
        else if (kind === 1) { p++; skipLimits(); }
        else if (kind === 2) skipLimits();
        else if (kind === 3) p += 2;
        else if (kind === 4) { p++; uleb(); }
      }
    } else if (id === 10) {
      for (let n = uleb(); n > 0; n--) { const size = uleb(); sizes.push(size); p += size; }
    } else if (id === 0) {
      const nameLength = uleb();
      const section = buf.toString("utf8", p, p + nameLength);
      p += nameLength;
      if (section === "name") {
        while (p < end) {
          const sub = buf[p++];
          const subLength = uleb();
          const subEnd = p + subLength;
          if (sub === 1) {
            for (let n = uleb(); n > 0; n--) {
              const index = uleb();
              const len = uleb();
              names.set(index, buf.toString("utf8", p, p + len));
              p += len;
            }
          }
          p = subEnd;
        }
      }
    }
    p = end;
  }
  return sizes.map((size, i) => ({ size, name: names.get(i + importedFunctions) ?? `func${i + importedFunctions}` }));
}

/** Length-prefixed identifiers (`4core3num`) of a mangled Rust symbol, hashes left out. */
function identifiers(body) {
  const idents = [];
  const re = /(\d+)([A-Za-z_][A-Za-z0-9_$.]*)/g;
  let m;
  while ((m = re.exec(body))) {
    const len = Number(m[1]);
    const ident = m[2].slice(0, len);
    re.lastIndex = m.index + m[1].length + len;
    if (!/^h[0-9a-f]{16}$/.test(ident)) idents.push(ident);
  }
  return idents;
}

/** A readable form of a symbol: legacy `_ZN...E` as a path; v0 `_R...` with crate hashes dropped. */
function readable(symbol) {
  if (symbol.startsWith("_ZN")) {
    return identifiers(symbol.slice(3)).join("::").replace(/\$LT\$/g, "<").replace(/\$GT\$/g, ">").replace(/\$u20\$/g, " ").replace(/\$C\$/g, ",");
  }
  if (symbol.startsWith("_R")) return symbol.replace(/Cs[0-9A-Za-z]*_/g, "·");
  return symbol;
}

function crateOf(symbol) {
  if (symbol.startsWith("_ZN")) return identifiers(symbol.slice(3))[0]?.replace(/^_+|\$.*$/g, "") || "(other)";
  if (symbol.startsWith("_R")) {
    const m = symbol.match(/Cs[0-9A-Za-z]*_(\d+)([A-Za-z_][A-Za-z0-9_]*)/);
    return m ? m[2].slice(0, Number(m[1])) : "(other)";
  }
  return symbol.startsWith("__wbg") || symbol.startsWith("__wbindgen") ? "(wasm-bindgen glue)" : "(other)";
}

const file = process.argv[2] || defaultModule();
const count = Number(process.argv[3] ?? 25);
const list = functions(readFileSync(file));
const total = list.reduce((t, f) => t + f.size, 0);
console.log(`${file}: ${list.length} functions, ${(total / 1024).toFixed(1)} KB of code (before wasm-opt)`);
const byCrate = new Map();
for (const f of list) byCrate.set(crateOf(f.name), (byCrate.get(crateOf(f.name)) ?? 0) + f.size);
console.log("\nby crate:");
for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${crate}`);
}
console.log(`\nlargest ${count} functions:`);
for (const f of [...list].sort((a, b) => b.size - a.size).slice(0, count)) {
  console.log(`${String(f.size).padStart(8)}  ${readable(f.name).slice(0, 110)}`);
}
