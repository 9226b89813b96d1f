// T11 finding tasks: words from message bodies and customers, and the extra filters.
import { test, expect } from "@playwright/test";
import { openApp, saved } from "./workspace.mjs";

test("T11: search finds words in a message body, and the queue filter narrows the list", async ({ page }) => {
  await openApp(page);
  for (const [n, body] of ["The courier left it at the wrong door.", "Please cancel my order."].entries()) {
    await page.evaluate((e) => window.Taskdesk.ingest(e), { id: `MAIL-S${n}`, kind: "email", contact: `buyer${n}@example.net`, subject: `Order question ${n}`, body, queue: "VIP desk" });
  }
  await saved(page);
  await page.reload();
  await page.getByRole("button", { name: "All tasks" }).click();
  const search = page.getByRole("searchbox", { name: "Search tasks" });
  await search.fill("wrong door");
  await expect(page.getByRole("row", { name: /Order question 0/ })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /^1 tasks$/ })).toBeVisible();
  await search.fill("");

  await page.getByText("More filters").click();
  await page.getByRole("combobox", { name: "Queue", exact: true }).selectOption({ label: "VIP desk" });
  await expect(page.getByRole("status").filter({ hasText: /^2 tasks$/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /Order question 1/ })).toBeVisible();
  await page.getByRole("combobox", { name: "Assignee" }).selectOption({ label: "Alex Novak" });
  await expect(page.getByRole("status").filter({ hasText: /^0 tasks$/ })).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^2 tasks$/ })).toHaveCount(0);
});
