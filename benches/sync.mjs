// Pushes the changes of COUNT tasks made offline to a CouchDB-compatible server and pulls them on
// a fresh device, with Taskdesk's sync (store, outbox, adapter and per-field merge included) and
// with PouchDB's own replicate (IndexedDB to server and back), same documents, same server, same
// page; then a fresh device's first sync of FIRST tasks. Results land in window.benchResults.
import init, * as ours from "/target/bench-sync-pkg/taskdesk_bench_sync.js";

const params = new URLSearchParams(location.search);
const server = params.get("server");
const user = params.get("user");
const password = params.get("password");
const actor = params.get("actor");
const count = Number(params.get("count") ?? 10000);
const first = Number(params.get("first") ?? 0);
const rounds = Number(params.get("rounds") ?? 3);
const out = document.getElementById("out");
const log = (line) => { out.textContent += `\n${line}`; };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Signs in with a cookie session, as both sides then use it. */
async function signIn() {
  const r = await fetch(`${server}/_session`, { method: "POST", credentials: "include", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: user, password }) });
  if (!r.ok) throw new Error(`sign-in failed: ${r.status}`);
}

function remote(database) {
  return new PouchDB(`${server}/${database}`, { skip_setup: true, fetch: (url, opts) => PouchDB.fetch(url, { ...opts, credentials: "include" }) });
}

async function pouchRound(docs, round) {
  const local = new PouchDB(`bench-pouch-local-${round}`);
  await local.destroy();
  const source = new PouchDB(`bench-pouch-local-${round}`);
  await source.bulkDocs(docs, { new_edits: false });
  const target = remote(`bench-pouch-${round}`);
  let start = performance.now();
  const pushed = await PouchDB.replicate(source, target);
  const push = performance.now() - start;
  if (pushed.docs_written !== docs.length) throw new Error(`PouchDB pushed ${pushed.docs_written} of ${docs.length}`);
  const freshName = `bench-pouch-fresh-${round}`;
  await new PouchDB(freshName).destroy();
  const fresh = new PouchDB(freshName);
  start = performance.now();
  const pulled = await PouchDB.replicate(remote(`bench-pouch-${round}`), fresh);
  const pull = performance.now() - start;
  if (pulled.docs_written < docs.length) throw new Error(`PouchDB pulled ${pulled.docs_written} of ${docs.length}`);
  await source.destroy();
  await fresh.destroy();
  return { push, pull };
}

async function run() {
  await init();
  await signIn();
  const times = { oursPush: [], oursPull: [], pouchPush: [], pouchPull: [] };
  for (let round = 0; round < rounds; round++) {
    const database = `bench-ours-${round}`;
    const docs = JSON.parse(await ours.prepare_device(`bench-sync-device-${round}`, count, actor, `BNCH${round}`, server, database, user));
    times.oursPush.push(await ours.push(`bench-sync-device-${round}`, server, database, user, password));
    times.oursPull.push(await ours.first_sync(`bench-sync-fresh-${round}`, server, database, user, password, count));
    const pouch = await pouchRound(docs, round);
    times.pouchPush.push(pouch.push);
    times.pouchPull.push(pouch.pull);
    log(`${count} changes, round ${round + 1}: ours push ${times.oursPush[round].toFixed(0)} ms, pull ${times.oursPull[round].toFixed(0)} ms; PouchDB push ${pouch.push.toFixed(0)} ms, pull ${pouch.pull.toFixed(0)} ms`);
  }
  const results = [];
  for (const [key, xs] of Object.entries(times)) results.push({ name: `sync_${key}_${count}`, value: median(xs), unit: "ms" });
  results.push({ name: `sync_push_ratio_ours_to_pouchdb_${count}`, value: median(times.oursPush) / median(times.pouchPush), unit: "x" });
  results.push({ name: `sync_pull_ratio_ours_to_pouchdb_${count}`, value: median(times.oursPull) / median(times.pouchPull), unit: "x" });
  if (first > 0) {
    await ours.prepare_device("bench-sync-big", first, actor, "BIGGG", server, "bench-first-sync", user);
    const pushed = await ours.push("bench-sync-big", server, "bench-first-sync", user, password);
    const pulled = await ours.first_sync("bench-sync-big-fresh", server, "bench-first-sync", user, password, first);
    log(`${first} tasks: pushed in ${pushed.toFixed(0)} ms; a fresh device's first sync took ${pulled.toFixed(0)} ms`);
    results.push({ name: `sync_oursPush_${first}`, value: pushed, unit: "ms" });
    results.push({ name: `sync_first_sync_${first}`, value: pulled, unit: "ms" });
  }
  window.benchResults = results;
  log("done");
}

run().catch((e) => { window.benchError = String(e?.stack ?? e); log(`failed: ${window.benchError}`); });
