// Shared helpers for the JS tests (node:test). They test the built package in pkg/ (run
// `make build` first; `make test` does).

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const pkgDir = join(root, "pkg");
export const toolsBin = join(root, "tools", "node_modules", ".bin");

/** The `[package]` version of Cargo.toml: the npm version must equal it. */
export function cargoVersion() {
  const toml = readFileSync(join(root, "Cargo.toml"), "utf8");
  const pkg = toml.split(/^\[/m).find((t) => t.startsWith("package]"));
  const m = pkg?.match(/^version\s*=\s*"([^"]+)"/m);
  if (!m) throw new Error("no [package] version in Cargo.toml");
  return m[1];
}

/** Fails early with a clear message when pkg/ was not built. */
export function requireBuiltPackage() {
  if (!existsSync(join(pkgDir, "package.json"))) {
    throw new Error("pkg/ is not built: run `make build` (or `make test`)");
  }
  return JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
}

/** The built package's Node entry (pkg/node.js), once pkg/ is checked to be built. */
export async function importPackage() {
  requireBuiltPackage();
  return import(join(pkgDir, "node.js"));
}

/** A file of tests/fixtures/ as text. */
export function fixture(path) {
  return readFileSync(join(root, "tests", "fixtures", path), "utf8");
}

/** Runs a command, returning stdout; throws with stderr on failure. */
export function sh(cmd, args, options = {}) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${e.status}):\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/** Flags for a headless Chromium that never talks to the network on its own. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-dev-shm-usage",
];

/** Imports a dev tool installed in tools/node_modules (the tests have no package.json of their own). */
export async function importTool(name) {
  const require = createRequire(join(root, "tools", "package.json"));
  const mod = await import(pathToFileURL(require.resolve(name)).href);
  return mod.default ?? mod;
}
