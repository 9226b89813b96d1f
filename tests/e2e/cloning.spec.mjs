// T8 cloning, as an agent and a supervisor would click it.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved, fillTask, findInQueue } from "./workspace.mjs";

const detail = (page, label) => page.getByRole("term").filter({ hasText: label }).locator("xpath=following-sibling::dd");

test("T8: clones keep the transaction id, link to one parent level, and survive the parent's deletion", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "Dental appointment for the Novak family", channel: "Other", priority: "High" });
  const parentNumber = (await page.getByTestId("task-number").textContent()).trim();
  const transaction = await detail(page, "Transaction ID").textContent();

  await page.getByRole("button", { name: "Clone" }).click();
  await expect(page.getByText(/^Cloned as /)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Dental appointment for the Novak family" })).toBeVisible();
  const firstClone = (await page.getByTestId("task-number").textContent()).trim();
  expect(firstClone).not.toBe(parentNumber);
  await expect(page.getByRole("link", { name: parentNumber })).toBeVisible();
  await expect(detail(page, "Transaction ID")).toHaveText(transaction);
  await expect(page.getByText("High", { exact: true })).toBeVisible();

  // Cloning a clone makes a sibling under the same parent.
  await page.getByRole("button", { name: "Clone" }).click();
  const secondClone = (await page.getByTestId("task-number").textContent()).trim();
  expect(secondClone).not.toBe(firstClone);
  await expect(page.getByRole("link", { name: parentNumber })).toBeVisible();
  await page.getByRole("tab", { name: "History" }).click();
  await expect(page.getByRole("row", { name: new RegExp(`Cloned from\\s+${parentNumber}`) })).toBeVisible();

  // The parent's History tab lists its clones.
  await page.getByRole("link", { name: parentNumber }).click();
  await page.getByRole("tab", { name: "History" }).click();
  const clones = page.getByRole("list", { name: "Clones" });
  await expect(clones.getByRole("link")).toHaveText([firstClone, secondClone]);

  // A supervisor deletes the parent after a warning; the child still names it, without a link.
  await page.getByLabel("Signed in as").selectOption({ label: "Sam Rivera (Supervisor)" });
  page.once("dialog", async (dialog) => {
    expect(dialog.message()).toContain("permanently deleted");
    await dialog.accept();
  });
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("The task was deleted.")).toBeVisible();
  await saved(page);
  await findInQueue(page, firstClone);
  await page.getByRole("link", { name: firstClone }).click();
  await expect(page.getByText(`Clone of ${parentNumber} (deleted)`)).toBeVisible();
  await expect(page.getByRole("link", { name: parentNumber })).toHaveCount(0);
  await page.getByRole("tab", { name: "History" }).click();
  await expect(page.getByRole("row", { name: new RegExp(`Cloned from\\s+${parentNumber}`) })).toBeVisible();
});

test("T8 and P1: agents see Clone but no Delete button", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "All tasks" }).click();
  await page.getByRole("row").nth(2).click();
  await expect(page.getByRole("button", { name: "Clone" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
});
