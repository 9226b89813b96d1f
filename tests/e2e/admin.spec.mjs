// Admin settings: the T6 code catalogue and P1 per-user permissions, seen from both sides.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved } from "./workspace.mjs";

async function signInAs(page, label) {
  await page.getByLabel("Signed in as").selectOption({ label });
}

async function openFirstTask(page) {
  await page.getByRole("link", { name: /^Queue/ }).click();
  await page.getByRole("button", { name: "All tasks" }).click();
  await page.getByRole("row").nth(2).click();
  await expect(page.getByRole("tab", { name: "Details" })).toBeVisible();
}

test("T6: an admin adds a code to the catalogue and agents can pick it; system codes cannot be added", async ({ page }) => {
  await openApp(page);
  await signInAs(page, "Ada Park (Admin)");
  await page.getByRole("link", { name: "Settings" }).click();
  const catalogue = page.getByRole("region", { name: "Transaction codes" });
  await catalogue.getByLabel("Code", { exact: true }).fill("AMD");
  await catalogue.getByLabel("Meaning").fill("My own AMD");
  await catalogue.getByRole("button", { name: "Add code" }).click();
  await expect(catalogue.getByRole("alert")).toHaveText("AMD is a system code; only the system adds it.");
  await catalogue.getByLabel("Code", { exact: true }).fill("VIP");
  await catalogue.getByLabel("Meaning").fill("VIP customer");
  await catalogue.getByRole("button", { name: "Add code" }).click();
  await expect(catalogue.getByRole("list", { name: "Code catalogue" })).toContainText("VIP customer");
  await saved(page);

  await signInAs(page, "Alex Novak (Agent)");
  await expect(page.getByRole("region", { name: "Transaction codes" })).toHaveCount(0);
  await openFirstTask(page);
  await page.getByRole("group", { name: "Transaction codes" }).getByRole("checkbox", { name: "VIP customer" }).check();
  await expect(page.locator(".td-codes-shown")).toContainText("VIP customer");
});

test("P1: an admin gives one agent Delete and takes Clone from another; the screens follow", async ({ page }) => {
  await openApp(page);
  await signInAs(page, "Ada Park (Admin)");
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("checkbox", { name: "Bea Costa: Delete" }).check();
  await page.getByRole("checkbox", { name: "Alex Novak: Clone" }).uncheck();
  await expect(page.getByRole("button", { name: "Use role defaults for Bea Costa" })).toBeVisible();
  await saved(page);
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Bea Costa: Delete" })).toBeChecked();

  await signInAs(page, "Bea Costa (Agent)");
  await expect(page.getByRole("region", { name: "Users and permissions" })).toHaveCount(0);
  await openFirstTask(page);
  await expect(page.getByRole("button", { name: "Delete" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Clone" })).toBeVisible();

  await signInAs(page, "Alex Novak (Agent)");
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Clone" })).toHaveCount(0);
});
