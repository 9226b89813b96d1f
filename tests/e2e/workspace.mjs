// Page helpers for the end-to-end journeys: find things by role and name, as a person would.
import { expect } from "@playwright/test";

/** Opens the app and waits until the workspace is loaded (seeding the demo on first start). */
export async function openApp(page, path = "/") {
  await page.goto(path);
  await expect(page.getByRole("link", { name: /^Queue/ })).toBeVisible();
  await expect(page.getByText("Loading your workspace…")).toHaveCount(0);
}

/** Waits until every change is stored on the device. */
export async function saved(page) {
  await expect(page.getByRole("status").filter({ hasText: "Saved on this device" })).toBeVisible();
}

/** Fills and saves the task form. */
export async function fillTask(page, { subject, channel, priority, customer }) {
  if (subject !== undefined) await page.getByLabel("Subject").fill(subject);
  if (channel) await page.getByLabel("Channel").selectOption({ label: channel });
  if (priority) await page.getByLabel("Priority").selectOption({ label: priority });
  if (customer) await page.getByLabel("Customer").selectOption({ label: customer });
  await page.getByRole("button", { name: "Save" }).click();
}

/** Shows every task in the queue and searches for `text`. */
export async function findInQueue(page, text) {
  await page.getByRole("link", { name: /^Queue/ }).click();
  await page.getByRole("button", { name: "All tasks" }).click();
  await page.getByRole("searchbox", { name: "Search tasks" }).fill(text);
}

/** Feeds an interaction event through the host page API and waits until its task is stored
 * (a reload right after would otherwise race the write). Returns the task's id. */
export async function ingest(page, event) {
  const id = await page.evaluate((e) => window.TaskDesk.app.ingest(e), event);
  await saved(page);
  return id;
}

/** Goes to a screen by the main navigation, through "More" where a narrow panel folds it there. */
export async function goTo(scope, name) {
  const link = scope.getByRole("navigation", { name: "Main" }).getByRole("link", { name: new RegExp(`^${name}`) });
  if (!(await link.isVisible())) await scope.getByRole("button", { name: "More" }).click();
  await link.click();
}
