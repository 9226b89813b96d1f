// O5: faults lose nothing. A tab closed mid-write, again and again; a whole working session
// offline; the server restarting while changes stream in; the disk filling up during a pull.
import { test, expect } from "./fixtures.mjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openApp } from "./workspace.mjs";
import { connect, couch, freshDatabase, newDevice, serverChanges, synced } from "./sync.mjs";
import { ADMIN, startServer } from "../../scripts/sync-server.mjs";
import { createDemoUsers, serverOf } from "../../scripts/couch-setup.mjs";

/** Reads this page's IndexedDB: tasks per transaction id (an interaction's id), how many tasks and
 * changes are stored, and the sync cursor. */
function storedCounts(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("taskdesk");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(["tasks", "task_groups", "changes", "change_log", "meta"]);
          const tasks = tx.objectStore("tasks").getAll();
          // A large write's new tasks are stored a thousand to a value (their documents as UTF-8 lines);
          // a single value overrides.
          const groups = tx.objectStore("task_groups").getAll();
          // The log before schema 6 keeps a change a value; the log after, a write's changes.
          const before6 = tx.objectStore("changes").count();
          const logged = tx.objectStore("change_log").getAll();
          const sync = tx.objectStore("meta").get("sync");
          tx.oncomplete = () => {
            const singles = new Set(tasks.result.map((row) => row.id));
            const docs = tasks.result.map((row) => row.doc);
            for (const group of groups.result) {
              const texts = new TextDecoder().decode(group.docs).split("\n");
              group.ids.forEach((id, k) => singles.has(id) || docs.push(texts[k]));
            }
            const byTransaction = {};
            for (const doc of docs) {
              const t = JSON.parse(doc);
              byTransaction[t.transaction_id] = (byTransaction[t.transaction_id] ?? 0) + 1;
            }
            db.close();
            const cursor = sync.result ? JSON.parse(sync.result.doc).cursor : null;
            const changes = before6.result + logged.result.reduce((n, row) => n + JSON.parse(row.doc).length, 0);
            resolve({ byTransaction, tasks: docs.length, changes, cursor });
          };
        };
      }),
  );
}

/** Feeds interaction events through the host page API without waiting for them to be stored. */
function ingestMany(page, events) {
  return page.evaluate((list) => list.map((e) => window.TaskDesk.app.ingest(e)), events);
}

const chat = (id, body = "Hello, is anyone there?") => ({ id, kind: "chat", contact: "+420777000111", body });

test("O5: a tab closed mid-write 50 times: everything the screen reported saved is there, nothing twice", async ({ context }) => {
  test.setTimeout(180_000);
  const reportedSaved = new Set();
  const attempted = new Set();
  for (let round = 0; round < 50; round++) {
    const page = await context.newPage();
    await openApp(page);
    const events = Array.from({ length: 1 + Math.floor(Math.random() * 12) }, (_, i) => chat(`close-${round}-${i}`));
    await ingestMany(page, events);
    events.forEach((e) => attempted.add(e.id));
    await page.waitForTimeout(Math.floor(Math.random() * 60));
    if (await page.getByRole("status").filter({ hasText: "Saved on this device" }).isVisible()) {
      events.forEach((e) => reportedSaved.add(e.id));
    }
    await page.close({ runBeforeUnload: false });
  }
  const page = await context.newPage();
  await openApp(page);
  const { byTransaction } = await storedCounts(page);
  for (const id of reportedSaved) expect(byTransaction[id], `${id} was reported saved`).toBe(1);
  for (const id of attempted) expect(byTransaction[id] ?? 0, `${id} stored at most once`).toBeLessThanOrEqual(1);
  // The test means something only if both outcomes happened: some writes saved, some cut off.
  expect(reportedSaved.size).toBeGreaterThan(10);
});

test("O5: a whole working session offline (500 edits across tasks), then reconnect: all pushed, and a second device agrees", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const database = await freshDatabase(testInfo);
  const a = await newDevice(browser, testInfo);
  await connect(a.page, { database, user: "alex" });
  await a.context.setOffline(true);
  // 100 conversations, then 400 further messages joining them: 500 edits across 100 tasks.
  const events = [];
  for (let i = 0; i < 100; i++) events.push(chat(`offline-${i}`, `Conversation ${i} starts`));
  for (let n = 0; n < 400; n++) events.push(chat(`offline-${n % 100}`, `Message ${n} of the offline session`));
  for (let i = 0; i < events.length; i += 50) await ingestMany(a.page, events.slice(i, i + 50));
  await expect(a.page.getByRole("status").filter({ hasText: "Saved on this device" })).toBeVisible();
  await expect(a.page.getByRole("status").filter({ hasText: /^Offline · \d+ changes waiting$/ })).toBeVisible();
  await a.context.setOffline(false);
  await synced(a.page, 60_000);
  const mine = await storedCounts(a.page);
  const b = await newDevice(browser, testInfo);
  await connect(b.page, { database, user: "sam" });
  const theirs = await storedCounts(b.page);
  expect(theirs.changes).toBe(mine.changes);
  expect(theirs.tasks).toBe(mine.tasks);
  for (let i = 0; i < 100; i++) expect(theirs.byTransaction[`offline-${i}`]).toBe(1);
  expect((await serverChanges(database)).length).toBe(mine.changes);
  await a.context.close();
  await b.context.close();
});

