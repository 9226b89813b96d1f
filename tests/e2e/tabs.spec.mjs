// O4: tabs of one browser cooperate. A change in one shows in the others at once, a tab with a
// stale view never overwrites another tab's field, one tab syncs and hands over when it closes,
// and a newer version opened in another tab never leaves the old one hanging.
import { test, expect } from "./fixtures.mjs";
import { fillTask, findInQueue, openApp, saved } from "./workspace.mjs";
import { connect, freshDatabase, serverChanges, synced } from "./sync.mjs";

// Two devices, a server and a service worker per journey: room for a slower machine.
test.describe.configure({ timeout: 60_000 });

async function openTask(page, subject) {
  await findInQueue(page, subject);
  await page.getByRole("row").filter({ hasText: subject }).first().click();
  await expect(page.getByRole("heading", { name: subject })).toBeVisible();
}

test("O4: a change in one tab shows in the other at once, and a form left open never writes its old values back", async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  await openApp(a);
  await openApp(b);
  await a.getByRole("button", { name: "New task" }).click();
  await fillTask(a, { subject: "Two tabs, one invoice", channel: "Email" });
  await saved(a);
  // Within a second, without a reload.
  await findInQueue(b, "Two tabs");
  await expect(b.getByRole("row").filter({ hasText: "Two tabs, one invoice" })).toHaveCount(1, { timeout: 1_000 });

  // The reported defect: tab A sets the Subject; tab B, still showing the old task in its form,
  // changes only the Priority and saves.
  await openTask(b, "Two tabs, one invoice");
  await b.getByRole("button", { name: "Edit" }).click();
  await expect(a.getByRole("heading", { name: "Two tabs, one invoice" })).toBeVisible();
  await a.getByRole("button", { name: "Edit" }).click();
  await fillTask(a, { subject: "Two tabs, invoice 1042" });
  await saved(a);
  await expect(b.getByLabel("Subject")).toHaveValue("Two tabs, one invoice");
  await fillTask(b, { priority: "Urgent" });
  await saved(b);
  for (const page of [a, b]) {
    await page.reload();
    await expect(page.getByRole("heading", { name: "Two tabs, invoice 1042" })).toBeVisible();
    await expect(page.getByText("Urgent", { exact: true })).toBeVisible();
  }
  await b.getByRole("tab", { name: "History" }).click();
  const entries = b.getByRole("listitem").filter({ hasText: "changed" });
  await expect(entries).toHaveCount(2);
  await expect(entries.last().getByRole("row", { name: /Priority/ })).toHaveCount(1);
  await expect(entries.last().getByRole("row", { name: /Subject/ })).toHaveCount(0);
});

test("O4: one tab syncs; when it closes another takes over, and every tab shows the sync state", async ({ context }, testInfo) => {
  const database = await freshDatabase(testInfo);
  const first = await context.newPage();
  await openApp(first);
  await connect(first, { database, user: "alex" });
  const second = await context.newPage();
  await openApp(second);
  await expect(second.getByText("Signed in as Alex Novak")).toBeVisible();
  await synced(second);
  await first.close();
  await second.getByRole("button", { name: "New task" }).click();
  await fillTask(second, { subject: "Made after the syncing tab closed", channel: "Chat" });
  await saved(second);
  await synced(second);
  await expect.poll(async () => (await serverChanges(database)).some((d) => d.fields.some((f) => f.new === "Made after the syncing tab closed")), { timeout: 15_000 }).toBe(true);
});

test("O4: a tab that opens a newer version of the data makes the older tab step aside instead of hanging", async ({ context }) => {
  const app = await context.newPage();
  await openApp(app);
  await saved(app);
  const newer = await context.newPage();
  await newer.goto("/favicon.svg");
  const outcome = await newer.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open("taskdesk", 99);
        open.onblocked = () => resolve("blocked");
        open.onsuccess = () => {
          open.result.close();
          resolve("opened");
        };
        open.onerror = () => resolve(`failed: ${open.error}`);
      }),
  );
  expect(outcome).toBe("opened");
  await expect(app.getByRole("alert").filter({ hasText: "A newer version of Taskdesk was opened in another tab" })).toBeVisible();
  await app.reload();
  await expect(app.getByRole("alert").filter({ hasText: "The stored data is from a newer Taskdesk (version 99)" })).toBeVisible();
});
