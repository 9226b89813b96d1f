// `make bench`: prints every figure as `BENCH <name> <value> <unit>`, one per line.
// 1. Bundle size of the release build in dist/ (wasm and JS; raw, gzip, brotli).
// 2. IndexedDB write and cold load, Taskdesk's store side by side with Dexie in one page (benches/idb.html).
// Expects `trunk build --release` done (the Makefile does it); builds the bench wasm itself.
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { chromium } from "@playwright/test";

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

function buildBenchWasm() {
  const run = (cmd, args) => execFileSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
  run("cargo", ["build", "--release", "-p", "taskdesk-bench-idb", "--target", "wasm32-unknown-unknown"]);
  run("wasm-bindgen", ["--target", "web", "--out-dir", "target/bench-pkg", "target/wasm32-unknown-unknown/release/taskdesk_bench_idb.wasm"]);
}

async function idbBench() {
  const port = 4174;
  const server = spawn("node", ["scripts/serve.mjs", ".", String(port)], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 500));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    page.on("console", (m) => process.stderr.write(`[page] ${m.text()}\n`));
    const sizes = process.env.BENCH_SIZES ?? "10000,100000";
    await page.goto(`http://127.0.0.1:${port}/benches/idb.html?sizes=${sizes}`);
    await page.waitForFunction(() => window.benchResults || window.benchError, null, { timeout: 900_000, polling: 1000 });
    const error = await page.evaluate(() => window.benchError);
    if (error) throw new Error(error);
    process.stderr.write(`${await page.locator("#out").textContent()}\n`);
    for (const r of await page.evaluate(() => window.benchResults)) print(r.name, r.value, r.unit);
  } finally {
    await browser.close();
    server.kill();
  }
}

bundleSizes();
buildBenchWasm();
await idbBench();
