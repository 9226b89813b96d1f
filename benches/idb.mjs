// Writes the same realistic tasks with Taskdesk's store (Rust, wasm) and with Dexie, in batches of
// BATCH per transaction, then cold-loads all of them (ours also after packing its copy of the
// tasks, as the app does by itself); the results land in window.benchResults.
import init, * as ours from "/target/bench-pkg/taskdesk_bench_idb.js";
import Dexie from "/node_modules/dexie/dist/dexie.mjs";

const BATCH = 1000;
const params = new URLSearchParams(location.search);
const sizes = (params.get("sizes") ?? "10000,100000").split(",").map(Number);
const rounds = Number(params.get("rounds") ?? 3);
const out = document.getElementById("out");
const log = (line) => { out.textContent += `\n${line}`; };

function dexieDb(name) {
  const db = new Dexie(name);
  // The same indexes as Taskdesk's tasks store.
  db.version(1).stores({ tasks: "id, status, assignee, customer, &number, modified" });
  return db;
}

async function dexieWrite(name, records) {
  await Dexie.delete(name);
  const db = dexieDb(name);
  await db.open();
  const start = performance.now();
  for (let i = 0; i < records.length; i += BATCH) await db.tasks.bulkPut(records.slice(i, i + BATCH));
  const ms = performance.now() - start;
  db.close();
  return ms;
}

