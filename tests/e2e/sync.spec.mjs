// O2, O3, O5 with a real CouchDB-compatible server: two devices (two browser contexts) sync
// through pouchdb-server, merge offline edits visibly, survive an expired session, and the
// server refuses what its rules forbid.
import { test, expect } from "./fixtures.mjs";
import { fillTask, findInQueue, saved } from "./workspace.mjs";
import { connect, couch, freshDatabase, newDevice, serverChanges, synced } from "./sync.mjs";

// Two devices, a server and a service worker per journey: room for a slower machine.
test.describe.configure({ timeout: 60_000 });

/** Opens a task by its subject from the queue. */
async function openTask(page, subject) {
  await findInQueue(page, subject);
  await page.getByRole("row").filter({ hasText: subject }).first().click();
  await expect(page.getByRole("heading", { name: subject })).toBeVisible();
}

/** Creates a task in the form and waits until it is stored. */
async function createTask(page, subject, extra = {}) {
  await page.getByRole("link", { name: /^Queue/ }).click();
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject, channel: "Email", ...extra });
  await expect(page.getByRole("heading", { name: subject })).toBeVisible();
  await saved(page);
}

test("O2: a task created on one device appears on the other, and the person at the screen is the one signed in", async ({ browser }, testInfo) => {
  const database = await freshDatabase(testInfo);
  const a = await newDevice(browser, testInfo);
  const b = await newDevice(browser, testInfo);
  await connect(a.page, { database, user: "alex" });
  await connect(b.page, { database, user: "sam" });
  await expect(a.page.getByText("Signed in as Alex Novak")).toBeVisible();
  await expect(a.page.getByLabel("Signed in as")).toHaveCount(0);
  await expect(b.page.getByText("Signed in as Sam Rivera")).toBeVisible();
  await expect(a.page.getByText("Connected. This device took the server's workspace.")).toBeVisible();

  await createTask(a.page, "Printer quote for the Brno office");
  await synced(a.page);
  await expect(async () => {
    await findInQueue(b.page, "Printer quote");
    await expect(b.page.getByRole("row").filter({ hasText: "Printer quote for the Brno office" })).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  const docs = await serverChanges(database);
  expect(docs.some((d) => d.fields.some((f) => f.field === "subject" && f.new === "Printer quote for the Brno office"))).toBe(true);
  await a.context.close();
  await b.context.close();
});

test("O3: both devices edit the same task offline; after reconnecting they agree and History shows the merge", async ({ browser }, testInfo) => {
  const database = await freshDatabase(testInfo);
  const a = await newDevice(browser, testInfo);
  const b = await newDevice(browser, testInfo);
  await connect(a.page, { database, user: "alex" });
  await connect(b.page, { database, user: "sam" });
  await createTask(a.page, "Router keeps dropping");
  await synced(a.page);
  await expect(async () => {
    await findInQueue(b.page, "Router keeps");
    await expect(b.page.getByRole("row").filter({ hasText: "Router keeps dropping" })).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await openTask(a.page, "Router keeps dropping");
  await a.page.getByRole("button", { name: "Edit" }).click();
  await fillTask(a.page, { subject: "Router drops every evening" });
  await saved(a.page);
  await expect(a.page.getByRole("status").filter({ hasText: "Offline · 1 change waiting" })).toBeVisible();
  await openTask(b.page, "Router keeps dropping");
  await b.page.getByRole("button", { name: "Edit" }).click();
  await fillTask(b.page, { subject: "Router restarts at night", priority: "High" });
  await saved(b.page);

  await a.context.setOffline(false);
  await synced(a.page);
  await b.context.setOffline(false);
  await synced(b.page);
  // A pulls B's later change on its next round.
  for (const { page } of [a, b]) {
    await expect(page.getByRole("heading", { name: "Router restarts at night" })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText("High", { exact: true })).toBeVisible();
    await page.getByRole("tab", { name: "History" }).click();
    const merge = page.getByText(/^Merged: Alex Novak set subject to “Router drops every evening” on (this device|device \w+) at the same time; this later change replaced it\.$/);
    await expect(merge).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: "Sam Rivera changed" })).toContainText(/arrived from device|on this device/);
  }
  await a.context.close();
  await b.context.close();
});

test("O5: an expired session pauses sync, keeps every change, says to sign in again, and resumes after sign-in", async ({ browser }, testInfo) => {
  const database = await freshDatabase(testInfo);
  const a = await newDevice(browser, testInfo);
  await connect(a.page, { database, user: "alex" });
  // The server's session cookie is gone, as when it expires.
  await a.context.clearCookies();
  await createTask(a.page, "Written after the session ended");
  await expect(a.page.getByRole("status").filter({ hasText: /^Sign in again to sync · \d+ changes? waiting$/ })).toBeVisible({ timeout: 15_000 });
  await a.page.getByRole("link", { name: "Sync details" }).click();
  await a.page.getByLabel("Password").fill("taskdesk-demo");
  await a.page.getByRole("button", { name: "Sign in again" }).click();
  await synced(a.page);
  const docs = await serverChanges(database);
  expect(docs.some((d) => d.fields.some((f) => f.new === "Written after the session ended"))).toBe(true);
  await a.context.close();
});

/** A change document as a script would write one by hand. */
function changeDoc({ stamp, actor, kind = "task", entity, fields }) {
  return { _id: `change:${stamp}`, _rev: `1-${stamp.replace(/\D/g, "").slice(0, 12)}`, type: "change", stamp, actor, kind, entity, fields };
}

test("O5: a forged push by plain HTTP as an agent is refused by the server: another author, or an action the role forbids", async ({}, testInfo) => {
  const database = await freshDatabase(testInfo);
  const alex = "7d000000-0000-7000-8000-000000000001";
  const bea = "7d000000-0000-7000-8000-000000000002";
  const entity = "0190f000-0000-7000-8000-00000000abcd";
  const edit = [{ field: "subject", old: "a", new: "b" }];
  const push = (docs) => couch("POST", `/${database}/_bulk_docs`, { new_edits: false, docs }, "alex");
  const asBea = changeDoc({ stamp: "001795000000001-0000000000-FORGE", actor: bea, entity, fields: edit });
  const deletion = changeDoc({ stamp: "001795000000002-0000000000-FORGE", actor: alex, entity, fields: [{ field: "deleted", old: false, new: true }] });
  const own = changeDoc({ stamp: "001795000000003-0000000000-FORGE", actor: alex, entity, fields: edit });
  const r = await push([asBea, deletion, own]);
  expect(r.status).toBe(201);
  expect(r.json).toEqual([
    { id: asBea._id, error: "forbidden", reason: "This change names another person as its author; you can only push your own changes." },
    { id: deletion._id, error: "forbidden", reason: "An agent is not allowed to delete records." },
  ]);
  const stored = (await serverChanges(database)).map((d) => d._id);
  expect(stored).toContain(own._id);
  expect(stored).not.toContain(asBea._id);
  expect(stored).not.toContain(deletion._id);
  // Editing a stored change, even one's own, is refused too.
  const edited = await push([{ ...own, _rev: "1-999", fields: [{ field: "subject", old: "a", new: "c" }] }]);
  expect(edited.json[0].reason).toBe("A change is never edited or deleted after it is written.");
  const stranger = await couch("GET", `/${database}/_changes`, undefined, "nobody");
  expect(stranger.status).toBe(401);
});

test("O5: a malformed document on the server is reported and skipped; the same change pushed twice applies once; sync goes on", async ({ browser }, testInfo) => {
  const database = await freshDatabase(testInfo);
  const a = await newDevice(browser, testInfo);
  await connect(a.page, { database, user: "alex" });
  const bad = await couch("POST", `/${database}/_bulk_docs`, { new_edits: false, docs: [{ _id: "change:from-a-broken-integration", _rev: "1-1", type: "change", stamp: 12 }] });
  expect(bad.status).toBe(201);
  const task = (await serverChanges(database)).find((d) => d.kind === "task" && d.fields.some((f) => f.field === "subject" && f.old === null));
  const subject = task.fields.find((f) => f.field === "subject").new;
  const rename = changeDoc({
    stamp: `00${Date.now() + 60_000}-0000000000-TWICE`,
    actor: "7d000000-0000-7000-8000-000000000001",
    entity: task.entity,
    fields: [{ field: "subject", old: subject, new: `${subject} (pushed twice)` }],
  });
  for (let i = 0; i < 2; i++) {
    const r = await couch("POST", `/${database}/_bulk_docs`, { new_edits: false, docs: [rename] }, "alex");
    expect(r.json).toEqual([]);
  }
  await expect(a.page.getByRole("status").filter({ hasText: "Synced at" })).toBeVisible();
  await a.page.getByRole("link", { name: "Settings" }).click();
  await expect(a.page.getByRole("list", { name: "What sync skipped" })).toContainText("change:from-a-broken-integration", { timeout: 15_000 });
  await openTask(a.page, `${subject} (pushed twice)`);
  await a.page.getByRole("tab", { name: "History" }).click();
  await expect(a.page.getByRole("listitem").filter({ hasText: `${subject} (pushed twice)` })).toHaveCount(1);
  await a.context.close();
});
