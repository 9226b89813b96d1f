// `make bench`: prints every figure as `BENCH <name> <value> <unit>`, one per line.
// 1. Bundle size of the release build in dist/ (wasm and JS; raw, gzip, brotli), and what takes
//    the wasm's space by crate (twiggy).
// 2. IndexedDB write and cold load, Taskdesk's store side by side with Dexie in one page (benches/idb.html),
//    then IndexedDB's own share of a write by layout (a value a task, or tasks packed 1,000 a value).
// 3. Search as you type over 100,000 tasks, Taskdesk's index side by side with uFuzzy, MiniSearch
//    and FlexSearch in one page (benches/search.html).
// 4. Routing with 1,000 agents, 30 skills and 10,000 waiting tasks: natively, then in wasm
//    (benches/routing.html), each beside a full scan of all agents.
// 5. Sync with pouchdb-server (started here, data on disk, the project's rules installed): pushing
//    and pulling 10,000 tasks' changes beside PouchDB's replicate of the same documents to the same
//    server, then a fresh device's first sync of 100,000 tasks (benches/sync.html).
// 6. Cold start of the release app with 100,000 tasks stored (navigation to the queue's first rows
//    and a keystroke answered) beside Dexie reading the same tasks: once before the app has packed
//    its copy of the tasks (it does so by itself, timed), then three times from the copy; then scrolling and switching
//    views under the Long Animation Frames API, and the queue's mount beside @tanstack/virtual-core
//    (benches/start.html, benches/start-app.mjs).
// BENCH_ONLY=search (or size, idb, routing, sync, start; comma-separated) runs a part.
// Expects `trunk build --release` done (the Makefile does it); builds the bench wasm itself.
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { chromium } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../scripts/sync-server.mjs";
import { serve } from "../scripts/serve.mjs";
import { coldStart, median, packedByTheApp, queueMount, scrollAndSwitch } from "./start-app.mjs";
import { createDemoUsers, demoPeople, serverOf, setup } from "../scripts/couch-setup.mjs";

const print = (name, value, unit) => console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(3)} ${unit}`);

function bundleSizes() {
  for (const [kind, ext] of [["wasm", ".wasm"], ["js", ".js"]]) {
    const files = readdirSync("dist").filter((f) => f.endsWith(ext));
    const bytes = Buffer.concat(files.map((f) => readFileSync(`dist/${f}`)));
    print(`bundle_${kind}_raw`, bytes.length, "bytes");
    print(`bundle_${kind}_gzip`, gzipSync(bytes, { level: 9 }).length, "bytes");
    print(`bundle_${kind}_brotli`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, "bytes");
  }
}

/** The crate an item of the wasm belongs to, read off its name (`<F as tachys::...>::invoke` is
 * tachys's: generic code counts where it is defined). The standard library is one line. */
function crateOf(name) {
  if (name.startsWith("data segment")) return "(data)";
  const crate = name.replace(/\[[0-9a-f]+\]/g, "").match(/([a-z_][a-z0-9_]*)::/)?.[1];
  if (name.startsWith("<str>") || ["core", "alloc", "std", "compiler_builtins", "dlmalloc"].includes(crate)) return "Rust std (core, alloc)";
  return crate ?? "(tables, imports, unnamed)";
}

/** What takes the wasm's space, by crate, with twiggy (built by `scripts/setup.sh bench`), from the
 * release wasm as cargo left it: wasm-bindgen and wasm-opt strip the names twiggy reads, so the
 * shares are of the code before wasm-opt, which shrinks it by about a third. */
function bundleBreakdown() {
  const wasm = "target/wasm32-unknown-unknown/release/taskdesk.wasm";
  const csv = execFileSync("twiggy", ["top", "-n", "10000000", "--format", "csv", wasm], { maxBuffer: 1 << 30 }).toString();
  const sizes = new Map();
  let total = 0;
  for (const line of csv.trim().split("\n").slice(1)) {
    const m = line.match(/^(?:"((?:[^"]|"")*)"|([^,]*)),(\d+),/);
    if (!m) continue;
    const name = (m[1] ?? m[2]).replaceAll('""', '"');
    if (name.includes("function names") || name.startsWith("custom section")) continue;
    const crate = crateOf(name);
    sizes.set(crate, (sizes.get(crate) ?? 0) + Number(m[3]));
    total += Number(m[3]);
  }
  const ranked = [...sizes].sort((a, b) => b[1] - a[1]);
  for (const [crate, bytes] of ranked.slice(0, 12)) print(`bundle_share_${crate.replace(/\W+/g, "_").replace(/^_|_$/g, "")}`, (100 * bytes) / total, "%");
  print("bundle_share_rest", (100 * ranked.slice(12).reduce((sum, [, b]) => sum + b, 0)) / total, "%");
}

function buildBenchWasm(crate, outDir) {
  const run = (cmd, args) => execFileSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
  run("cargo", ["build", "--release", "-p", crate, "--target", "wasm32-unknown-unknown"]);
  run("wasm-bindgen", ["--target", "web", "--out-dir", outDir, `target/wasm32-unknown-unknown/release/${crate.replaceAll("-", "_")}.wasm`]);
}

/// Opens a bench page in headless Chromium, waits for its results and prints them.
/// `isolated` serves it cross-origin isolated, for 5-microsecond timers.
async function pageBench(path, { isolated = false } = {}) {
  const port = 4174;
  const server = spawn("node", ["scripts/serve.mjs", ".", String(port), "--no-csp", ...(isolated ? ["--isolated"] : [])], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 500));
  const browser = await launch();
  try {
    await benchPage(await browser.newPage(), `http://127.0.0.1:${port}/${path}`);
  } finally {
    await browser.close();
    server.kill();
  }
}

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--js-flags=--expose-gc", "--enable-precise-memory-info"],
  });
}

