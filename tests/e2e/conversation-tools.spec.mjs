// U1: the tools beside the conversation: internal notes for the team only (in the timeline or
// beside a call's log, never sent, in History), canned replies with placeholders, and the
// customer's panel.
import { test, expect } from "./fixtures.mjs";
import { openApp, ingest, saved } from "./workspace.mjs";

test.use({ storageState: "tests/e2e/quiet-center.json" });

test("U1: an internal note joins the chat's timeline marked for the team, is never sent, and shows in History; a call takes notes too", async ({ page }) => {
  await openApp(page);
  const chat = await ingest(page, { id: "NOTE-1", kind: "chat", contact: "+420 601 333 444", body: "My router restarts every evening." });
  await page.evaluate((t) => window.TaskDesk.app.openTask(t), chat);
  await page.getByLabel("Message").fill("Second outage this week; offer a replacement.");
  await page.getByRole("button", { name: "Add as internal note" }).click();
  const timeline = page.getByRole("list", { name: "Chat transcript" });
  const note = timeline.getByRole("listitem").filter({ hasText: "Second outage this week" });
  await expect(note).toContainText("Internal note · only the team sees it");
  await expect(note).not.toContainText("Pending");
  await expect(page.getByLabel("Message")).toHaveValue("");
  await saved(page);
  // Nothing waits to go to the customer.
  await page.getByLabel("Message").fill("We will send a new router today.");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(timeline.getByRole("listitem")).toHaveCount(3);
  await expect(timeline.getByRole("listitem").filter({ hasText: "We will send" })).toContainText(/Sent|Pending/);
  await expect(note).not.toContainText(/Sent|Pending/);

  await page.getByRole("tab", { name: "History" }).click();
  const entry = page.getByRole("listitem").filter({ hasText: "added an internal note" });
  await expect(entry).toContainText("Alex Novak added an internal note");
  await expect(entry.getByRole("row", { name: /Note/ })).toContainText("Second outage this week; offer a replacement.");

  const call = await ingest(page, { id: "NOTE-2", kind: "voicemail", contact: "+420 601 333 444", body: "Please call back." });
  await page.evaluate((t) => window.TaskDesk.app.openTask(t), call);
  await page.getByRole("textbox", { name: "Internal note" }).fill("Called back twice, no answer.");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("list", { name: "Internal notes" })).toContainText("Called back twice, no answer.");
  // An empty note is refused in plain words.
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByText("Write the note first; an empty note is not added.")).toBeVisible();
});

test("U1: canned replies: the admin keeps the library, an agent inserts one by typing / or from the list, filled for the task", async ({ page }) => {
  await openApp(page);
  await page.getByLabel("Signed in as").selectOption({ label: "Ada Park (Admin)" });
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Reply name").fill("Delivery delayed");
  await page.getByLabel("Reply text").fill("Hi {firstname}, sorry.");
  await page.getByRole("button", { name: "Save reply" }).click();
  await expect(page.getByText("“{firstname}” is not a placeholder; the placeholders are {first_name}, {customer}, {number}, {agent}.")).toBeVisible();
  await page.getByLabel("Reply text").fill("Hi {first_name}, your order in {number} is delayed by a day. {agent}");
  await page.getByRole("button", { name: "Save reply" }).click();
  await expect(page.getByRole("list", { name: "Canned replies" })).toContainText("Delivery delayed");

  await page.getByLabel("Signed in as").selectOption({ label: "Alex Novak (Agent)" });
  const chat = await ingest(page, { id: "CANNED-1", kind: "chat", contact: "+420 777 123 456", body: "Where is my order?" });
  await page.evaluate((t) => window.TaskDesk.app.openTask(t), chat);
  const number = await page.getByTestId("task-number").textContent();
  const message = page.getByLabel("Message");
  await message.fill("/deliv");
  await page.getByRole("button", { name: "Insert “Delivery delayed”" }).click();
  await expect(message).toHaveValue(`Hi Jana, your order in ${number} is delayed by a day. Alex Novak`);
  await page.getByLabel("Canned reply").selectOption({ label: "Anything else?" });
  await expect(message).toHaveValue(`Hi Jana, your order in ${number} is delayed by a day. Alex Novak\n\nIs there anything else I can help you with today, Jana?`);
  await message.fill("/zzz");
  await expect(page.getByText("No canned reply matches.")).toBeVisible();
});

test("U1: the customer beside the conversation: details, other open work and codes one click away; folded in a narrow panel", async ({ page }) => {
  await openApp(page);
  const chat = await ingest(page, { id: "PANEL-1", kind: "chat", contact: "+420 777 123 456", body: "Hello again" });
  await page.evaluate((t) => window.TaskDesk.app.openTask(t), chat);
  const panel = page.locator("details.td-customer-panel");
  await expect(panel).toHaveAttribute("open", "");
  await expect(panel.locator("summary")).toHaveText("Customer: Jana Dvorak");
  await expect(panel).toContainText("+420 777 123 456");
  const other = panel.getByRole("list").first().getByRole("link").first();
  const text = (await other.textContent()).trim();
  await other.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(text.replace(/^\S+ /, ""));
  await panel.getByRole("link", { name: "Open Jana Dvorak" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Jana Dvorak" })).toBeVisible();

  await page.setViewportSize({ width: 400, height: 800 });
  await page.evaluate((t) => window.TaskDesk.app.openTask(t), chat);
  await expect(panel.locator("summary")).toBeVisible();
  await expect(panel).not.toHaveAttribute("open", "");
  await panel.locator("summary").click();
  await expect(panel.getByRole("link", { name: "Open Jana Dvorak" })).toBeVisible();
});
