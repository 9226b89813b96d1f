// Takes a screenshot of every screen (wide and 400-pixel side panel) into shots/, for a person to look at.
// Usage: node scripts/screenshots.mjs [baseURL=http://127.0.0.1:8080]  (with the app served)
import { chromium } from "@playwright/test";
import { mkdir } from "node:fs/promises";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
await mkdir("shots", { recursive: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
for (const [width, suffix] of [[1280, ""], [400, "-narrow"]]) {
  const page = await browser.newPage({ viewport: { width, height: 860 } });
  page.on("pageerror", (e) => console.log("page error:", e.message));
  const shot = (name, fullPage = false) => page.screenshot({ path: `shots/${name}${suffix}.png`, fullPage });
  // In a narrow panel the screens past Queue and Customers fold into "More".
  const go = async (name) => {
    const link = page.getByRole("link", { name, exact: true });
    if (!(await link.isVisible())) await page.getByRole("button", { name: "More" }).click();
    await link.click();
  };
  await page.goto(base);
  await page.getByRole("heading", { name: "Queue" }).waitFor();
  await shot("queue");
  await page.getByRole("button", { name: "All tasks" }).click();
  await page.getByRole("row").nth(3).click();
  await page.getByRole("tab", { name: "Details" }).waitFor();
  await shot("task");
  await page.getByRole("tab", { name: "History" }).click();
  await page.getByRole("listitem").first().waitFor();
  await shot("history");
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Subject").fill("");
  await page.getByRole("button", { name: "Save" }).click();
  await shot("task-form-invalid", true);
  await go("Customers");
  await shot("customers");
  await page.getByRole("row").nth(2).click();
  await page.getByRole("heading", { name: "Tasks" }).waitFor();
  await shot("customer");
  await go("Settings");
  await shot("settings");
  await page.getByLabel("Signed in as").selectOption({ label: "Ada Park (Admin)" });
  await go("Fields");
  await page.getByRole("button", { name: "Edit Order number" }).click();
  await shot("fields", true);
  await page.getByLabel("Signed in as").selectOption({ label: "Alex Novak (Agent)" });
  await page.close();
}
await browser.close();
console.log("screenshots in shots/");
