// U1: an agent's day at the keyboard: the command palette, shortcuts (never while typing), focus
// that follows the work, the tabs pattern and the skip link.
import { test, expect } from "./fixtures.mjs";
import { fillTask, ingest, openApp, saved } from "./workspace.mjs";

test.use({ storageState: "tests/e2e/quiet-center.json" });

const focused = (page) => page.evaluate(() => { const el = document.activeElement; return `${el.localName}${el.id ? "#" + el.id : ""}: ${(el.getAttribute("aria-label") ?? el.textContent).trim().slice(0, 60)}`; });

test("U1: Ctrl+K finds a task by number, a customer by email and a screen, and runs an action; Escape gives focus back", async ({ page }) => {
  await openApp(page);
  const id = await ingest(page, { id: "KEY-1", kind: "email", contact: "palette@example.net", subject: "Invoice copy please", body: "Could you send it again?" });
  await page.evaluate((t) => window.TaskDesk.app.openTask(t), id);
  const number = await page.getByTestId("task-number").textContent();
  await page.getByRole("link", { name: /^Queue/ }).click();

  await page.keyboard.press("Control+k");
  const palette = page.getByRole("dialog", { name: "Command palette" });
  const field = palette.getByRole("combobox");
  await expect(field).toBeFocused();
  await field.fill(number.toLowerCase());
  await expect(palette.getByRole("option").first()).toContainText("Invoice copy please");
  await page.keyboard.press("Enter");
  await expect(palette).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1, name: "Invoice copy please" })).toBeFocused();

  // An action on the task on screen.
  await page.keyboard.press("Control+k");
  await field.fill("resolve");
  await expect(palette.getByRole("option", { selected: true })).toContainText("Resolve");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Resolved", { exact: true }).first()).toBeVisible();

  // A customer by email, then a screen with the arrows.
  await page.keyboard.press("Control+k");
  await field.fill("jana.dvorak@example.com");
  await expect(palette.getByRole("option").first()).toHaveText("Jana DvorakCustomer");
  await page.keyboard.press("Control+k");
  await field.fill("go to");
  await page.keyboard.press("ArrowDown");
  await expect(palette.getByRole("option", { selected: true })).toContainText("Go to Customers");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeFocused();

  // Escape closes it and gives focus back where it was.
  await page.getByRole("button", { name: "New customer" }).focus();
  await page.keyboard.press("Control+k");
  await expect(field).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(palette).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New customer" })).toBeFocused();
});

test("U1: single-key shortcuts: ? lists them, / searches, j and k walk the queue, Enter opens, e edits, Escape goes back, n starts a task; none fires while typing", async ({ page }) => {
  await openApp(page);
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help.getByRole("button", { name: "Close" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);

  await page.keyboard.press("/");
  const search = page.getByRole("searchbox", { name: "Search tasks" });
  await expect(search).toBeFocused();
  // Typing a shortcut's letter in a field types it.
  await page.keyboard.type("nre");
  await expect(search).toHaveValue("nre");
  await expect(page.getByRole("heading", { level: 1, name: "Queue" })).toBeVisible();
  await search.fill("");

  const rows = page.locator("main tr[tabindex='0']");
  await rows.first().focus();
  await page.keyboard.press("j");
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(rows.nth(2)).toBeFocused();
  await page.keyboard.press("k");
  await expect(rows.nth(1)).toBeFocused();
  const subject = (await rows.nth(1).locator("td").nth(2).textContent()).trim();
  await page.keyboard.press("Enter");
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toBeFocused();
  await expect(heading).toContainText(subject.slice(0, 20));

  await page.keyboard.press("e");
  await expect(page.getByRole("heading", { level: 1, name: "Edit task" })).toBeVisible();
  await expect(page.getByLabel("Subject")).toBeFocused();
  // Escape in a field keeps the form (nothing typed is lost).
  await page.keyboard.press("Escape");
  await expect(page.getByRole("heading", { level: 1, name: "Edit task" })).toBeVisible();
  await page.getByRole("heading", { level: 1, name: "Edit task" }).click();
  await page.keyboard.press("Escape");
  await expect(heading).toContainText(subject.slice(0, 20));
  await page.keyboard.press("Escape");
  await expect(page.getByRole("heading", { level: 1, name: "Queue" })).toBeFocused();

  await page.keyboard.press("n");
  await expect(page.getByRole("heading", { level: 1, name: "New task" })).toBeVisible();
  await expect(page.getByLabel("Subject")).toBeFocused();
  // A failed save puts focus on the first field in error, not on Save.
  await page.getByLabel("Subject").fill("");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByLabel("Subject")).toBeFocused();
  await expect(page.getByLabel("Subject")).toHaveAttribute("aria-invalid", "true");
});

