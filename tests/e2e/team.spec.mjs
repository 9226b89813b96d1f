// A contact center on one server (issue 10): the server enforces the permissions an admin sets
// for a person, the role shown is the server's, and an admin adds a person who can then sign in.
import { test, expect } from "./fixtures.mjs";
import { execFileSync } from "node:child_process";
import { PASSWORD, connect, couch, freshDatabase, newDevice, serverChanges } from "./sync.mjs";

// Two devices and a server per journey: room for a slower machine.
test.describe.configure({ timeout: 60_000 });

const SAM = "7d000000-0000-7000-8000-000000000004";

/** A deletion of a task, written by hand as a script would, in Sam's name. */
function samDeletes(task, n) {
  const stamp = `00${Date.now() + n}-0000000000-SAMSC`;
  return { _id: `change:${stamp}`, _rev: `1-${n}`, type: "change", stamp, actor: SAM, kind: "task", entity: task, fields: [{ field: "deleted", old: false, new: true }] };
}

test("P1: an admin takes Delete away from a supervisor on one device; a delete the supervisor then pushes by plain HTTP is refused", async ({ browser }, testInfo) => {
  const database = await freshDatabase(testInfo);
  const tasks = [...new Set((await serverChanges(database)).filter((d) => d.kind === "task").map((d) => d.entity))];
  const push = (doc) => couch("POST", `/${database}/_bulk_docs`, { new_edits: false, docs: [doc] }, "sam");
  expect((await push(samDeletes(tasks[0], 1))).json).toEqual([]);

  const a = await newDevice(browser, testInfo);
  await connect(a.page, { database, user: "ada" });
  await expect(a.page.getByText("Signed in as Ada Park (Admin)")).toBeVisible();
  await a.page.getByRole("link", { name: "Settings" }).click();
  await a.page.getByRole("checkbox", { name: "Sam Rivera: Delete" }).uncheck();
  await expect.poll(async () => (await couch("GET", `/${database}/_design/taskdesk`)).json.validate_doc_update.includes(SAM), { timeout: 20_000 }).toBe(true);

  const refused = await push(samDeletes(tasks[1], 2));
  expect(refused.json).toEqual([{ id: expect.stringContaining("SAMSC"), error: "forbidden", reason: "Your permissions do not allow you to delete records." }]);
  // Back to the role's defaults: the server follows again.
  await a.page.getByRole("button", { name: "Use role defaults for Sam Rivera" }).click();
  await expect.poll(async () => (await couch("GET", `/${database}/_design/taskdesk`)).json.validate_doc_update.includes(SAM), { timeout: 20_000 }).toBe(false);
  expect((await push(samDeletes(tasks[1], 3))).json).toEqual([]);
  await a.context.close();
});

test("P1: an admin adds a person; without server-admin rights the screen gives the command, and once run the person signs in with their role", async ({ browser }, testInfo) => {
  const database = await freshDatabase(testInfo);
  const a = await newDevice(browser, testInfo);
  await connect(a.page, { database, user: "ada" });
  await a.page.getByRole("link", { name: "Settings" }).click();
  const form = a.page.getByRole("region", { name: "Add a person" });
  await form.getByLabel("Name", { exact: true }).fill("Nina Park");
  await form.getByLabel("Role").selectOption({ label: "Supervisor" });
  await form.getByLabel("Sign-in name").fill("nina");
  await form.getByLabel("First password").fill("nina-first-password");
  await form.getByRole("button", { name: "Add person" }).click();
  await expect(form.getByRole("alert")).toContainText("Nina Park was added to the workspace, but not to the server: The server answered 403: Only a server admin can create sign-ins on this server.");
  const command = await form.locator("pre").textContent();
  expect(command).toMatch(/^node scripts\/couch-setup\.mjs <server URL with admin credentials> \S+ --add-person nina --name "Nina Park" --role supervisor --id [0-9a-f-]{36} --password <first password>$/);
  await expect(a.page.getByRole("row", { name: /Nina Park/ })).toHaveCount(1);

  // A server admin runs it.
  const args = command.replace("<server URL with admin credentials>", process.env.TASKDESK_COUCH_ADMIN).replace("<first password>", "nina-first-password");
  execFileSync("sh", ["-c", args]);
  const b = await newDevice(browser, testInfo);
  await b.page.getByRole("link", { name: "Settings" }).click();
  await b.page.getByLabel("Server address").fill(process.env.TASKDESK_COUCH);
  await b.page.getByLabel("Database").fill(database);
  await b.page.getByLabel("User name").fill("nina");
  await b.page.getByLabel("Password").fill("nina-first-password");
  await b.page.getByRole("button", { name: "Connect" }).click();
  await expect(b.page.getByText("Signed in as Nina Park (Supervisor)")).toBeVisible({ timeout: 20_000 });
  await a.context.close();
  await b.context.close();
});

