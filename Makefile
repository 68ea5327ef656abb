# caldav-sched: build, test and demo. Works on a fresh Debian machine as root: `make setup`
# installs only what is missing and skips what is present.
#
#   make demo    build pkg/, start a local Xandikos, serve the demo (www/) with its CalDAV proxy
#   make test    setup, lint, native tests, wasm tests (Chromium + Node), package tests
#   make build   pkg/ (release wasm -> wasm-bindgen -> wasm-opt -Os), sizes, load test
#   make lint    rustfmt check, clippy natively and for wasm32
#   make size    code size by crate and the largest functions (to keep within the budget)
#   make bench   speed, size and memory against ical.js (issue 6 targets; not part of make test)
#   make fuzz    every cargo-fuzz target for FUZZ_SECONDS (default 300) each, executions per target
#   make clean   remove pkg/, tools/node_modules/ and cargo's target dir

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

# cargo install puts wasm-bindgen here; rustup's cargo lives here on a fresh machine too.
export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

WASM_TARGET := wasm32-unknown-unknown
# The CLI must equal the crate version pinned in Cargo.toml (its schema check rejects others).
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' Cargo.toml)
CHROMIUM := /usr/bin/chromium
CHROMEDRIVER := /usr/bin/chromedriver
TOOLS_STAMP := tools/node_modules/.package-lock.json

# Seconds since make started, for the closing line of `make test`.
STARTED := $(shell date +%s)

section = @printf '\n==== %s ====\n' "$(1)"

.PHONY: setup setup-rust setup-wasm-bindgen setup-chromium setup-npm build lint \
        test test-native test-wasm-browser test-wasm-node test-js size demo clean setup-ocr

## setup: everything the other targets need, each step skipped when already present.
setup: setup-rust setup-wasm-bindgen setup-chromium setup-npm

setup-rust:
	$(call section,setup: rust target $(WASM_TARGET))
	@if rustup target list --installed | grep -qx '$(WASM_TARGET)'; then \
	  echo "present: $(WASM_TARGET)"; \
	else rustup target add $(WASM_TARGET); fi

setup-wasm-bindgen:
	$(call section,setup: wasm-bindgen-cli $(WASM_BINDGEN_VERSION))
	@test -n '$(WASM_BINDGEN_VERSION)' || { echo 'Cargo.toml must pin wasm-bindgen = "=x.y.z"'; exit 1; }
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" = 'wasm-bindgen $(WASM_BINDGEN_VERSION)' ] \
	   && command -v wasm-bindgen-test-runner >/dev/null; then \
	  echo "present: $$(wasm-bindgen --version)"; \
	else \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (takes 4-5 minutes on 2 cores)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi
# No --locked: a dependency locked by wasm-bindgen-cli is missing from the registry mirror here.

setup-chromium:
	$(call section,setup: chromium + chromedriver)
	@if [ -x $(CHROMIUM) ] && [ -x $(CHROMEDRIVER) ]; then \
	  echo "present: $$($(CHROMIUM) --version 2>/dev/null | head -n1)"; \
	else \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	fi

setup-npm: $(TOOLS_STAMP)
	@echo "tools/node_modules is up to date with tools/package-lock.json"
$(TOOLS_STAMP): tools/package.json tools/package-lock.json
	$(call section,setup: npm ci (tools/))
	npm ci --prefix tools --no-audit --no-fund
	@touch $@

## build: the npm package in pkg/.
build: setup-rust setup-wasm-bindgen setup-npm
	$(call section,build: pkg/)
	node tools/build.mjs

## lint: formatting and clippy, natively and for wasm32 (the boundary and its tests).
lint: setup-rust
	$(call section,lint: cargo fmt --check)
	cargo fmt --check
	$(call section,lint: cargo clippy (native, all targets))
	cargo clippy --all-targets -- -D warnings
	$(call section,lint: cargo clippy (wasm32: library + tests/web.rs))
	cargo clippy --target $(WASM_TARGET) --lib --test web -- -D warnings

## test: the whole suite, as CI runs it.
test: setup setup-ocr lint test-native build test-wasm-browser test-wasm-node test-js e2e \
      bench-smoke fuzz-smoke
	$(call section,make test: all passed in $$(( $$(date +%s) - $(STARTED) )) s)

test-native:
	$(call section,test: native (cargo test))
	cargo test

# One wasm test binary (tests/web.rs), run in headless Chromium and in Node.
test-wasm-browser: setup-rust setup-wasm-bindgen setup-chromium
	$(call section,test: wasm in headless Chromium (wasm-bindgen-test))
	WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=$(CHROMEDRIVER) WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(CURDIR)/webdriver.json \
	  cargo test --target $(WASM_TARGET) --test web

test-wasm-node: setup-rust setup-wasm-bindgen
	$(call section,test: wasm in Node (wasm-bindgen-test))
	WASM_BINDGEN_USE_NODE_EXPERIMENTAL=1 cargo test --target $(WASM_TARGET) --test web

