// C1 and U1: one person is one customer. A phone number or email another customer already has
// is caught before saving, with the way to open that customer; the task form's queue is chosen.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved } from "./workspace.mjs";

test.use({ storageState: "tests/e2e/quiet-center.json" });

test("C1: a new customer with someone's phone number is caught: open that customer, or save anyway", async ({ page }) => {
  await openApp(page);
  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("button", { name: "New customer" }).click();
  await page.getByLabel("Name").fill("J. Dvorak");
  await page.getByLabel("Phone numbers").fill("777 123 456");
  await page.getByRole("button", { name: "Save" }).click();
  const warning = page.getByRole("alert").filter({ hasText: "already has" });
  await expect(warning).toHaveText(/Jana Dvorak already has this phone number or email address/);
  await expect(page.getByRole("heading", { level: 1, name: "New customer" })).toBeVisible();
  await warning.getByRole("button", { name: "Open Jana Dvorak" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Jana Dvorak" })).toBeVisible();

  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("button", { name: "New customer" }).click();
  await page.getByLabel("Name").fill("Jana Dvorak (office)");
  await page.getByLabel("Email addresses").fill("JANA.DVORAK@example.com");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("button", { name: "Save anyway" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Jana Dvorak (office)" })).toBeVisible();
  await saved(page);
});

test("U1: the task form's queue is chosen from the workspace's queues", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "New task" }).click();
  const queue = page.getByRole("combobox", { name: "Queue" });
  await expect(queue.getByRole("option")).toHaveText(["No queue", "Billing", "Support", "Sales", "Retention"]);
  await page.getByLabel("Subject").fill("Router replacement");
  await queue.selectOption({ label: "Billing" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Router replacement" })).toBeVisible();
  await expect(page.getByText("Billing").first()).toBeVisible();
});
