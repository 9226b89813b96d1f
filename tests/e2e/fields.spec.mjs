// F1 custom fields: the admin's Fields screen, the task form that shows and checks them, type changes.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved, fillTask } from "./workspace.mjs";

async function signInAs(page, label) {
  await page.getByLabel("Signed in as").selectOption({ label });
}

test("F1: agents cannot open the Fields screen", async ({ page }) => {
  await openApp(page);
  await signInAs(page, "Alex Novak (Agent)");
  await expect(page.getByRole("link", { name: "Fields" })).toHaveCount(0);
  await page.goto("/settings/fields");
  await expect(page.getByRole("heading", { name: "Fields" })).toBeVisible();
  await expect(page.getByText("Only users allowed to manage fields can open this screen.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Add field" })).toHaveCount(0);
});

test("F1: an admin adds a field, the task form validates it inline, and it shows only on its channel", async ({ page }) => {
  await openApp(page);
  await signInAs(page, "Ada Park (Admin)");
  await page.getByRole("link", { name: "Fields" }).click();
  await page.getByRole("button", { name: "Add field" }).click();
  const form = page.getByRole("form", { name: "New field" });
  await form.getByRole("button", { name: "Save field" }).click();
  await expect(form.getByLabel("Key")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("The label is required")).toBeVisible();
  await form.getByLabel("Key").fill("warranty_code");
  await form.getByLabel("Label").fill("Warranty code");
  await form.getByLabel("Required").check();
  await form.getByLabel("Pattern").fill("W[0-9]{3}");
  await form.getByLabel("Help text").fill("Printed on the warranty card, like W123.");
  await form.getByRole("group", { name: "Shown on" }).getByRole("checkbox", { name: "Email" }).check();
  await form.getByRole("button", { name: "Save field" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Field “Warranty code” saved." })).toBeVisible();
  await expect(page.getByRole("row", { name: /Warranty code/ })).toContainText("Email");
  await saved(page);

  await page.getByRole("link", { name: /^Queue/ }).click();
  await page.getByRole("button", { name: "New task" }).click();
  await page.getByLabel("Channel").selectOption({ label: "Chat" });
  await expect(page.getByLabel("Warranty code (required)")).toHaveCount(0);
  await page.getByLabel("Channel").selectOption({ label: "Email" });
  const field = page.getByLabel("Warranty code (required)");
  await expect(field).toBeVisible();
  await fillTask(page, { subject: "Broken kettle" });
  await expect(page.getByText("Warranty code is required.")).toBeVisible();
  await field.fill("X1");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("“X1” does not have the form Warranty code needs.")).toBeVisible();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await field.fill("W123");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Broken kettle" })).toBeVisible();
  await expect(page.getByRole("term").filter({ hasText: "Warranty code" })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: "W123" })).toBeVisible();
  await saved(page);

  // Retiring hides it from forms and keeps the value on the task.
  const url = page.url();
  await page.getByRole("link", { name: "Fields" }).click();
  await page.getByRole("button", { name: "Retire Warranty code" }).click();
  await expect(page.getByRole("row", { name: /Warranty code/ })).toContainText("Retired");
  await saved(page);
  await page.goto(url);
  await expect(page.getByRole("term").filter({ hasText: "Warranty code (retired)" })).toBeVisible();
  await page.getByRole("button", { name: "Edit" }).first().click();
  await expect(page.getByLabel("Warranty code (required)")).toHaveCount(0);
});

test("F1: a type change that would lose values is refused with the reason and the count", async ({ page }) => {
  await openApp(page);
  await signInAs(page, "Ada Park (Admin)");
  await page.getByRole("link", { name: "Fields" }).click();
  // The demo's Order number holds values like ORD-1042, which are not numbers.
  const row = page.getByRole("row", { name: /Order number/ });
  const used = (await row.getByRole("cell").nth(4).textContent()).trim();
  const count = parseInt(used, 10);
  expect(count).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Edit Order number" }).click();
  const form = page.getByRole("form", { name: /Edit “Order number”/ });
  await form.getByLabel("Type").selectOption({ label: "Number" });
  await form.getByRole("button", { name: "Save field" }).click();
  const alert = form.getByRole("alert");
  await expect(alert).toContainText(`“Order number” cannot change from Text to Number: ${count} ${count === 1 ? "task holds a value" : "tasks hold values"}`);
  await expect(alert).toContainText("is not a number");
  await expect(alert).toContainText("Nothing was changed.");
  await form.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toContainText("Text");

  // A lossless change goes through and converts every stored value: one product becomes a list of one.
  const product = page.getByRole("row", { name: /Product/ });
  const products = parseInt((await product.getByRole("cell").nth(4).textContent()).trim(), 10);
  expect(products).toBeGreaterThan(1);
  await page.getByRole("button", { name: "Edit Product" }).click();
  await page.getByRole("form", { name: /Edit “Product”/ }).getByLabel("Type").selectOption({ label: "Multi select" });
  await page.getByRole("button", { name: "Save field" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Field “Product” saved; values on ${products} tasks were converted.` })).toBeVisible();
  await expect(product).toContainText("Multi select");
  await saved(page);
  // The converted values survive a reload (they were stored with the field in one transaction).
  await page.reload();
  await expect(page.getByRole("row", { name: /Product/ })).toContainText(`${products} tasks`);
});
