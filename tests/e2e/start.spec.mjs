// First paint (issue 13): before the wasm has arrived, the page already shows Taskdesk's frame and
// a loading state (static markup, no script, so under the strict CSP); it gives way to the app,
// and a wasm that cannot be fetched is said in plain words instead of a blank page.
import { test, expect } from "./fixtures.mjs";

test("first paint: the frame and a loading state show while the wasm loads, then the app replaces them", async ({ page }) => {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  await page.route(/\.wasm$/, async (route) => {
    await gate;
    await route.continue();
  });
  const violations = [];
  page.on("console", (m) => m.text().includes("Content Security Policy") && violations.push(m.text()));
  await page.goto("/", { waitUntil: "commit" });
  const loading = page.getByRole("status").filter({ hasText: "Loading Taskdesk…" });
  await expect(loading).toBeVisible();
  await expect(page.getByRole("banner")).toContainText("Taskdesk");
  release();
  await expect(page.getByRole("heading", { level: 1, name: "Queue" })).toBeVisible();
  await expect(loading).toHaveCount(0);
  expect(violations).toEqual([]);
});

test("first paint: a wasm that cannot be fetched is told in plain words, not a blank page", async ({ page }) => {
  await page.route(/\.wasm$/, (route) => route.abort("connectionfailed"));
  await page.goto("/");
  await expect(page.getByRole("status")).toContainText("Taskdesk could not start");
  await expect(page.getByRole("status")).toContainText("Check the connection, then reload the page.");
});
