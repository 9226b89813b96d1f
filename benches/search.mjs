// The same task texts indexed by Taskdesk's word index (Rust, wasm) and by three JS peers; then
// the same query script (each query typed letter by letter, then deleted letter by letter), one
// search per keystroke. Each engine lists every match where its caller reads them, as the list
// shows the count and sorts by the agent's column: the JS peers in a JS array, Taskdesk in wasm
// memory, where the app's queue walks them (and, timed apart, copied out into a JS array too).
// Results land in window.benchResults. `?engines=taskdesk,flexsearch` runs some engines only;
// `?detail` logs each query state's time.
import init, * as ours from "/target/bench-search-pkg/taskdesk_bench_search.js";
import uFuzzy from "/node_modules/@leeoniya/ufuzzy/dist/uFuzzy.mjs";
import MiniSearch from "/node_modules/minisearch/dist/es/index.js";
import { Index as FlexIndex } from "/node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs";

const params = new URLSearchParams(location.search);
const count = Number(params.get("tasks") ?? 100000);
const rounds = Number(params.get("rounds") ?? 3);
const QUERIES = ["refund order", "novakova", "router restarts", "ORD-4821", "damaged parcel replacement", "brightline dental", "+420 7"];
const out = document.getElementById("out");
const log = (line) => { out.textContent += `\n${line}`; };

/// Every query state the script passes through: "r", "re", ... "refund order", ... "re", "r".
function keystrokes() {
  const states = [];
  for (const q of QUERIES) {
    for (let i = 1; i <= q.length; i++) states.push(q.slice(0, i));
    for (let i = q.length - 1; i >= 1; i--) states.push(q.slice(0, i));
  }
  return states;
}

const engines = [
  {
    name: "taskdesk",
    build: (docs) => new ours.OurSearch(docs),
    // The matches stay in wasm memory, where the app's queue reads them.
    search: (ix, q) => ix.search(q),
    // Timed as well on the same index: the matches copied into a JS array, as a JS caller needs them.
    alsoTimed: { name: "taskdesk_to_js", search: (ix, q) => ix.search_to_js(q).length },
    release: (ix) => ix.free(),
  },
  {
    name: "ufuzzy",
    // uFuzzy keeps no index: it scans the haystack on every search.
    build: (docs) => ({ uf: new uFuzzy(), haystack: docs }),
    search: (ix, q) => (ix.uf.filter(ix.haystack, q) ?? []).length,
    release: () => {},
  },
  {
    name: "minisearch",
    build: (docs) => {
      const ms = new MiniSearch({ fields: ["text"], idField: "id" });
      ms.addAll(docs.map((text, id) => ({ id, text })));
      return ms;
    },
    search: (ix, q) => ix.search(q, { prefix: true, combineWith: "AND" }).length,
    release: () => {},
  },
  {
    name: "flexsearch",
    build: (docs) => {
      const index = new FlexIndex({ tokenize: "forward" });
      docs.forEach((text, id) => index.add(id, text));
      return index;
    },
    search: (ix, q) => ix.search(q, { limit: count }).length,
    release: () => {},
  },
];

const heap = () => { globalThis.gc?.(); return performance.memory?.usedJSHeapSize ?? 0; };
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

/** One untimed round of the script, then `rounds` timed ones: each keystroke's time, and the
 * number of matches each query state ended with. */
function typeEveryQuery(ix, search, states) {
  for (const q of states) search(ix, q);
  const times = [];
  const counts = new Map();
  for (let r = 0; r < rounds; r++) {
    for (const q of states) {
      const t0 = performance.now();
      const matches = search(ix, q);
      times.push(performance.now() - t0);
      counts.set(q, matches);
    }
  }
  return { times, counts };
}

/** `?detail`: each query state's median time, fastest first, to see where an engine spends it. */
function logPerKeystroke(name, states, times) {
  const per = new Map();
  states.forEach((q, i) => per.set(q, Array.from({ length: rounds }, (_, r) => times[r * states.length + i])));
  const rows = [...per].map(([q, ts]) => [q, quantile(ts, 0.5)]).sort((a, b) => a[1] - b[1]);
  log(rows.map(([q, t]) => `${name} ${t.toFixed(3)} ms ${JSON.stringify(q)}`).join("\n"));
}

async function run() {
  await init();
  const docs = ours.documents(count, 42n);
  const states = keystrokes();
  log(`${docs.length} tasks, ${states.length} keystrokes per round, ${rounds} timed rounds after one warm-up; timer resolution ${crossOriginIsolated ? "5 µs (isolated)" : "100 µs"}`);
  const figures = {};
  const only = params.get("engines")?.split(",");
  for (const e of engines.filter((e) => !only || only.includes(e.name))) {
    const jsBefore = heap();
    const wasmBefore = ours.live_bytes();
    const start = performance.now();
    let ix = e.build(docs);
    const buildMs = performance.now() - start;
    // uFuzzy keeps no index, so its heap change is noise around zero.
    const memory = Math.max(0, heap() - jsBefore) + (ours.live_bytes() - wasmBefore);
    const timed = [{ name: e.name, search: e.search }, ...(e.alsoTimed ? [e.alsoTimed] : [])];
    for (const t of timed) {
      const { times, counts } = typeEveryQuery(ix, t.search, states);
      // The index is built once: build and memory belong to the engine, not to each way of reading it.
      figures[t.name] = { median: quantile(times, 0.5), p95: quantile(times, 0.95), counts: QUERIES.map((q) => counts.get(q)), ...(t.name === e.name ? { build: buildMs, memory } : {}) };
      log(`${t.name.padEnd(14)} build ${buildMs.toFixed(0)} ms, keystroke median ${figures[t.name].median.toFixed(3)} ms, p95 ${figures[t.name].p95.toFixed(3)} ms, memory ${(memory / 1048576).toFixed(1)} MiB; matches per full query ${figures[t.name].counts.join(", ")}`);
      if (params.has("detail")) logPerKeystroke(t.name, states, times);
    }
    e.release(ix);
    ix = null;
  }
  const results = [];
  const peers = ["ufuzzy", "minisearch", "flexsearch"];
  for (const [name, f] of Object.entries(figures)) {
    if (f.build !== undefined) results.push({ name: `search_${name}_build`, value: f.build, unit: "ms" });
    results.push({ name: `search_${name}_keystroke_median`, value: f.median, unit: "ms" });
    results.push({ name: `search_${name}_keystroke_p95`, value: f.p95, unit: "ms" });
    if (f.memory !== undefined) results.push({ name: `search_${name}_memory`, value: f.memory, unit: "bytes" });
  }
  // Ratios to the best peer; build and memory only among peers that keep an index (uFuzzy has none).
  const best = (key, list) => Math.min(...list.filter((p) => figures[p]).map((p) => figures[p][key]));
  for (const [key, list] of [["median", peers], ["p95", peers], ["build", ["minisearch", "flexsearch"]], ["memory", ["minisearch", "flexsearch"]]]) {
    results.push({ name: `search_taskdesk_${key}_vs_best_peer`, value: figures.taskdesk[key] / best(key, list), unit: "ratio" });
  }
  if (figures.taskdesk_to_js) results.push({ name: "search_taskdesk_to_js_median_vs_best_peer", value: figures.taskdesk_to_js.median / best("median", peers), unit: "ratio" });
  window.benchResults = results;
  log("done");
}

run().catch((e) => { window.benchError = String(e?.stack ?? e); log(window.benchError); });
