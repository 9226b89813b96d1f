// T6 transaction codes: chosen by the agent, shown comma-separated, kept in the customer's record.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved, fillTask } from "./workspace.mjs";

test("T6: an agent selects codes after a call and they appear on the task and in the customer record", async ({ page }) => {
  await openApp(page);
  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("link", { name: /^Petr / }).first().click();
  const name = (await page.getByRole("heading", { level: 1 }).textContent()).trim();
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "Outbound call about renewal", channel: "Call" });
  const codes = page.getByRole("group", { name: "Transaction codes" });
  await expect(codes).toContainText("None yet.");
  await expect(codes.getByRole("checkbox", { name: /Answer machine detected/ })).toHaveCount(0);
  await codes.getByRole("checkbox", { name: "Sale made" }).check();
  await codes.getByRole("checkbox", { name: "Callback promised" }).check();
  await expect(codes.locator(".td-codes-shown")).toHaveText("Sale made, Callback promised");
  await saved(page);
  const number = (await page.getByTestId("task-number").textContent()).trim();
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("list", { name: "Transaction codes" }).getByRole("listitem").filter({ hasText: number })).toContainText("Sale made, Callback promised");
});