/** Runs a bench page to its end and prints its results. */
async function benchPage(page, url) {
  page.on("console", (m) => process.stderr.write(`[page] ${m.text()}\n`));
  await page.goto(url);
  await page.waitForFunction(() => window.benchResults || window.benchError, null, { timeout: 900_000, polling: 1000 });
  const error = await page.evaluate(() => window.benchError);
  if (error) throw new Error(error);
  process.stderr.write(`${await page.locator("#out").textContent()}\n`);
  const results = await page.evaluate(() => window.benchResults);
  for (const r of results) print(r.name, r.value, r.unit);
  await page.close();
  return results;
}

/** Sync beside PouchDB against a pouchdb-server with its data on disk, as a real one keeps it. */
async function syncBench() {
  buildBenchWasm("taskdesk-bench-sync", "target/bench-sync-pkg");
  const dir = mkdtempSync(join(tmpdir(), "taskdesk-bench-couch-"));
  const server = await startServer({ dir });
  try {
    await createDemoUsers(serverOf(server.adminUrl));
    const rounds = Number(process.env.BENCH_SYNC_ROUNDS ?? 3);
    const names = ["bench-first-sync", ...Array.from({ length: rounds }, (_, r) => [`bench-ours-${r}`, `bench-pouch-${r}`]).flat()];
    for (const database of names) await setup({ url: server.adminUrl, database, origins: ["http://127.0.0.1:4174"] });
    const alex = demoPeople.users.find((u) => u.login === "alex");
    const query = new URLSearchParams({
      server: server.url, user: alex.login, password: demoPeople.password, actor: alex.id,
      count: process.env.BENCH_SYNC_COUNT ?? "10000", first: process.env.BENCH_FIRST_SYNC ?? "100000", rounds: String(rounds),
    });
    await pageBench(`benches/sync.html?${query}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = process.env.BENCH_ONLY ?? "size,idb,search,routing,sync,start";
if (only.includes("size")) {
  bundleSizes();
  bundleBreakdown();
}
if (only.includes("idb")) {
  buildBenchWasm("taskdesk-bench-idb", "target/bench-pkg");
  await pageBench(`benches/idb.html?sizes=${process.env.BENCH_SIZES ?? "10000,100000"}`);
}
if (only.includes("search")) {
  buildBenchWasm("taskdesk-bench-search", "target/bench-search-pkg");
  await pageBench(`benches/search.html?tasks=${process.env.BENCH_TASKS ?? 100000}`, { isolated: true });
}
if (only.includes("sync")) await syncBench();
if (only.includes("routing")) {
  execFileSync("cargo", ["run", "--release", "-p", "taskdesk-bench-routing"], { stdio: ["ignore", "inherit", "inherit"] });
  buildBenchWasm("taskdesk-bench-routing", "target/bench-routing-pkg");
  await pageBench("benches/routing.html", { isolated: true });
}
if (only.includes("start")) await startBench();

/** The app's cold start with 100,000 tasks stored (beside Dexie reading the same tasks), then
 * scrolling and switching views under the Long Animation Frames API, and the queue's mount beside
 * @tanstack/virtual-core's: the release build from dist/, under its strict CSP, with the bench
 * pages on the same origin so they fill the app's IndexedDB. */
async function startBench() {
  buildBenchWasm("taskdesk-bench-idb", "target/bench-pkg");
  const n = Number(process.env.BENCH_START_TASKS ?? 100000);
  const server = await serve({ dir: "dist", also: ["."], port: 4175 });
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await benchPage(await context.newPage(), `${server.url}/benches/start.html?seed=${n}`);
    // The first start reads every task one by one (as the first start after upgrading does);
    // the app then packs its copy by itself, and every later start reads that.
    const first = await context.newPage();
    first.on("pageerror", (e) => process.stderr.write(`[app] ${e}\n`));
    const unpacked = await coldStart(first, server.url);
    process.stderr.write(`cold start before packing: ${JSON.stringify(unpacked)}\n`);
    print(`start_first_rows_unpacked_${n}`, unpacked.rows, "ms");
    print(`start_keystroke_answered_unpacked_${n}`, unpacked.answered, "ms");
    print(`start_app_packed_after_${n}`, await packedByTheApp(first), "ms");
    await first.close();
    const rounds = [];
    let mounts;
    for (let r = 0; r < 3; r++) {
      const page = await context.newPage();
      page.on("pageerror", (e) => process.stderr.write(`[app] ${e}\n`));
      page.on("console", (m) => m.text().startsWith("long frame") && process.stderr.write(`[app] ${m.text()}\n`));
      rounds.push(await coldStart(page, server.url));
      process.stderr.write(`cold start ${r + 1}: ${JSON.stringify(rounds.at(-1))}\n`);
      if (rounds.at(-1).packs === 0) throw new Error("the app had not packed its copy");
      if (r === 2) {
        for (const x of await scrollAndSwitch(page)) print(`${x.name}_${n}`, x.value, x.unit);
        mounts = await queueMount(page);
        process.stderr.write(`our mount: ${mounts.times.map((t) => `${t.work.toFixed(1)}/${t.frame.toFixed(1)}`).join(", ")} ms (rows in the page/shown)\n`);
        print(`list_mount_ours_${n}`, mounts.frame, "ms");
        print(`list_mount_work_ours_${n}`, mounts.work, "ms");
      }
      await page.close();
    }
    print(`start_first_rows_${n}`, median(rounds.map((x) => x.rows)), "ms");
    print(`start_keystroke_answered_${n}`, median(rounds.map((x) => x.answered)), "ms");
    print(`start_keystroke_latency_${n}`, median(rounds.map((x) => x.answered - x.typed)), "ms");
    // Where the time went: each step's end after navigation (the wasm started, the database
    // opened, the tasks loaded and linked into a workspace), medians of the starts from the copy.
    for (const step of Object.keys(rounds[0].steps)) print(`start_step_${step}_${n}`, median(rounds.map((x) => x.steps[step])), "ms");
    const [dexie] = await benchPage(await context.newPage(), `${server.url}/benches/start.html?peer=dexie&tasks=${n}`);
    print(`start_ratio_ours_to_dexie_${n}`, median(rounds.map((x) => x.answered)) / dexie.value, "x");
    const [list, listWork] = await benchPage(await context.newPage(), `${server.url}/benches/start.html?peer=list&tasks=${n}`);
    print(`list_mount_ratio_ours_to_tanstack_${n}`, mounts.frame / list.value, "x");
    print(`list_mount_work_ratio_ours_to_tanstack_${n}`, mounts.work / listWork.value, "x");
  } finally {
    await browser.close();
    await server.close();
  }
}