async function dexieLoad(name, expected) {
  const start = performance.now();
  const db = dexieDb(name);
  await db.open();
  const all = await db.tasks.toArray();
  const ms = performance.now() - start;
  db.close();
  if (all.length !== expected) throw new Error(`Dexie loaded ${all.length}, expected ${expected}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// IndexedDB's own share of a write, by how the tasks are laid out: records written from plain
// JavaScript (nothing from wasm), in transactions of BATCH, with the reads a merge makes (the
// batch's span of keys listed). "Value a task" is the store's layout today (a value a task with
// its five indexes, and the batch's change log value with its entity and stamp indexes); "packs"
// is a layout not built yet (the batch's tasks in one value found through multi-entry id and
// number indexes, and the same change log value). The gap between the first and our store's
// write is what our wasm adds: merging, encoding and building the values.
const req = (r) => new Promise((ok, no) => { r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
const stamp = (i) => `${String(1795000000000 + i).padStart(15, "0")}-0000000000-BENCH`;

async function layoutWrite(name, records, layout) {
  await req(indexedDB.deleteDatabase(name));
  const opening = indexedDB.open(name, 1);
  opening.onupgradeneeded = () => {
    const db = opening.result;
    if (layout === "packs") {
      const packs = db.createObjectStore("packs", { keyPath: "first" });
      packs.createIndex("ids", "ids", { multiEntry: true, unique: true });
      packs.createIndex("numbers", "numbers", { multiEntry: true, unique: true });
    } else {
      const tasks = db.createObjectStore("tasks", { keyPath: "id" });
      for (const ix of ["status", "assignee", "customer", "modified"]) tasks.createIndex(ix, ix);
      tasks.createIndex("number", "number", { unique: true });
    }
    const changeLog = db.createObjectStore("change_log", { keyPath: "first" });
    changeLog.createIndex("entities", "entities", { multiEntry: true });
    changeLog.createIndex("stamps", "stamps", { multiEntry: true });
  };
  const db = await req(opening);
  const utf8 = new TextEncoder();
  const start = performance.now();
  for (let i = 0; i < records.length; i += BATCH) {
    const batch = records.slice(i, i + BATCH);
    const ids = batch.map((t) => t.id).sort();
    const span = IDBKeyRange.bound(ids[0], ids.at(-1));
    const tx = db.transaction([layout === "packs" ? "packs" : "tasks", "change_log"], "readwrite");
    const committed = new Promise((ok, no) => { tx.oncomplete = ok; tx.onerror = () => no(tx.error); tx.onabort = () => no(tx.error); });
    if (layout === "packs") {
      const packs = tx.objectStore("packs");
      await req(packs.index("ids").getAllKeys(span, BATCH + 1));
      packs.put({ first: ids[0], ids, numbers: batch.map((t) => t.number), doc: utf8.encode(JSON.stringify(batch)) });
    } else {
      const tasks = tx.objectStore("tasks");
      await req(tasks.getAllKeys(span, BATCH + 1));
      for (const t of batch) tasks.put({ id: t.id, status: t.status, assignee: t.assignee ?? "", customer: t.customer ?? "", number: t.number, modified: t.modified, doc: JSON.stringify(t) });
    }
    tx.objectStore("change_log").put({ first: stamp(i), entities: ids, stamps: batch.map((_, k) => stamp(i + k)), doc: JSON.stringify(batch) });
    await committed;
  }
  const ms = performance.now() - start;
  db.close();
  await req(indexedDB.deleteDatabase(name));
  return ms;
}

async function layouts(n, results) {
  const records = JSON.parse(ours.sample_tasks_json(n));
  const times = { dexie: [], valueATask: [], packs: [] };
  for (let i = 0; i < rounds; i++) {
    times.dexie.push(await dexieWrite(`bench-layout-dexie-${n}`, records));
    times.valueATask.push(await layoutWrite(`bench-layout-value-${n}`, records, "value"));
    times.packs.push(await layoutWrite(`bench-layout-packs-${n}`, records, "packs"));
    log(`${n} layouts, round ${i + 1}: Dexie ${times.dexie[i].toFixed(0)} ms, a value a task ${times.valueATask[i].toFixed(0)} ms, packs ${times.packs[i].toFixed(0)} ms`);
  }
  await Dexie.delete(`bench-layout-dexie-${n}`);
  for (const [key, xs] of Object.entries(times)) results.push({ name: `idb_layout_${key}_${n}`, value: median(xs), unit: "ms" });
  for (const key of ["valueATask", "packs"]) results.push({ name: `idb_layout_${key}_ratio_to_dexie_${n}`, value: median(times[key]) / median(times.dexie), unit: "x" });
}

async function run() {
  await init();
  const results = [];
  for (const n of sizes) {
    // Dexie stores the very records Taskdesk stores, as plain objects (parsed outside the timing).
    const records = JSON.parse(ours.sample_tasks_json(n)).map((t) => ({ ...t, status: t.status, modified: t.modified }));
    const times = { oursWrite: [], oursLoad: [], oursPack: [], oursPackedLoad: [], dexieWrite: [], dexieLoad: [] };
    const r = n >= 100000 ? 1 : rounds;
    for (let i = 0; i < r; i++) {
      times.oursWrite.push(await ours.write_tasks(`bench-ours-${n}`, n, BATCH));
      times.oursLoad.push(await ours.cold_load(`bench-ours-${n}`, n));
      times.oursPack.push(await ours.pack_store(`bench-ours-${n}`, n));
      times.oursPackedLoad.push(await ours.cold_load(`bench-ours-${n}`, n));
      times.dexieWrite.push(await dexieWrite(`bench-dexie-${n}`, records));
      times.dexieLoad.push(await dexieLoad(`bench-dexie-${n}`, n));
      log(`${n} round ${i + 1}: ours write ${times.oursWrite[i].toFixed(0)} ms, load ${times.oursLoad[i].toFixed(0)} ms, pack ${times.oursPack[i].toFixed(0)} ms, packed load ${times.oursPackedLoad[i].toFixed(0)} ms; Dexie write ${times.dexieWrite[i].toFixed(0)} ms, load ${times.dexieLoad[i].toFixed(0)} ms`);
    }
    for (const [key, xs] of Object.entries(times)) results.push({ name: `idb_${key}_${n}`, value: median(xs), unit: "ms" });
    results.push({ name: `idb_write_ratio_ours_to_dexie_${n}`, value: median(times.oursWrite) / median(times.dexieWrite), unit: "x" });
    results.push({ name: `idb_load_ratio_ours_to_dexie_${n}`, value: median(times.oursLoad) / median(times.dexieLoad), unit: "x" });
    results.push({ name: `idb_packed_load_ratio_ours_to_dexie_${n}`, value: median(times.oursPackedLoad) / median(times.dexieLoad), unit: "x" });
    await ours.write_tasks(`bench-ours-${n}`, 0, BATCH);
    await Dexie.delete(`bench-dexie-${n}`);
  }
  await layouts(10000, results);
  // Why records are stored as JSON text: the cost per record of each encoding, both ways.
  const n = 10000;
  const enc = ours.encoding_costs(n);
  for (const key of ["json_encode", "json_decode", "objects_encode", "objects_decode"]) {
    results.push({ name: `encoding_${key}_per_record`, value: (enc[key] * 1000) / n, unit: "us" });
  }
  log(`encoding per record: JSON ${(enc.json_encode * 1000 / n).toFixed(1)} + ${(enc.json_decode * 1000 / n).toFixed(1)} us, objects ${(enc.objects_encode * 1000 / n).toFixed(1)} + ${(enc.objects_decode * 1000 / n).toFixed(1)} us`);
  window.benchResults = results;
  log("done");
}

run().catch((e) => { window.benchError = String(e?.stack ?? e); log(`failed: ${window.benchError}`); });
