// U1: every screen, in light and dark, at 1280 and at 400 pixels: axe-core finds no violation
// (WCAG 2.2 A and AA rules) and the page never scrolls sideways. The theme is chosen in Settings
// as a person would, and survives a reload.
import { test, expect } from "./fixtures.mjs";
import { readFileSync } from "node:fs";
import { goTo, ingest, openApp } from "./workspace.mjs";

const AXE = readFileSync("node_modules/axe-core/axe.min.js", "utf8");
test.use({ storageState: "tests/e2e/quiet-center.json" });

/** axe-core's violations on the page as it is, each with where. */
async function violations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`);
  });
}

const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const theme of ["Light", "Dark"]) {
  for (const width of [1280, 400]) {
    test(`U1: every screen at ${width} pixels in ${theme.toLowerCase()}: no axe violation, no sideways scrolling`, async ({ page }) => {
      test.setTimeout(90_000);
      await page.setViewportSize({ width, height: 860 });
      await openApp(page);
      await page.getByLabel("Signed in as").selectOption({ label: "Ada Park (Admin)" });
      // A narrow panel folds the screens past Queue and Customers into "More"; a wide one shows them all.
      await expect(page.getByRole("button", { name: "More" })).toBeVisible({ visible: width === 400 });
      await expect(page.getByRole("link", { name: "Reports" })).toBeVisible({ visible: width === 1280 });
      await goTo(page, "Settings");
      await page.getByRole("combobox", { name: "Theme" }).selectOption({ label: theme });
      await page.reload();
      await expect(page.locator(".td-app")).toHaveAttribute("data-theme", theme.toLowerCase());
      await expect(page.getByRole("combobox", { name: "Theme" })).toHaveValue(theme.toLowerCase());
      const id = await ingest(page, { id: `SCREENS-${theme}-${width}`, kind: "email", contact: "jana.dvorak@example.com", subject: "Screens check", body: "Hello", html: "<p>Hello <b>there</b></p>" });

      const found = [];
      const check = async (name) => {
        const wide = await sideways(page);
        if (wide > 0) found.push(`${name}: the page scrolls sideways by ${wide} px`);
        for (const v of await violations(page)) found.push(`${name}: ${v}`);
      };
      for (const [link, heading] of [["Queue", "Queue"], ["Customers", "Customers"], ["Fields", "Fields"], ["Live board", "Live board"], ["Reports", "Reports"], ["Settings", "Settings"]]) {
        await goTo(page, link);
        await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
        await check(heading);
      }
      await page.evaluate((t) => window.TaskDesk.app.openTask(t), id);
      await expect(page.getByRole("heading", { level: 1, name: "Screens check" })).toBeVisible();
      await expect(page.frameLocator("iframe.td-email-frame").getByText("Hello there")).toBeVisible();
      await check("Task");
      await page.getByRole("tab", { name: "History" }).click();
      await check("History");
      await page.getByRole("button", { name: "Edit" }).click();
      await check("Edit task");
      await goTo(page, "Queue");
      await page.getByRole("button", { name: "New task" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "New task" })).toBeVisible();
      await page.getByRole("button", { name: "Save" }).click();
      await check("New task with problems");
      await goTo(page, "Customers");
      await page.locator("main tr[tabindex='0']").first().click();
      await check("Customer");
      await page.getByRole("button", { name: "Edit" }).click();
      await check("Edit customer");
      await goTo(page, "Customers");
      await page.getByRole("button", { name: "New customer" }).click();
      await check("New customer");
      await page.keyboard.press("Control+k");
      await page.keyboard.type("jana");
      await check("Command palette");
      await page.keyboard.press("Escape");
      await page.locator("main h1").click();
      await page.keyboard.press("?");
      await check("Shortcuts");
      expect(found).toEqual([]);
    });
  }
}