/** The demo integration ("pbx") sends an event with scripts/send-interaction.mjs, as from a terminal. */
function sendInteraction(database, event) {
  const pbx = new URL(process.env.TASKDESK_COUCH);
  pbx.username = "pbx";
  pbx.password = PASSWORD;
  execFileSync("node", ["scripts/send-interaction.mjs", pbx.toString(), database, ...Object.entries(event).flatMap(([k, v]) => [`--${k}`, v])]);
}

test("R3: one router for the team: A routes; B goes Available, gets A's offer, accepts and resolves; A closes and B takes routing over; offers keep flowing", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const database = await freshDatabase(testInfo, { demo: false });
  const a = await newDevice(browser, testInfo);
  await connect(a.page, { database, user: "sam" });
  await expect(a.page.getByRole("status").filter({ hasText: "Routing in this tab" })).toBeVisible({ timeout: 20_000 });
  const b = await newDevice(browser, testInfo);
  await connect(b.page, { database, user: "alex" });
  await expect(b.page.getByRole("status").filter({ hasText: "Routing runs on Sam Rivera's device" })).toBeVisible({ timeout: 20_000 });

  sendInteraction(database, { id: "PBX-1", kind: "chat", contact: "+420 777 123 456", body: "My router keeps restarting.", queue: "Support" });
  const presence = b.page.getByRole("combobox", { name: "Presence" });
  await presence.selectOption({ label: "Available" });
  const offer = b.page.getByRole("alertdialog", { name: "New offer" }).filter({ hasText: "Chat with +420 777 123 456" });
  await expect(offer).toBeVisible({ timeout: 30_000 });
  await offer.getByRole("button", { name: "Accept" }).click();
  await b.page.getByRole("link", { name: /^Queue/ }).click();
  await b.page.getByRole("button", { name: "My tasks" }).click();
  await b.page.getByRole("row", { name: /Chat with \+420 777 123 456/ }).click();
  // The customer writes again: the message joins the same conversation.
  sendInteraction(database, { id: "PBX-1", kind: "chat", contact: "+420 777 123 456", body: "It restarted again just now.", queue: "Support" });
  await expect(b.page.getByRole("list", { name: "Chat transcript" })).toContainText("It restarted again just now.", { timeout: 20_000 });
  await expect(b.page.getByRole("list", { name: "Chat transcript" }).getByRole("listitem")).toHaveCount(2);
  await b.page.getByRole("button", { name: "Resolve" }).click();
  await b.page.getByRole("region", { name: "Routing" }).getByRole("button", { name: "Finish wrap-up" }).click();
  await expect(b.page.getByRole("region", { name: "Routing" })).toContainText("Completed by Alex Novak");

  // The supervisor's board on A shows Alex, who works on another device.
  await a.page.getByRole("link", { name: "Live board" }).click();
  await expect(a.page.getByRole("row", { name: /Alex Novak/ })).toContainText("Available", { timeout: 20_000 });
  // Reports on A count the work Alex did on B.
  await a.page.getByRole("link", { name: "Reports" }).click();
  await expect(a.page.getByRole("region", { name: "By agent" }).getByRole("row", { name: /Alex Novak/ })).toContainText("1", { timeout: 20_000 });
  // The task exists once on A too, however many devices took the interaction in.
  await a.page.getByRole("link", { name: /^Queue/ }).click();
  await a.page.getByRole("button", { name: "All tasks" }).click();
  await a.page.getByRole("searchbox", { name: "Search tasks" }).fill("777 123 456");
  await expect(a.page.getByRole("row").filter({ hasText: "Chat with +420 777 123 456" })).toHaveCount(1, { timeout: 20_000 });

  // The routing device goes away; within the lease's term B routes, and offers keep flowing.
  await a.context.close();
  await expect(b.page.getByRole("status").filter({ hasText: "Routing in this tab" })).toBeVisible({ timeout: 45_000 });
  sendInteraction(database, { id: "PBX-2", kind: "sms", contact: "+420 777 555 000", body: "Can you call me back?", queue: "Billing" });
  await expect(b.page.getByRole("alertdialog", { name: "New offer" }).filter({ hasText: "SMS from +420 777 555 000" })).toBeVisible({ timeout: 30_000 });
  // Presence is a record: it survives a reload.
  await b.page.reload();
  await expect(b.page.getByRole("combobox", { name: "Presence" })).toHaveValue("available");
  await b.context.close();
});
