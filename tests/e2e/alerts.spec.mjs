// U1: offers reach an agent who is looking elsewhere: announced without taking focus, one key
// away, counted in the tab's title, a system notification while the tab is hidden, an optional
// sound; Accept opens the task.
import { test, expect } from "./fixtures.mjs";
import { openApp, ingest } from "./workspace.mjs";

test.use({ storageState: "tests/e2e/quiet-center.json" });

test("U1: an offer is announced, counted in the title, notified while the tab is hidden, chimes when chosen, and Accept opens its task", async ({ page, context }) => {
  // The browser's notifications and sound, recorded: the page believes it may notify.
  // Traffic flows (the router offers the waiting work as soon as the agent is available).
  await page.addInitScript(() => localStorage.setItem("taskdesk.simulator", "60"));
  await page.addInitScript(() => {
    window.shown = [];
    window.chimes = 0;
    window.Notification = class {
      static permission = "granted";
      static requestPermission() { return Promise.resolve("granted"); }
      constructor(title, options) { window.shown.push({ title, body: options?.body }); }
      set onclick(f) { window.lastClick = f; }
    };
    window.AudioContext = class extends window.AudioContext { constructor() { super(); window.chimes++; } };
  });
  await openApp(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("checkbox", { name: "Play a sound for each new offer" }).check();
  await expect.poll(() => page.evaluate(() => window.chimes)).toBe(1);
  await page.getByRole("link", { name: /^Queue/ }).click();

  // The agent types in the search box when the offer comes, and the tab is hidden.
  await page.evaluate(() => Object.defineProperty(document, "hidden", { configurable: true, get: () => true }));
  const search = page.getByRole("searchbox", { name: "Search tasks" });
  await search.fill("still typ");
  await ingest(page, { id: "ALERT-1", kind: "chat", contact: "+420 601 222 333", body: "Is anyone there?", queue: "Support" });
  await page.getByRole("combobox", { name: "Presence" }).selectOption({ label: "Available" });
  await search.focus();
  await page.keyboard.type("ing");
  const offer = page.getByRole("alertdialog", { name: "New offer" }).first();
  await expect(offer).toBeVisible({ timeout: 20_000 });
  await expect(search).toHaveValue("still typing");
  await expect(search).toBeFocused();
  await expect(page.locator("[aria-live=assertive]")).toHaveText(/^New \w+ for you: .+\. Press O to answer\.$/);
  await expect(page).toHaveTitle(/^\(\d\) Taskdesk: (an offer|offers) waiting$/);
  await expect.poll(() => page.evaluate(() => window.shown.length)).toBeGreaterThan(0);
  const [note] = await page.evaluate(() => window.shown);
  expect(note.title).toMatch(/^New (chat|email|sms|call) for you$/);
  expect(await page.evaluate(() => window.chimes)).toBeGreaterThan(1);

  // One key (away from the field) reaches the offer; Accept opens the task.
  await page.locator("main h1").click();
  await page.keyboard.press("o");
  await expect(offer.getByRole("button", { name: "Accept" })).toBeFocused();
  const subject = (await offer.locator("strong").textContent()).trim();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await expect(page).toHaveTitle(/^(\(\d\) Taskdesk: (an offer|offers) waiting|Taskdesk)$/);
  await context.clearPermissions();
});

test("U1: work a supervisor gives an agent in another tab reaches them as a notification while that tab is hidden", async ({ context }) => {
  const agent = await context.newPage();
  await agent.addInitScript(() => {
    window.shown = [];
    window.Notification = class {
      static permission = "granted";
      static requestPermission() { return Promise.resolve("granted"); }
      constructor(title, options) { window.shown.push({ title, body: options?.body }); }
    };
  });
  await openApp(agent);
  await agent.evaluate(() => Object.defineProperty(document, "hidden", { configurable: true, get: () => true }));

  const supervisor = await context.newPage();
  await openApp(supervisor);
  await supervisor.evaluate((e) => window.TaskDesk.app.ingest(e), { id: "MAIL-A1", kind: "email", contact: "new@example.net", subject: "Contract question", body: "Which plan suits us?", queue: "Billing" });
  await supervisor.getByLabel("Signed in as").selectOption({ label: "Sam Rivera (Supervisor)" });
  await supervisor.getByRole("button", { name: "All open" }).click();
  await supervisor.getByRole("searchbox", { name: "Search tasks" }).fill("contract question");
  await supervisor.getByRole("row", { name: /Contract question/ }).click();
  const routing = supervisor.getByRole("region", { name: "Routing" });
  await routing.getByRole("combobox", { name: "Reassign to" }).selectOption({ label: "Alex Novak" });
  await routing.getByRole("button", { name: "Reassign" }).click();
  await expect(supervisor.getByRole("status").filter({ hasText: "Task reassigned." })).toBeVisible();

  await expect.poll(() => agent.evaluate(() => window.shown.map((n) => n.title))).toContain("Assigned to you");
  const [note] = await agent.evaluate(() => window.shown.filter((n) => n.title === "Assigned to you"));
  expect(note.body).toMatch(/^[0-9A-Z]{5}-\d+ · Contract question$/);
});
