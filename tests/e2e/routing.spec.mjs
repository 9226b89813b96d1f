// R1-R5: the simulated contact center routes live traffic; offers with countdown and "Why me?";
// the supervisor's board; one tab routes at a time.
import { test, expect } from "./fixtures.mjs";
import { openApp } from "./workspace.mjs";

/** Opens the app with the simulated traffic flowing at `speed` times real time. */
async function openLive(page, speed) {
  await page.addInitScript((s) => localStorage.setItem("taskdesk.simulator", s), String(speed));
  await openApp(page);
  await expect(page.getByRole("status").filter({ hasText: "Routing in this tab" })).toBeVisible();
}

test("R3/R4: an available agent gets an offer with a countdown, sees why, accepts it, resolves it and finishes wrap-up", async ({ page }) => {
  await openLive(page, 60);
  const presence = page.getByRole("combobox", { name: "Presence" });
  await presence.selectOption({ label: "Available" });
  const offer = page.getByRole("alertdialog", { name: "New offer" }).first();
  await expect(offer).toBeVisible({ timeout: 20_000 });
  await expect(offer.getByRole("timer")).toHaveText(/Answer within \d+ s/);
  await offer.getByRole("button", { name: "Why me?" }).click();
  await expect(offer.getByText(/needed|any agent/).first()).toBeVisible();
  await expect(offer.getByText(/You had been idle (less than a second|\d+ seconds?|\d+ minutes?)/)).toBeVisible();
  await presence.selectOption({ label: "Busy" });
  await expect(page.getByRole("alertdialog", { name: "New offer" })).toHaveCount(0);

  // Take the first email, chat or SMS offered (a call would need its call log to resolve).
  await presence.selectOption({ label: "Available" });
  let accepted = null;
  for (let i = 0; i < 15 && !accepted; i++) {
    const next = page.getByRole("alertdialog", { name: "New offer" }).first();
    await expect(next).toBeVisible({ timeout: 20_000 });
    const subject = (await next.locator("strong").textContent()).trim();
    if (/New call/.test(await next.getByRole("heading").textContent())) {
      await next.getByRole("button", { name: "Reject" }).click();
      await expect(page.getByRole("alertdialog", { name: "New offer" }).filter({ hasText: subject })).toHaveCount(0);
    } else {
      await next.getByRole("button", { name: "Accept" }).click();
      accepted = subject;
    }
  }
  expect(accepted).not.toBeNull();
  // Accept opens the task.
  await expect(page.getByRole("heading", { level: 1, name: accepted })).toBeVisible();
  await presence.selectOption({ label: "Busy" });
  await page.getByRole("link", { name: /^Queue/ }).click();
  await expect(page.getByRole("status", { name: "My work" })).toContainText("0 offered · 1 assigned · 0 wrapping up");
  await page.getByRole("button", { name: "My tasks" }).click();
  await page.getByRole("row", { name: new RegExp(accepted.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).first().click();
  await page.getByRole("button", { name: "Resolve" }).click();
  const routing = page.getByRole("region", { name: "Routing" });
  await expect(routing).toContainText("Alex Novak is wrapping up");
  await routing.getByRole("button", { name: "Finish wrap-up" }).click();
  await expect(routing).toContainText("Completed by Alex Novak");
  // Every step is a record, so History shows it.
  await page.getByRole("tab", { name: "History" }).click();
  for (const field of ["Offered to", "Given by routing", "Wrap-up"]) {
    await expect(page.getByRole("row", { name: new RegExp(field) }).first()).toBeVisible();
  }
});

test("R3: a supervisor transfers a waiting task to another queue and reassigns it; History records both", async ({ page }) => {
  await openApp(page);
  await page.evaluate((e) => window.TaskDesk.app.ingest(e), { id: "MAIL-R1", kind: "email", contact: "new@example.net", subject: "Bulk order discount", body: "We would like to order fifty routers.", queue: "Billing" });
  await page.getByLabel("Signed in as").selectOption({ label: "Sam Rivera (Supervisor)" });
  await page.getByRole("button", { name: "All open" }).click();
  await page.getByRole("searchbox", { name: "Search tasks" }).fill("bulk order discount");
  await page.getByRole("row", { name: /Bulk order discount/ }).click();
  const routing = page.getByRole("region", { name: "Routing" });
  await routing.getByRole("combobox", { name: "Transfer to queue" }).selectOption({ label: "Sales" });
  await routing.getByRole("button", { name: "Transfer" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Task transferred." })).toBeVisible();
  await routing.getByRole("combobox", { name: "Reassign to" }).selectOption({ label: "Dana Kim" });
  await routing.getByRole("button", { name: "Reassign" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Task reassigned." })).toBeVisible();
  await expect(routing).toContainText("Assigned");
  await page.getByRole("tab", { name: "History" }).click();
  const history = page.getByRole("tabpanel", { name: "History" });
  await expect(history).toContainText("Sales");
  await expect(history).toContainText("Dana Kim");
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

test("R1/R3: an admin sets up skills and the offer timeout; a bad level is refused; offers follow the set-up", async ({ page }) => {
  await openLive(page, 60);
  // Alex on a break while Ada sets things up: otherwise, simulated meanwhile, he would get offers
  // under the old timeout, still his to answer when he comes back.
  await page.getByRole("combobox", { name: "Presence" }).selectOption({ label: "Break" });
  await page.getByLabel("Signed in as").selectOption({ label: "Ada Park (Admin)" });
  await page.getByRole("link", { name: "Settings" }).click();
  const setup = page.getByRole("region", { name: "Contact center" });
  await setup.getByRole("textbox", { name: "Offer timeout (seconds)" }).fill("12");
  await setup.getByRole("textbox", { name: "Alex Novak: skills" }).fill("billing 9");
  await setup.getByRole("button", { name: "Save contact center set-up" }).click();
  await expect(setup.getByRole("alert")).toHaveText("Alex Novak: The level of “billing” must be from 1 to 5.");
  await setup.getByRole("textbox", { name: "Alex Novak: skills" }).fill("billing 5, tech 5, sales 5, retention 5");
  await setup.getByRole("button", { name: "Save contact center set-up" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Contact center set-up saved." })).toBeVisible();
  await expect(setup.getByRole("alert")).toHaveText("");

  await page.getByLabel("Signed in as").selectOption({ label: "Alex Novak (Agent)" });
  await page.getByRole("combobox", { name: "Presence" }).selectOption({ label: "Available" });
  const offer = page.getByRole("alertdialog", { name: "New offer" }).first();
  await expect(offer).toBeVisible({ timeout: 20_000 });
  await expect(offer.getByRole("timer")).toHaveText(/Answer within ([0-9]|1[0-2]) s/);
});
