# Taskdesk: `make run` serves the app, `make test` runs every test tier, `make bench` prints figures.
# Each target first runs the idempotent setup, so a fresh machine needs nothing else.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
PORT ?= 8080
NATIVE := -p taskdesk-domain -p taskdesk-store -p taskdesk-sync -p taskdesk-safe-html

.PHONY: run test lint test-native test-wasm test-e2e build bench setup-run setup-test setup-bench sync-server

setup-run:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

setup-bench:
	@scripts/setup.sh bench

build:
	trunk build --release

# The app under its strict CSP (allowed to call the local sync server of `make sync-server`),
# and the demo CRM on the same origin and, framed, on the next port.
run: setup-run build
	PORT=$(PORT) node scripts/run.mjs

test: setup-test
	@$(MAKE) --no-print-directory lint test-native test-wasm build test-e2e
	@echo "All test tiers passed."

lint:
	@echo "== formatting and lints (warnings are errors)"
	cargo fmt --all -- --check
	cargo clippy --workspace --exclude taskdesk --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p taskdesk -- -D warnings

test-native:
	@echo "== tier 1: native domain, memory-store and sync tests (the CouchDB adapter against a pouchdb-server it starts)"
	cargo test $(NATIVE)

test-wasm:
	@echo "== tier 2: IndexedDB store conformance and the email sanitiser in headless Chromium"
	# The runner's limit covers the whole suite (about 17 s here, tens of thousands of records).
	WASM_BINDGEN_TEST_TIMEOUT=180 cargo test -p taskdesk-store -p taskdesk-safe-html --target wasm32-unknown-unknown

test-e2e:
	@echo "== tier 3: end-to-end journeys against the release build"
	npx playwright test

# A local CouchDB-compatible server on 127.0.0.1:5984 with the demo people and workspace; it
# prints what to type into two browsers to watch them sync. Data stays in .sync-server/.
sync-server: setup-run
	node scripts/sync-server.mjs

bench: setup-bench build
	node benches/run.mjs
