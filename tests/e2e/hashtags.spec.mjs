// T7 hashtags: added as typed, normalised, suggested from those in use, removed, kept across a reload.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved, fillTask } from "./workspace.mjs";

test("T7: an agent tags a task's outcome with hashtags", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "Parcel arrived damaged", channel: "Chat" });
  const tags = page.getByRole("list", { name: "Hashtags" });
  await expect(tags).toContainText("No hashtags yet.");
  const suggestions = await page.locator("#hashtag-suggestions option").evaluateAll((os) => os.map((o) => o.value));
  // The demo's resolved tasks carry hashtags; those in use are offered as suggestions.
  expect(suggestions.length).toBeGreaterThan(2);
  for (const s of suggestions) expect(s).toMatch(/^#[a-z0-9_-]+$/);

  await page.getByLabel("Add hashtags").fill("#Refund vip");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(tags.getByRole("listitem")).toHaveText(["#refund×", "#vip×"]);

  await page.getByLabel("Add hashtags").fill("#re/fund");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "cannot be a hashtag" })).toBeVisible();
  await expect(tags.getByRole("listitem")).toHaveCount(2);

  await page.getByRole("button", { name: "Remove #vip" }).click();
  await expect(tags.getByRole("listitem")).toHaveText(["#refund×"]);
  await saved(page);
  await page.reload();
  await expect(page.getByRole("list", { name: "Hashtags" }).getByRole("listitem")).toHaveText(["#refund×"]);
  await page.getByRole("tab", { name: "History" }).click();
  await expect(page.getByRole("row", { name: /Hashtags\s+#refund, #vip\s+#refund$/ })).toBeVisible();
});

test("T7: when an admin makes a hashtag mandatory, resolving without one explains why it cannot", async ({ page }) => {
  await openApp(page);
  await page.getByRole("link", { name: "Settings" }).click();
  const setting = page.getByRole("checkbox", { name: "Require at least one hashtag to resolve a task" });
  await expect(setting).toBeDisabled();
  await page.getByLabel("Signed in as").selectOption({ label: "Ada Park (Admin)" });
  await setting.check();
  await saved(page);
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Require at least one hashtag to resolve a task" })).toBeChecked();

  await page.getByLabel("Signed in as").selectOption({ label: "Alex Novak (Agent)" });
  await page.getByRole("link", { name: /^Queue/ }).click();
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "Wrong size delivered", channel: "Email" });
  await page.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Add at least one hashtag before resolving" })).toBeVisible();
  await expect(page.getByText("Open", { exact: true })).toBeVisible();
  await page.getByLabel("Add hashtags").fill("#exchange");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByText("Resolved", { exact: true })).toBeVisible();
});
