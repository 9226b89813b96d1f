// T5 call logs: opened ready to edit or to read per the setting; an unknown caller's log is saved
// only once the agent picks or creates the customer.
import { test, expect } from "./fixtures.mjs";
import { ingest, openApp, saved } from "./workspace.mjs";

test("T5: an unknown caller's call log cannot be saved until the agent creates the customer", async ({ page }) => {
  await openApp(page);
  const id = await ingest(page, { id: "CALL-U1", kind: "call", outcome: "no_answer", contact: "+44 20 7946 0999" });
  await page.goto(`/tasks/${id}`);
  const log = page.getByRole("form", { name: "Call log" });
  await expect(log).toContainText("+44 20 7946 0999 (not a known customer)");
  await log.getByLabel("Outcome").selectOption({ label: "Connected" });
  await log.getByLabel("Notes").fill("Asked for a quote for fibre.");
  await log.getByRole("button", { name: "Save call log" }).click();
  await expect(log.getByText("pick the customer, or create one, before saving the call log")).toBeVisible();
  await expect(log.getByLabel("Customer")).toHaveAttribute("aria-invalid", "true");

  await log.getByLabel("Customer").selectOption({ label: "A new customer…" });
  await log.getByLabel("New customer's name").fill("Oliver Grant");
  await log.getByRole("button", { name: "Save call log" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Call log saved." })).toBeVisible();
  const view = page.getByRole("region", { name: "Call log" });
  await expect(view).toContainText("Connected");
  await expect(view).toContainText("Asked for a quote for fibre.");
  await expect(page.getByRole("link", { name: "Oliver Grant", exact: true })).toBeVisible();
  await expect(page.getByText("Resolved", { exact: true }).first()).toBeVisible();
  await saved(page);
  await page.getByRole("link", { name: "Oliver Grant", exact: true }).click();
  await expect(page.getByText("+442079460999")).toBeVisible();
});

test("T5: with the setting off, call logs open to read, and a known caller is already linked", async ({ page }) => {
  await openApp(page);
  await page.getByLabel("Signed in as").selectOption({ label: "Ada Park (Admin)" });
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Open call logs ready to edit").uncheck();
  await saved(page);
  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("row").nth(1).click();
  const phone = (await page.getByRole("definition").filter({ hasText: /^\+\d+/ }).first().textContent()).split(",")[0].trim();
  const name = (await page.getByRole("heading", { level: 1 }).textContent()).trim();
  const id = await ingest(page, { id: "VM-K1", kind: "voicemail", contact: phone, body: "Call me about my bill." });
  await page.goto(`/tasks/${id}`);
  const view = page.getByRole("region", { name: "Call log" });
  await expect(view).toContainText("Call me about my bill.");
  await expect(page.getByRole("form", { name: "Call log" })).toHaveCount(0);
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await view.getByRole("button", { name: "Edit call log" }).click();
  await expect(page.getByRole("form", { name: "Call log" }).getByLabel("Customer")).toHaveCount(0);
});
