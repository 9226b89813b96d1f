// The page half of the cold-start bench (benches/run.mjs drives it and the app, on the app's
// origin so they share IndexedDB). `?seed=N` fills the app's database with the demo workspace and
// N more tasks with their history, and a Dexie database with the same tasks; `?peer=dexie&tasks=N`
// times Dexie opening and reading them all (`toArray`); `?peer=list&tasks=N` times
// @tanstack/virtual-core mounting a list of the same rows. Results land in window.benchResults.
import init, * as ours from "/target/bench-pkg/taskdesk_bench_idb.js";
import Dexie from "/node_modules/dexie/dist/dexie.mjs";
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from "/node_modules/@tanstack/virtual-core/dist/esm/index.js";
import { installBench, median, mountMedians, MOUNT_PAUSE_MS, MOUNT_ROUNDS } from "./start-app.mjs";

// virtual-core reads `process.env.NODE_ENV`, as bundlers would replace it; this page has no bundler.
globalThis.process ??= { env: { NODE_ENV: "production" } };
const params = new URLSearchParams(location.search);
const out = document.getElementById("out");
const log = (line) => { out.textContent += `\n${line}`; };
const DEXIE = "bench-dexie-start";
const ROUNDS = 3;
// The same frame timing as the app's side of the bench.
installBench();
const { mountTimes } = window.__bench;

function dexieDb() {
  const db = new Dexie(DEXIE);
  // The same indexes as Taskdesk's tasks store.
  db.version(1).stores({ tasks: "id, status, assignee, customer, &number, modified" });
  return db;
}

async function seed(n) {
  await ours.seed_app("taskdesk", n);
  log(`Taskdesk's database holds the demo and ${n} tasks`);
  await Dexie.delete(DEXIE);
  const db = dexieDb();
  const records = JSON.parse(ours.sample_tasks_json(n));
  for (let i = 0; i < records.length; i += 1000) await db.tasks.bulkPut(records.slice(i, i + 1000));
  db.close();
  log(`Dexie's database holds the same ${n} tasks`);
  return [];
}

async function dexieLoad(n) {
  const times = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    const db = dexieDb();
    await db.open();
    const all = await db.tasks.toArray();
    times.push(performance.now() - start);
    db.close();
    if (all.length !== n) throw new Error(`Dexie read ${all.length} tasks, expected ${n}`);
  }
  log(`Dexie toArray: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
  return [{ name: `start_dexie_toarray_${n}`, value: median(times), unit: "ms" }];
}

/** The rows our queue shows, as plain strings, for the peer to render. */
function rowsOf(tasks) {
  const now = Date.now();
  return tasks.map((t) => ({
    channel: t.channel, number: t.number, subject: t.subject, customer: t.customer ?? "", priority: t.priority, status: t.status,
    age: `${Math.round((now - Date.parse(t.created_at)) / 3_600_000)} h`,
  }));
}

/** Mounts a virtual list of `rows` in `host` (a table with spacer rows, as our queue draws it),
 * after the same pause as our mounts; resolves at the frame that shows its first rows, with the
 * times taken (see `mountTimes`). */
async function mountList(host, rows) {
  host.replaceChildren();
  await new Promise((ok) => setTimeout(ok, MOUNT_PAUSE_MS));
  const start = performance.now();
  const table = document.createElement("table");
  const body = document.createElement("tbody");
  const timing = mountTimes(() => body.children.length > 2, start);
  table.append(body);
  host.append(table);
  const cell = (text) => { const td = document.createElement("td"); td.textContent = text; return td; };
  const spacer = (px) => { const tr = document.createElement("tr"); tr.style.height = `${px}px`; return tr; };
  const render = (v) => {
    const items = v.getVirtualItems();
    const top = items[0]?.start ?? 0;
    const bottom = v.getTotalSize() - (items.at(-1)?.end ?? 0);
    body.replaceChildren(spacer(top), ...items.map((item) => {
      const r = rows[item.index];
      const tr = document.createElement("tr");
      tr.append(cell(r.channel), cell(r.number), cell(r.subject), cell(r.customer), cell(r.priority), cell(r.status), cell(r.age));
      return tr;
    }), spacer(bottom));
  };
  const v = new Virtualizer({
    count: rows.length, getScrollElement: () => host, estimateSize: () => 37, overscan: 10,
    observeElementRect, observeElementOffset, scrollToFn: elementScroll, onChange: render,
  });
  const unmount = v._didMount();
  v._willUpdate();
  render(v);
  const times = await timing;
  unmount();
  return times;
}

async function listMount(n) {
  const rows = rowsOf(JSON.parse(ours.sample_tasks_json(n)));
  const host = document.getElementById("list");
  // Set from script: the app's strict CSP, which this page is served under, refuses style attributes.
  Object.assign(host.style, { height: "600px", width: "1200px", overflow: "auto" });
  const times = [];
  for (let r = 0; r < MOUNT_ROUNDS; r++) times.push(await mountList(host, rows));
  const { frame, work } = mountMedians(times);
  log(`virtual-core mount: ${times.map((t) => `${t.work.toFixed(1)}/${t.frame.toFixed(1)}`).join(", ")} ms (rows in the page/shown)`);
  return [
    { name: `list_mount_tanstack_${n}`, value: frame, unit: "ms" },
    { name: `list_mount_work_tanstack_${n}`, value: work, unit: "ms" },
  ];
}

async function run() {
  await init();
  const n = Number(params.get("seed") ?? params.get("tasks") ?? 100000);
  const peer = params.get("peer");
  window.benchResults = params.has("seed") ? await seed(n) : peer === "dexie" ? await dexieLoad(n) : await listMount(n);
  log("done");
}

run().catch((e) => { window.benchError = String(e?.stack ?? e); log(`failed: ${window.benchError}`); });
