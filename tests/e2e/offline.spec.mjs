// O1: the offline shell. A reload with the network off shows the app on any deep link with all
// its data; the app can be installed; a new build waits for the person's "Reload".
import { test, expect } from "./fixtures.mjs";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fillTask, openApp, saved } from "./workspace.mjs";
import { freePort } from "../../scripts/sync-server.mjs";

// Two devices, a server and a service worker per journey: room for a slower machine.
test.describe.configure({ timeout: 60_000 });

/** Waits until the service worker controls the page (it claims it once installed). */
async function offlineReady(page) {
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker?.controller)), { timeout: 20_000 }).toBe(true);
}

test("O1: with the network off, a reload shows the app on a deep link, with all data", async ({ page, context }) => {
  await openApp(page);
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "Made before the network went down", channel: "SMS" });
  await expect(page.getByRole("heading", { name: "Made before the network went down" })).toBeVisible();
  await saved(page);
  const taskUrl = page.url();
  await offlineReady(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Made before the network went down" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /^Offline/ })).toBeVisible();
  for (const [path, heading] of [["/customers", "Customers"], ["/settings", "Settings"], [new URL(taskUrl).pathname, "Made before the network went down"]]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
  }
  // Work goes on offline, and survives another reload.
  await page.getByRole("link", { name: /^Queue/ }).click();
  await page.getByRole("button", { name: "New task" }).click();
  await fillTask(page, { subject: "Written while offline", channel: "Other" });
  await saved(page);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Written while offline" })).toBeVisible();
  await context.setOffline(false);
});

test("O1: the app can be installed: a manifest with a name, an icon and a start address", async ({ page }) => {
  await openApp(page);
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await page.evaluate(async (h) => (await fetch(h)).json(), href);
  expect(manifest).toMatchObject({ name: "Taskdesk", start_url: "/", display: "standalone" });
  expect(manifest.icons.length).toBeGreaterThan(0);
});

test("O1: a new build waits: the page says a new version is ready and reloads only on Reload", async ({ browser }) => {
  // A deployment of our own, so a second build can be put in its place.
  const site = mkdtempSync(join(tmpdir(), "taskdesk-deploy-"));
  cpSync("dist", site, { recursive: true });
  const port = await freePort();
  const server = spawn("node", ["scripts/serve.mjs", site, String(port)], { stdio: "ignore" });
  try {
    const context = await browser.newContext({ storageState: "tests/e2e/quiet-center.json" });
    const page = await context.newPage();
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.ok ?? false).toBe(true);
    await openApp(page, `http://127.0.0.1:${port}/`);
    await offlineReady(page);
    await page.evaluate(() => (window.stillTheSamePage = true));

    // Deploy a new build: a new service worker with a new build id.
    const worker = join(site, "sw.js");
    writeFileSync(worker, readFileSync(worker, "utf8").replace(/^const BUILD = "(\w+)";$/m, 'const BUILD = "$1next";'));
    // The app checks for a new build whenever it is shown again (and every half hour).
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await expect(page.getByRole("status").filter({ hasText: "A new version is ready." })).toBeVisible({ timeout: 20_000 });
    await page.waitForTimeout(1_000);
    expect(await page.evaluate(() => window.stillTheSamePage)).toBe(true);

    await Promise.all([page.waitForEvent("framenavigated", { timeout: 20_000 }), page.getByRole("button", { name: "Reload" }).click()]);
    await page.waitForLoadState("load");
    expect(await page.evaluate(() => window.stillTheSamePage ?? false)).toBe(false);
    await expect(page.getByRole("link", { name: /^Queue/ })).toBeVisible();
    await expect(page.getByText("A new version is ready.")).toHaveCount(0);
    expect(await page.evaluate(async () => (await caches.keys()).some((k) => k.endsWith("next")))).toBe(true);
    await context.close();
  } finally {
    server.kill();
    rmSync(site, { recursive: true, force: true });
  }
});
