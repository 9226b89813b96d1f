// T11 finding tasks: words from message bodies and customers, and the extra filters.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved } from "./workspace.mjs";

test("T11: search finds words in a message body, and the queue filter narrows the list", async ({ page }) => {
  await openApp(page);
  for (const [n, body] of ["The courier left it at the wrong door.", "Please cancel my order."].entries()) {
    await page.evaluate((e) => window.TaskDesk.app.ingest(e), { id: `MAIL-S${n}`, kind: "email", contact: `buyer${n}@example.net`, subject: `Order question ${n}`, body, queue: "VIP desk" });
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

test("T11: a saved view restores its filters and search after a reload, and can be deleted", async ({ page }) => {
  await openApp(page);
  await page.evaluate((e) => window.TaskDesk.app.ingest(e), { id: "MAIL-V1", kind: "email", contact: "vip@example.net", subject: "Premium line outage", body: "Nothing works since noon.", queue: "VIP desk" });
  await saved(page);
  await page.getByRole("button", { name: "All tasks" }).click();
  await page.getByText("More filters").click();
  await page.getByRole("combobox", { name: "Queue", exact: true }).selectOption({ label: "VIP desk" });
  await page.getByRole("searchbox", { name: "Search tasks" }).fill("outa");
  await expect(page.getByRole("status").filter({ hasText: /^1 tasks$/ })).toBeVisible();

  const views = page.getByRole("group", { name: "Saved views" });
  await views.getByRole("button", { name: "Save view" }).click();
  await expect(views.getByRole("alert")).toHaveText("Give the view a name.");
  await views.getByRole("textbox", { name: "View name" }).fill("VIP outages");
  await views.getByRole("button", { name: "Save view" }).click();
  await expect(views.getByRole("alert")).toHaveText("");
  await saved(page);

  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Search tasks" })).toHaveValue("");
  await views.getByRole("combobox", { name: "Saved view" }).selectOption({ label: "VIP outages" });
  await expect(page.getByRole("searchbox", { name: "Search tasks" })).toHaveValue("outa");
  await expect(page.getByRole("status").filter({ hasText: /^1 tasks$/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /Premium line outage/ })).toBeVisible();

  await views.getByRole("button", { name: "Delete view “VIP outages”" }).click();
  await expect(views.getByRole("combobox", { name: "Saved view" }).getByRole("option", { name: "VIP outages" })).toHaveCount(0);
});
