// R1-R5: the simulated contact center routes live traffic; offers with countdown and "Why me?";
// the supervisor's board; one tab routes at a time.
import { test, expect } from "@playwright/test";
import { openApp } from "./workspace.mjs";

/** Opens the app with the simulated traffic flowing at `speed` times real time. */
async function openLive(page, speed) {
  await page.addInitScript((s) => localStorage.setItem("taskdesk.simulator", s), String(speed));
  await openApp(page);
  await expect(page.getByRole("status").filter({ hasText: "Routing in this tab" })).toBeVisible();
}

test("R3/R4: an available agent gets an offer with a countdown, sees why, and accepts it", async ({ page }) => {
  await openLive(page, 60);
  await page.getByRole("combobox", { name: "Presence" }).selectOption({ label: "Available" });
  const offer = page.getByRole("alertdialog", { name: "New offer" }).first();
  await expect(offer).toBeVisible({ timeout: 20_000 });
  await expect(offer.getByRole("timer")).toHaveText(/Answer within \d+ s/);
  await offer.getByRole("button", { name: "Why me?" }).click();
  await expect(offer.getByText(/needed|any agent/).first()).toBeVisible();
  await expect(offer.getByText(/You had been idle \d+ (ms|s)/)).toBeVisible();
  const subject = (await offer.locator("strong").textContent()).trim();
  await page.getByRole("combobox", { name: "Presence" }).selectOption({ label: "Busy" });
  await expect(page.getByRole("alertdialog", { name: "New offer" })).toHaveCount(0);
  await page.getByRole("combobox", { name: "Presence" }).selectOption({ label: "Available" });
  const next = page.getByRole("alertdialog", { name: "New offer" }).first();
  await expect(next).toBeVisible({ timeout: 20_000 });
  const accepted = (await next.locator("strong").textContent()).trim();
  await next.getByRole("button", { name: "Accept" }).click();
  await page.getByRole("combobox", { name: "Presence" }).selectOption({ label: "Busy" });
  await page.getByRole("button", { name: "My tasks" }).click();
  await expect(page.getByRole("row", { name: new RegExp(accepted.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).first()).toBeVisible();
  expect(subject.length).toBeGreaterThan(0);
});

test("R5/S: the supervisor's live board shows queues and agents, and traffic can be paused", async ({ page }) => {
  await openLive(page, 60);
  await page.getByLabel("Signed in as").selectOption({ label: "Sam Rivera (Supervisor)" });
  await page.getByRole("link", { name: "Live board" }).click();
  const queues = page.getByRole("region", { name: "Queues" });
  await expect(queues.getByRole("rowheader", { name: "Billing" })).toBeVisible();
  const agents = page.getByRole("region", { name: "Agents" });
  await expect(agents.getByRole("row", { name: /Dana Kim Available/ })).toBeVisible();
  // Colleagues take work: some agent holds a task within a few seconds of simulated traffic.
  await expect(agents.getByRole("cell", { name: /^[1-9]\/\d$/ }).first()).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: "Pause traffic" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Traffic paused" })).toBeVisible();
  await page.getByRole("button", { name: "Resume traffic" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Traffic flowing" })).toBeVisible();
});

test("R4: only one tab routes; when it closes, the other takes over", async ({ context }) => {
  const first = await context.newPage();
  await openLive(first, 1);
  const second = await context.newPage();
  await second.addInitScript(() => localStorage.setItem("taskdesk.simulator", "1"));
  await openApp(second);
  await expect(second.getByRole("status").filter({ hasText: "Routing runs in another tab" })).toBeVisible();
  await expect(first.getByRole("status").filter({ hasText: "Routing in this tab" })).toBeVisible();
  await first.close();
  await expect(second.getByRole("status").filter({ hasText: "Routing in this tab" })).toBeVisible();
});
