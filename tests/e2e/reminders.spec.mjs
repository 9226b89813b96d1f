// T4 reminders: they pop up the chosen minutes before a scheduled call, fire offline, survive a
// reload, and one missed while the app was closed shows as past due at the next start. The
// browser's clock is Playwright's, so no test waits for real time.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved, fillTask } from "./workspace.mjs";

test.use({ timezoneId: "UTC" });

async function scheduleCall(page, subject, at, minutes) {
  await page.getByRole("link", { name: /^Queue/ }).click();
  await page.getByRole("button", { name: "New task" }).click();
  await page.getByLabel("Scheduled for").fill(at);
  await page.getByLabel("Reminder (minutes before)").fill(minutes);
  await fillTask(page, { subject, channel: "Call" });
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await saved(page);
}

test("T4: a reminder pops up its minutes before the call, fires offline, survives a reload and stays dismissed", async ({ page, context }) => {
  await page.clock.install({ time: new Date("2026-11-23T09:00:00Z") });
  await openApp(page);
  await scheduleCall(page, "Call back Jana about the contract", "2026-11-23T09:30", "10");
  const reminders = page.getByRole("alertdialog", { name: "Reminders" });
  await expect(reminders).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Call back Jana about the contract" })).toBeVisible();
  await context.setOffline(true);
  await page.clock.fastForward("19:00");
  await expect(reminders).toHaveCount(0);
  await page.clock.fastForward("01:30");
  await expect(reminders).toBeVisible();
  await expect(reminders).toContainText("Call back Jana about the contract");
  await expect(reminders).toContainText("scheduled for 23 Nov 2026, 09:30");
  await expect(reminders).not.toContainText("Past due");

  await reminders.getByRole("button", { name: /^Dismiss reminder for .* Call back Jana/ }).click();
  await expect(reminders).toHaveCount(0);
  await saved(page);
  await context.setOffline(false);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Call back Jana about the contract" })).toBeVisible();
  await page.clock.fastForward("00:10");
  await expect(reminders).toHaveCount(0);
});

test("T4: a reminder missed while the app was closed shows as past due at the next start, with a system notification", async ({ page }) => {
  await page.addInitScript(() => {
    // Stands in for the system notification centre, with permission already given.
    window.__notifications = [];
    function FakeNotification(title, options) {
      window.__notifications.push(`${title}: ${options && options.body}`);
    }
    FakeNotification.permission = "granted";
    FakeNotification.requestPermission = async () => "granted";
    window.Notification = FakeNotification;
  });
  await page.clock.install({ time: new Date("2026-11-23T09:00:00Z") });
  await openApp(page);
  await scheduleCall(page, "Confirm the engineer visit", "2026-11-23T09:10", "5");

  await page.goto("about:blank");
  await page.clock.fastForward("01:00:00");
  await openApp(page);
  const reminders = page.getByRole("alertdialog", { name: "Reminders" });
  await expect(reminders).toContainText("Past due: Confirm the engineer visit");
  await expect.poll(() => page.evaluate(() => window.__notifications)).toEqual([expect.stringMatching(/^Past due: Confirm the engineer visit \(.+\), scheduled for 23 Nov 2026, 09:10$/)]);

  await reminders.getByRole("button", { name: /^Open .* Confirm the engineer visit/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Confirm the engineer visit" })).toBeVisible();
});
