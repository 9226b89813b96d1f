// U1 time zones: a person reads and types times in their own zone (the device's until they pick
// one), the choice survives a reload, and a call booked in winter for a summer date rings at the
// wall time typed. The browser's clock is Playwright's.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved, fillTask } from "./workspace.mjs";

test.use({ timezoneId: "Europe/Prague" });

test("U1: times follow the person's time zone across daylight saving; the choice is theirs and is remembered", async ({ page }) => {
  // 20 March: Prague is still on winter time (UTC+1); the call is for 30 March, on summer time (UTC+2).
  await page.clock.install({ time: new Date("2026-03-20T09:00:00Z") });
  await openApp(page);
  await page.getByRole("button", { name: "New task" }).click();
  await page.getByLabel("Scheduled for").fill("2026-03-30T10:00");
  await page.getByLabel("Reminder (minutes before)").fill("15");
  await fillTask(page, { subject: "Call back Jana after the clocks change", channel: "Call" });
  const subject = page.getByRole("heading", { level: 1, name: "Call back Jana after the clocks change" });
  await expect(subject).toBeVisible();
  await saved(page);
  const main = page.getByRole("main");
  await expect(main).toContainText("30 Mar 2026, 10:00");

  await page.getByRole("link", { name: "Settings" }).click();
  const zone = page.getByLabel("Time zone");
  await expect(zone).toHaveValue("");
  await expect(zone.locator("option:checked")).toHaveText("As this device (Europe/Prague)");
  await zone.selectOption("UTC");
  await saved(page);
  await page.reload();
  await expect(page.getByLabel("Time zone")).toHaveValue("UTC");

  // 10:00 summer time in Prague is 08:00 UTC (with winter time's offset it would read 09:00).
  await page.goBack();
  await expect(subject).toBeVisible();
  await expect(main).toContainText("30 Mar 2026, 08:00");

  // The reminder pops up at 07:45 UTC, 15 minutes before, and names the time in the chosen zone.
  const reminders = page.getByRole("alertdialog", { name: "Reminders" });
  await page.clock.fastForward(new Date("2026-03-30T07:44:00Z") - new Date("2026-03-20T09:00:00Z"));
  await expect(reminders).toHaveCount(0);
  await page.clock.fastForward("01:30");
  await expect(reminders).toBeVisible();
  await expect(reminders).toContainText("scheduled for 30 Mar 2026, 08:00");

  // Back to the device's zone.
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Time zone").selectOption("");
  await page.goBack();
  await expect(main).toContainText("30 Mar 2026, 10:00");
});
