// O2: the host adapter. The embedding page supplies the server as two async functions, push and
// pull (here backed by a change log kept by the test, as a CRM's own backend would keep it); two
// devices sync through it, a refusal by the page is kept and shown, and after a reload sync waits
// for the page to hand its functions over again.
import { test, expect } from "./fixtures.mjs";
import { fillTask, findInQueue, openApp, saved } from "./workspace.mjs";
import { synced } from "./sync.mjs";

// Two devices, a server and a service worker per journey: room for a slower machine.
test.describe.configure({ timeout: 60_000 });

/** The host's server: every change in arrival order, a stamp stored once. */
function hostServer() {
  const log = [];
  return {
    log,
    push(changes) {
      return changes.map((c) => {
        if (c.fields.some((f) => f.new === "Refuse me")) return { stamp: c.stamp, error: "The CRM does not take tasks called “Refuse me”." };
        if (!log.some((x) => x.stamp === c.stamp)) log.push(c);
        return { stamp: c.stamp, ok: true };
      });
    },
    pull(cursor, limit) {
      const from = cursor ? Number(cursor) : 0;
      const changes = log.slice(from, from + limit);
      return { changes, cursor: String(from + changes.length), remaining: log.length - from - changes.length };
    },
  };
}

/** A device whose page hands the host's functions to Taskdesk, as an embedding CRM would. */
async function hostDevice(browser, host) {
  const context = await browser.newContext({ storageState: "tests/e2e/quiet-center.json" });
  const page = await context.newPage();
  await page.exposeFunction("crmPush", (changes) => host.push(changes));
  await page.exposeFunction("crmPull", (cursor, limit) => host.pull(cursor, limit));
  await openApp(page);
  await connectHost(page);
  return { context, page };
}

function connectHost(page) {
  return page.evaluate(() => window.TaskDesk.app.configure({ backend: { kind: "host", push: (changes) => window.crmPush(changes), pull: (cursor, limit) => window.crmPull(cursor, limit) } }));
}

test("O2: a host page's push and pull sync two devices; what the page refuses is kept and shown with its reason", async ({ browser }) => {
  const host = hostServer();
  const a = await hostDevice(browser, host);
  const b = await hostDevice(browser, host);
  await synced(a.page);
  await a.page.getByRole("button", { name: "New task" }).click();
  await fillTask(a.page, { subject: "Callback requested through the CRM", channel: "Call" });
  await saved(a.page);
  await expect.poll(() => host.log.some((c) => c.fields.some((f) => f.new === "Callback requested through the CRM")), { timeout: 15_000 }).toBe(true);
  await expect(async () => {
    await findInQueue(b.page, "Callback requested");
    await expect(b.page.getByRole("row").filter({ hasText: "Callback requested through the CRM" })).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  await a.page.getByRole("link", { name: /^Queue/ }).click();
  await a.page.getByRole("button", { name: "New task" }).click();
  await fillTask(a.page, { subject: "Refuse me", channel: "Other" });
  await expect(a.page.getByRole("status").filter({ hasText: "1 change refused by the server" })).toBeVisible({ timeout: 15_000 });
  await a.page.getByRole("link", { name: "Sync details" }).click();
  await expect(a.page.getByRole("list", { name: "Changes the server refused" })).toContainText("The CRM does not take tasks called “Refuse me”.");
  await expect(a.page.getByRole("list", { name: "Changes the server refused" })).toContainText("Refuse me");

  // After a reload the page must hand its functions over again; until then sync says it waits.
  await b.page.reload();
  await expect(b.page.getByRole("status").filter({ hasText: "waiting for the host page" })).toBeVisible({ timeout: 15_000 });
  await connectHost(b.page);
  await synced(b.page);
  await a.context.close();
  await b.context.close();
});

test("O2: a host backend without both functions is refused in plain words", async ({ page }) => {
  await openApp(page);
  const message = await page.evaluate(() => {
    try {
      window.TaskDesk.app.configure({ backend: { kind: "host", push: () => [] } });
      return "accepted";
    } catch (e) {
      return e.message;
    }
  });
  expect(message).toBe("A host backend needs two functions, push(changes) and pull(cursor, limit).");
});
