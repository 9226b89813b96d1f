// S1: team statistics from local data: totals, times, SLA, a chart per day, counts and CSV; offline.
import { test, expect } from "./fixtures.mjs";
import { openApp, saved } from "./workspace.mjs";

test("S1: a supervisor reads the team's figures offline, narrows the range and downloads them as CSV", async ({ page, context }) => {
  await openApp(page);
  await page.getByLabel("Signed in as").selectOption({ label: "Sam Rivera (Supervisor)" });
  await context.setOffline(true);
  await page.getByRole("link", { name: "Reports" }).click();
  const totals = page.getByRole("definition").first();
  await expect(totals).not.toHaveText("0");
  const created = Number(await totals.textContent());
  expect(created).toBeGreaterThan(10);
  await expect(page.getByRole("img", { name: /^Tasks created and resolved per day: / })).toBeVisible();
  for (const name of ["By channel", "By agent", "By queue", "By hashtag", "By transaction code"]) {
    await expect(page.getByRole("heading", { name })).toBeVisible();
  }
  await expect(page.getByRole("region", { name: "By channel" }).getByRole("rowheader", { name: "Email" })).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const file = await download;
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8"));
  expect(text.startsWith("section,name,value\r\n")).toBe(true);
  expect(text).toContain(`totals,created,${created}\r\n`);

  // A range with nothing in it.
  await page.getByRole("textbox", { name: "From", exact: true }).fill("2020-01-01");
  await page.getByRole("textbox", { name: "From", exact: true }).dispatchEvent("change");
  await page.getByRole("textbox", { name: "To", exact: true }).fill("2020-01-02");
  await page.getByRole("textbox", { name: "To", exact: true }).dispatchEvent("change");
  await expect(page.getByRole("definition").first()).toHaveText("0");
  await context.setOffline(false);
});

test("S1: agents do not see Reports", async ({ page }) => {
  await openApp(page);
  await expect(page.getByRole("link", { name: "Reports" })).toHaveCount(0);
  await saved(page);
});
