// The foundation journeys: create, reload, edit with history, customer-linked tasks, validation, resolve.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved, fillTask, findInQueue } from "./workspace.mjs";

test("a new task survives a reload", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "Call back about invoice 1042", channel: "Call", priority: "High" });
  await expect(page.getByRole("heading", { name: "Call back about invoice 1042" })).toBeVisible();
  await saved(page);
  const url = page.url();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Call back about invoice 1042" })).toBeVisible();
  expect(page.url()).toBe(url);
  await findInQueue(page, "invoice 1042");
  await expect(page.getByRole("row").filter({ hasText: "Call back about invoice 1042" })).toHaveCount(1);
});

test("editing a subject shows old and new value with the author in History", async ({ page }) => {
  await openApp(page);
  await page.getByLabel("Signed in as").selectOption({ label: "Bea Costa (Agent)" });
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "Refund request", channel: "Email" });
  await page.getByRole("button", { name: "Edit" }).click();
  await fillTask(page, { subject: "Refund request for order 77" });
  await expect(page.getByRole("heading", { name: "Refund request for order 77" })).toBeVisible();
  await page.getByRole("tab", { name: "History" }).click();
  const edit = page.getByRole("listitem").filter({ hasText: "changed" });
  await expect(edit).toContainText("Bea Costa");
  const row = edit.getByRole("row", { name: /Subject/ });
  await expect(row.getByRole("cell").nth(0)).toHaveText("Refund request");
  await expect(row.getByRole("cell").nth(1)).toHaveText("Refund request for order 77");
  await expect(page.getByRole("listitem").filter({ hasText: "created the task" })).toContainText("Bea Costa");
});

test("a task created from a customer's page is linked to that customer", async ({ page }) => {
  await openApp(page);
  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("searchbox", { name: "Search customers" }).fill("Jana");
  await page.getByRole("link", { name: /^Jana / }).first().click();
  const name = await page.getByRole("heading", { level: 1 }).textContent();
  await page.getByRole("button", { name: "New task" }).click();
  await expect(page.getByLabel("Customer")).toHaveValue(/.+/);
  await fillTask(page, { subject: "Book family appointments", channel: "Other" });
  await expect(page.getByRole("heading", { name: "Book family appointments" })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("table", { name: "Tasks" }).getByRole("row").filter({ hasText: "Book family appointments" })).toHaveCount(1);
});

test("invalid input shows a message and saves nothing", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "All tasks" }).click();
  const before = await page.getByText(/^\d+ tasks$/).textContent();
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "   " });
  await expect(page.getByText("Subject is required: say in a few words what the task is about.")).toBeVisible();
  await expect(page.getByLabel("Subject")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Reminder (minutes before)").fill("15");
  await fillTask(page, { subject: "Valid subject" });
  await expect(page.getByText("A reminder needs a scheduled time to count back from.")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText(before)).toBeVisible();

  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("button", { name: "New customer" }).click();
  await page.getByLabel("Name").fill("Oskar Test");
  await page.getByLabel("Email addresses").fill("not-an-email");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("“not-an-email” is not an email address")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("searchbox", { name: "Search customers" }).fill("Oskar");
  await expect(page.getByText("0 customers")).toBeVisible();
});

test("resolving an email task with the checkmark marks it resolved", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "Customer asks for a copy of the contract", channel: "Email" });
  await page.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByText("Resolved", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Resolve" })).toHaveCount(0);
  await saved(page);
  await page.reload();
  await expect(page.getByText("Resolved", { exact: true })).toBeVisible();
  await page.getByRole("link", { name: /^Queue/ }).click();
  await page.getByRole("button", { name: "All open" }).click();
  await page.getByRole("searchbox", { name: "Search tasks" }).fill("copy of the contract");
  await expect(page.getByText("0 tasks")).toBeVisible();
});

test("call tasks have no checkmark: they resolve when the call connects", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "Missed call from +420 777 000 111", channel: "Call" });
  await expect(page.getByRole("heading", { name: "Missed call from +420 777 000 111" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Resolve" })).toHaveCount(0);
});

test("queue filters by channel and opens a task from the keyboard", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "All tasks" }).click();
  await page.getByLabel("Channel").selectOption({ label: "SMS" });
  const rows = page.getByRole("row").filter({ has: page.getByRole("cell") });
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) expect(text).toContain("SMS");
  await rows.first().focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("tab", { name: "Details" })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Queue" })).toBeVisible();
});

test("the user switcher is remembered across reloads", async ({ page }) => {
  await openApp(page);
  await page.getByLabel("Signed in as").selectOption({ label: "Ada Park (Admin)" });
  await page.reload();
  await expect(page.getByLabel("Signed in as")).toHaveValue(/.+/);
  await expect(page.getByLabel("Signed in as").locator("option:checked")).toHaveText("Ada Park (Admin)");
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("button", { name: "Reset demo workspace" })).toBeEnabled();
});