test("O5: the server restarts while changes stream in: sync says so, retries, and every change arrives once", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), "taskdesk-restart-"));
  // On the run's spare port, which the app's policy lets it call.
  const server = await startServer({ dir, port: Number(process.env.TASKDESK_SPARE_PORT) });
  try {
    await createDemoUsers(serverOf(server.adminUrl));
    const database = await freshDatabase(testInfo, { url: server.adminUrl });
    const a = await newDevice(browser, testInfo);
    await connect(a.page, { database, user: "alex", server: server.url });
    await server.stop();
    await ingestMany(a.page, Array.from({ length: 300 }, (_, i) => chat(`restart-${i}`, `Sent while the server was down ${i}`)));
    await expect(a.page.getByRole("status").filter({ hasText: /^Sync failed: The server cannot be reached .* Trying again at \d\d:\d\d:\d\d · \d+ changes waiting$/ })).toBeVisible({ timeout: 20_000 });
    await server.restart();
    // And once more while the retried push is under way.
    await a.page.waitForTimeout(150);
    await server.restart();
    await synced(a.page, 90_000);
    const mine = await storedCounts(a.page);
    const auth = `Basic ${Buffer.from(`${ADMIN.name}:${ADMIN.password}`).toString("base64")}`;
    const r = await fetch(`${server.url}/${database}/_all_docs`, { headers: { authorization: auth } });
    const ids = (await r.json()).rows.map((row) => row.id).filter((id) => id.startsWith("change:"));
    expect(ids.length).toBe(mine.changes);
    expect(new Set(ids).size).toBe(ids.length);
    await a.context.close();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("O5: the disk fills up during a pull: a plain message, the cursor stays, nothing half-applied; it resumes when there is room", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const database = await freshDatabase(testInfo);
  const origin = new URL(testInfo.project.use.baseURL).origin;
  // A device with a small disk, most of it taken by other data. (Chromium fixes an origin's
  // quota when it first uses storage, so the quota is set before the app's first start.)
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, storageState: "tests/e2e/quiet-center.json", serviceWorkers: "block" });
  const page = await context.newPage();
  await page.goto("/favicon.svg");
  const cdp = await context.newCDPSession(page);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 8_000_000 });
  // About 5 MB, in small transactions: one 5 MB transaction was now and then refused by the
  // browser's own estimate of it, before the app had written anything.
  const filled = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open("other-data", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("blobs");
        open.onsuccess = () => {
          let bytes = 0;
          const more = (round) => {
            if (round === 20) return open.result.close(), resolve(bytes);
            const tx = open.result.transaction("blobs", "readwrite");
            for (let i = 0; i < 25; i++) tx.objectStore("blobs").put(crypto.getRandomValues(new Uint8Array(10_240)), round * 25 + i);
            tx.oncomplete = () => ((bytes += 25 * 10_240), more(round + 1));
            tx.onabort = () => (open.result.close(), resolve(bytes));
          };
          more(0);
        };
      }),
  );
  expect(filled).toBeGreaterThanOrEqual(4_000_000);
  await openApp(page);
  await connect(page, { database, user: "sam" });
  const before = await storedCounts(page);

  // Someone else's big batch arrives on the server: 1,500 new tasks with long descriptions.
  const docs = Array.from({ length: 1500 }, (_, i) => {
    const stamp = `00${Date.now() + i}-0000000000-BULKY`;
    const entity = `0190f000-0000-7000-8000-${String(i).padStart(12, "0")}`;
    return {
      _id: `change:${stamp}`, _rev: `1-${i}`, type: "change", stamp, actor: null, kind: "task", entity,
      fields: [
        { field: "subject", old: null, new: `Bulk task ${i}` },
        { field: "description", old: null, new: `A long description of bulk task ${i}. `.repeat(40) },
        { field: "number", old: null, new: `BULKY-${i}` },
        { field: "created_at", old: null, new: new Date().toISOString() },
      ],
    };
  });
  expect((await couch("POST", `/${database}/_bulk_docs`, { new_edits: false, docs })).status).toBe(201);
  await expect(page.getByRole("status").filter({ hasText: /^Sync failed: This device is out of storage space/ })).toBeVisible({ timeout: 30_000 });
  const during = await storedCounts(page);
  expect(during.tasks).toBe(before.tasks);
  expect(during.changes).toBe(before.changes);
  expect(during.cursor).toBe(before.cursor);

  // Room is made: the other data goes. Sync resumes by itself and takes everything in.
  await page.evaluate(() => new Promise((resolve) => (indexedDB.deleteDatabase("other-data").onsuccess = resolve)));
  await synced(page, 90_000);
  const after = await storedCounts(page);
  expect(after.tasks).toBe(before.tasks + 1500);
  expect(after.cursor).not.toBe(before.cursor);
  await context.close();
});
