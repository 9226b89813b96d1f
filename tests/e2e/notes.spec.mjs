// U1: internal notes on a task, for the team only: in the conversation's timeline (or, for a
// call, beside its call log), never sent, and in History.
import { test, expect } from "@playwright/test";
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
