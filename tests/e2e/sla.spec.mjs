// U1 and S1: each queue's service-level targets, set by an admin, run as a clock on the queue's
// rows and the task's header (near, then past), stop at the first reply, and count in Reports.
// The browser's clock is Playwright's, so no test waits for real time.
import { test, expect } from "./fixtures.mjs";
import { openApp, ingest, saved } from "./workspace.mjs";

test.use({ storageState: "tests/e2e/quiet-center.json" });

test("U1: an admin sets Support's targets; a chat's clock runs on its row and header, turns near then over, and a reply moves it on to resolution; Reports count the targets", async ({ page }) => {
  await page.clock.install({ time: new Date("2026-11-23T09:00:00Z") });
  await openApp(page);
  await page.getByLabel("Signed in as").selectOption({ label: "Ada Park (Admin)" });
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Support: first reply within (minutes)").fill("10");
  await page.getByLabel("Support: resolution within (minutes)").fill("abc");
  await page.getByRole("button", { name: "Save contact center set-up" }).click();
  await expect(page.getByText("The resolution target of Support must be a whole number from 0 to 43200.")).toBeVisible();
  await page.getByLabel("Support: resolution within (minutes)").fill("120");
  await page.getByRole("button", { name: "Save contact center set-up" }).click();
  await expect(page.getByText("Contact center set-up saved.")).toBeVisible();

  const id = await ingest(page, { id: "SLA-1", kind: "chat", contact: "+420 602 000 111", body: "Is my line down?", queue: "Support" });
  await page.evaluate((t) => window.TaskDesk.app.openTask(t), id);
  const header = page.locator(".td-task-title");
  // The page's clock runs on from the install, so a second may have passed.
  await expect(header.locator(".td-sla")).toHaveText(/^First reply due in (10 minutes|9 minutes \d+ seconds?)$/);
  await page.clock.fastForward("08:00");
  await expect(header.locator(".td-sla-near")).toHaveText(/^First reply due in (1 minute|2 minutes)/);
  await page.clock.fastForward("05:00");
  await expect(header.locator(".td-sla-over")).toHaveText(/^First reply overdue by (2|3) minutes/);

  await page.getByRole("link", { name: /^Queue/ }).click();
  await page.getByRole("button", { name: "All open" }).click();
  await page.getByRole("searchbox", { name: "Search tasks" }).fill("line down");
  await expect(page.getByRole("row", { name: /Chat with/ }).locator(".td-sla-over")).toHaveText(/^\d min over$/);

  await page.evaluate((t) => window.TaskDesk.app.openTask(t), id);
  await page.getByLabel("Message").fill("Checking your line now.");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(header.locator(".td-sla")).toHaveText(/^Resolution due in 1 hour (4[5-9]|5\d) minutes$/);
  await page.getByRole("button", { name: "Resolve" }).click();
  await expect(header.locator(".td-sla")).toHaveCount(0);
  await saved(page);

  await page.getByRole("link", { name: "Reports" }).click();
  const totals = page.locator("dl[aria-label=Totals]");
  for (const name of ["First reply within its queue's target", "Resolved within its queue's target"]) {
    await expect(totals.locator("div").filter({ hasText: name }).locator("dd")).toHaveText(/^\d+ % \(\d+ of \d+\)$/);
  }
});