test("U1: j walks the queue past its first screen of rows, one row a key", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "All tasks" }).click();
  const rows = page.locator("main tr[tabindex='0']");
  await rows.first().focus();
  // The list draws only the rows in sight until it scrolls or takes focus; walking on must
  // never stop at the last row drawn.
  // One past the rows drawn at first: the step that used to stall. (Five past stalled once in a
  // full run, ten seconds on one row with the next drawn; not explained yet, see issue 13's note.)
  const steps = (await rows.count()) + 1;
  const number = () => page.evaluate(() => document.activeElement.closest("tr")?.querySelector(".td-number")?.textContent.trim());
  const seen = [await number()];
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press("j");
    await expect.poll(number).not.toBe(seen.at(-1));
    seen.push(await number());
  }
  expect(new Set(seen).size).toBe(steps + 1);
});

test("U1: a row keeps the keyboard's focus while its age moves on and while another tab changes its task", async ({ page, context }) => {
  await page.clock.install({ time: new Date("2026-11-23T09:00:00Z") });
  await openApp(page);
  await ingest(page, { id: "KEY-3", kind: "email", contact: "parcel@example.net", subject: "Where is my parcel?", body: "It was due on Monday." });
  await page.getByRole("button", { name: "All tasks" }).click();
  await page.getByRole("searchbox", { name: "Search tasks" }).fill("parcel");
  const row = page.getByRole("row", { name: /Where is my parcel/ });
  await expect(row).toContainText("now");
  await row.focus();
  // Every minute a row's age and clock are written anew; the row itself must stay, or the
  // keyboard's place is lost to the page's body.
  await page.clock.fastForward("03:00");
  await expect(row).toContainText(/[23] min/);
  await expect(row).toBeFocused();
  // Another tab raising the task's priority redraws the row's cells, not the row.
  const other = await context.newPage();
  await openApp(other);
  await other.getByRole("button", { name: "All tasks" }).click();
  await other.getByRole("searchbox", { name: "Search tasks" }).fill("parcel");
  await other.getByRole("row", { name: /Where is my parcel/ }).click();
  await other.getByRole("button", { name: "Edit" }).click();
  await fillTask(other, { priority: "Urgent" });
  await saved(other);
  await expect(row).toContainText("Urgent");
  await expect(row).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Where is my parcel?" })).toBeVisible();
});

test("U1: the task's tabs follow the ARIA tabs pattern, and the skip link reaches the screen in one key", async ({ page }) => {
  await openApp(page);
  const id = await ingest(page, { id: "KEY-2", kind: "chat", contact: "+420 601 111 222", body: "Hello there" });
  await page.evaluate((t) => window.TaskDesk.app.openTask(t), id);
  const details = page.getByRole("tab", { name: "Details" });
  await details.focus();
  await page.keyboard.press("ArrowRight");
  const history = page.getByRole("tab", { name: "History" });
  await expect(history).toBeFocused();
  await expect(history).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tabpanel", { name: "History" })).toBeVisible();
  await expect(details).toHaveAttribute("tabindex", "-1");
  await page.keyboard.press("Home");
  await expect(details).toBeFocused();
  await expect(page.getByRole("tabpanel", { name: "Details" })).toBeVisible();

  await openApp(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Queue" })).toBeFocused();
  expect(new URL(page.url()).hash).toBe("");
  expect(await focused(page)).toContain("h1");
});
