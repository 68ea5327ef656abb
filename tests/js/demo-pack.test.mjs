// The demo as its own npm package: `npm pack` of www/ holds the bin, the server and the page and
// nothing else; and the publishing recipe of www/README.md (pin the library to its released
// version, pack both) gives tarballs that install into an empty project, where
// `caldav-sched-demo` serves the page with the installed library.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { cargoVersion, pkgDir, requireBuiltPackage, root, sh } from "./helpers.mjs";

const www = join(root, "www");
const manifest = JSON.parse(readFileSync(join(www, "package.json"), "utf8"));

let scratch;

before(() => {
  requireBuiltPackage();
  scratch = mkdtempSync(join(tmpdir(), "caldav-sched-demo-pack-"));
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("npm pack of www/ (caldav-sched-demo)", () => {
  test("the manifest: name, the library's version, a bin, the library by relative path", () => {
    assert.equal(manifest.name, "caldav-sched-demo");
    assert.equal(manifest.version, cargoVersion());
    assert.deepEqual(manifest.bin, { "caldav-sched-demo": "./bin/caldav-sched-demo.mjs" });
    assert.equal(manifest.dependencies["caldav-sched"], "file:../pkg");
    assert.deepEqual(Object.keys(manifest.dependencies), ["caldav-sched"], "Node built-ins only besides the library");
    assert.match(readFileSync(join(www, manifest.bin["caldav-sched-demo"]), "utf8"), /^#!\/usr\/bin\/env node\n/);
  });

  test("the tarball holds the bin, the server, the page and the README, nothing else", () => {
    const [packed] = JSON.parse(sh("npm", ["pack", "--dry-run", "--json", www], { cwd: scratch }));
    const files = packed.files.map((f) => f.path).sort();
    assert.ok(files.includes("bin/caldav-sched-demo.mjs"));
    assert.ok(files.includes("server/proxy.mjs"));
    assert.ok(files.includes("public/index.html"));
    assert.ok(files.includes("README.md"));
    for (const f of files) assert.match(f, /^(bin|server|public)\/|^(README\.md|package\.json)$/, f);
  });

  test("published recipe: pinned tarballs install offline and the bin serves page + library", async () => {
    const version = cargoVersion();
    // the recipe of www/README.md, on a copy so the checkout keeps its file: dependency
    const copy = join(scratch, "www");
    cpSync(www, copy, { recursive: true, filter: (src) => !src.includes("node_modules") });
    sh("npm", ["pkg", "set", `version=${version}`, `dependencies.caldav-sched=${version}`], { cwd: copy });
    const [lib] = JSON.parse(sh("npm", ["pack", pkgDir, "--json", "--pack-destination", scratch], { cwd: scratch }));
    const [demo] = JSON.parse(sh("npm", ["pack", copy, "--json", "--pack-destination", scratch], { cwd: scratch }));
    assert.equal(demo.name, "caldav-sched-demo");
    const app = join(scratch, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "demo-user", private: true }));
    sh("npm", ["install", "--no-audit", "--no-fund", "--offline", join(scratch, lib.filename), join(scratch, demo.filename)], { cwd: app });
    const installed = JSON.parse(readFileSync(join(app, "node_modules", "caldav-sched-demo", "package.json"), "utf8"));
    assert.equal(installed.dependencies["caldav-sched"], version);
    const bin = join(app, "node_modules", ".bin", "caldav-sched-demo");
    assert.ok(statSync(bin).mode & 0o111, "the bin is executable");

    const child = spawn(bin, ["--port", "0", "--quiet"], { cwd: app, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      child.stdout.setEncoding("utf8");
      const url = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
        child.stdout.on("data", (c) => {
          out += c;
          const m = /caldav-sched demo: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const page = await (await fetch(url)).text();
      assert.match(page, /<script type="importmap">/);
      const wasm = Buffer.from(await (await fetch(`${url}pkg/caldav_sched_bg.wasm`)).arrayBuffer());
      assert.ok(wasm.equals(readFileSync(join(pkgDir, "caldav_sched_bg.wasm"))), "the installed library's wasm is served");
      assert.deepEqual((await (await fetch(`${url}config.json`)).json()).caldav, null);
    } finally {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    }
  });
});