# The built package: npm pack + install + import, TypeScript, the demo page in Chromium.
test-js: build setup-chromium setup-ocr
	$(call section,test: JS package tests (node --test tests/js))
	node --test --test-concurrency=1 tests/js/*.test.mjs

## size: where the wasm bytes go (code size by crate, largest functions), after a build.
size: build
	$(call section,size: code by crate and largest functions)
	node tools/size-report.mjs

## demo: build the library, install it into the demo package (www/, by relative path), start a
## local Xandikos (tests/servers/xandikos.sh: users cyrus, wilfredo, bernard) and serve the demo
## page + its same-origin proxy on 127.0.0.1 (PORT=8080 by default). Ctrl+C stops the demo and
## the Xandikos it started (one that was already running is left running).
demo: build
	$(call section,demo: caldav-sched-demo against a local Xandikos)
	npm install --prefix www --no-audit --no-fund --no-package-lock --offline
	eval "$$(sh tests/servers/xandikos.sh)"; \
	if [ "$$XANDIKOS_STARTED" = 1 ]; then trap 'sh tests/servers/stop.sh xandikos' EXIT; fi; \
	echo "Xandikos at $$XANDIKOS_URL; open the URL below and play the story (organizer cyrus, attendee wilfredo)"; \
	node www/bin/caldav-sched-demo.mjs --caldav "$$XANDIKOS_URL/" --auth x-remote-user \
	  --users "$$XANDIKOS_USERS" --domain "$$XANDIKOS_DOMAIN" --calendar-path '{user}/calendars/calendar/'

clean:
	rm -rf pkg tools/node_modules www/node_modules tests/js/scratch
	cargo clean

## setup-ocr: tesseract, with which tests/js/demo-story.test.mjs reads its screenshot back
## (the demo's story must be legible on screen, not only present in the DOM).
setup-ocr:
	$(call section,setup: tesseract-ocr (demo screenshot test))
	@if command -v tesseract >/dev/null; then \
	  echo "present: $$(tesseract --version 2>&1 | head -n1)"; \
	else \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng; \
	fi

## e2e: the end-to-end suite (issue 9): the built package in a real page in headless Chromium,
## through a same-origin test proxy, against real CalDAV servers on 127.0.0.1 (Cyrus with the
## Schedule-Tag fix and stock, Xandikos, Radicale) and python-caldav as the other client.
## with-servers.sh starts the servers before the suite and stops those it started after it.
## E2E_FILES narrows the run, e.g. `make e2e E2E_FILES=tests/e2e/seed.test.mjs`.
E2E_FILES ?= tests/e2e/*.test.mjs
.PHONY: e2e
e2e: build setup-chromium
	$(call section,test: end-to-end against real CalDAV servers (tests/e2e))
	@t0=$$(date +%s); \
	  tests/servers/with-servers.sh node --test --test-concurrency=1 $(E2E_FILES); \
	  echo "e2e: suite (servers started and stopped included) ran in $$(( $$(date +%s) - t0 )) s"

## bench: caldav-sched against ical.js in one Node process on seeded workloads (tools/bench/):
## speed per workload with the JS<->wasm copy floor, merge, classifyResponse, instantiation,
## sizes, memory. Exits 1 when an issue 6 target is missed. Timings are noisy on a shared
## machine, so `make test` only runs the one-iteration smoke run (results checked, not timed).
.PHONY: bench bench-smoke
bench: build
	$(call section,bench: caldav-sched vs ical.js (tools/bench/bench.mjs))
	node --expose-gc tools/bench/bench.mjs

bench-smoke: build
	$(call section,bench: smoke run (one iteration, small workload))
	node tools/bench/bench.mjs --smoke

## fuzz: the cargo-fuzz targets in fuzz/ (its own package; nightly), FUZZ_SECONDS each, with
## executions per target at the end. fuzz-smoke: FUZZ_SMOKE_SECONDS each inside `make test`, so a
## crash regression (the committed seeds in fuzz/seeds/ replay first) fails CI. Seeds come from
## fuzz/seeds/, the test fixtures and ../shared/corpus when present (fuzz/seed.sh).
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 6
.PHONY: setup-fuzz fuzz fuzz-smoke

setup-fuzz:
	$(call section,setup: nightly toolchain + cargo-fuzz)
	@if rustup toolchain list | grep -q '^nightly'; then echo "present: $$(rustc +nightly --version)"; \
	else rustup toolchain install nightly --profile minimal; fi
	@if cargo fuzz --version >/dev/null 2>&1; then echo "present: $$(cargo fuzz --version)"; \
	else echo "installing cargo-fuzz (about 3 minutes on 2 cores)"; cargo install cargo-fuzz; fi

fuzz: setup-fuzz
	$(call section,fuzz: $(FUZZ_SECONDS) s per target)
	fuzz/run.sh $(FUZZ_SECONDS)

fuzz-smoke: setup-fuzz
	$(call section,test: fuzz smoke ($(FUZZ_SMOKE_SECONDS) s per target))
	fuzz/run.sh $(FUZZ_SMOKE_SECONDS)
