// W1: Taskdesk inside a web CRM. The demo CRM (deliberately hostile styles) with the <task-desk>
// element; TaskDesk.mount with several widgets on one page; the iframe mode on another origin;
// styles isolated both ways; the host's address untouched; everything under the strict CSP.
import { test, expect } from "./fixtures.mjs";
import { goTo, openApp } from "./workspace.mjs";
import { freshDatabase, PASSWORD, serverUrl, synced } from "./sync.mjs";

const ALEX = "7d000000-0000-7000-8000-000000000001";
const ADA = "7d000000-0000-7000-8000-000000000005";

/** Opens the demo CRM and waits until its widget is ready; `heard` collects the API's events. */
async function openCrm(page) {
  await page.goto("/demo-crm/");
  await page.evaluate(async () => {
    const desk = await document.querySelector("task-desk").ready;
    window.heard = [];
    for (const name of window.TaskDesk.events) desk.on(name, (detail) => window.heard.push({ name, detail }));
  });
  return page.locator("task-desk");
}

const heard = (page, name) => page.evaluate((n) => window.heard.filter((e) => e.name === n).map((e) => e.detail), name);

/** Every CSP and Trusted Types violation on the page and in its frames, as the browser reports them. */
function violations(page) {
  const found = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Trusted ?Type|TrustedHTML|TrustedScript/i.test(m.text())) found.push(`${m.location().url}: ${m.text()}`);
  });
  page.on("pageerror", (e) => found.push(`error: ${e.message}`));
  return found;
}

test("W1: the demo CRM screen-pops a known caller and an unknown number, makes a task for a contact, hears its events with their details, and writes its timeline when the task is resolved; its address never changes", async ({ page }) => {
  const widget = await openCrm(page);
  const address = page.url();
  const history = await page.evaluate(() => history.length);

  await page.getByRole("button", { name: "Incoming call from +420 777 123 456" }).click();
  await expect(widget.getByRole("heading", { level: 1, name: "Jana Dvorak" })).toBeVisible();
  await page.evaluate(() => document.querySelector("task-desk").desk.screenPop({ phone: "+420 603 999 000" }));
  await expect(widget.getByRole("heading", { level: 1, name: "New customer" })).toBeVisible();
  await expect(widget.getByLabel("Phone numbers")).toHaveValue("+420 603 999 000");

  await page.getByRole("button", { name: "Jana Dvorak", exact: true }).click();
  await page.getByRole("button", { name: "New task for Jana Dvorak" }).click();
  await expect(widget.getByRole("heading", { level: 1, name: "Follow up with Jana Dvorak" })).toBeVisible();
  const number = await widget.getByTestId("task-number").textContent();
  await expect(page.locator(".crm-events")).toHaveText(`Taskdesk created task ${number}.`);
  const [created] = await heard(page, "task-created");
  expect(created).toMatchObject({ number, subject: "Follow up with Jana Dvorak", channel: "other", status: "open", customer: { name: "Jana Dvorak", phones: ["+420 777 123 456"] } });
  const opened = await heard(page, "task-opened");
  expect(opened.at(-1)).toMatchObject({ id: created.id, number });

  await widget.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText(`Task ${number} “Follow up with Jana Dvorak” resolved in Taskdesk.`);
  expect(await heard(page, "task-resolved")).toEqual([expect.objectContaining({ id: created.id, number, status: "resolved" })]);
  // The element dispatched the same as DOM events (bubbling, composed), which the CRM listened to.
  expect(page.url()).toBe(address);
  expect(await page.evaluate(() => history.length)).toBe(history);
  // Navigating inside the widget never touches the host's address either.
  await goTo(widget, "Settings");
  await expect(widget.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  expect(page.url()).toBe(address);

  // The sync state as the header says it, and an offer routed to the person at the screen.
  expect((await heard(page, "sync-state")).at(-1)).toEqual({ text: "Not connected to a server", waiting: 0, refused: 0, attention: false });
  await widget.getByRole("combobox", { name: "Presence" }).selectOption({ label: "Available" });
  const offer = widget.getByRole("alertdialog", { name: "New offer" }).first();
  await expect(offer).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => heard(page, "offer").then((o) => o.length)).toBeGreaterThan(0);
  const [offered] = await heard(page, "offer");
  await expect(widget.getByRole("alertdialog", { name: "New offer" }).filter({ hasText: offered.subject })).toBeVisible();
  expect(offered).toMatchObject({ id: expect.any(String), number: expect.stringMatching(/^[0-9A-Z]{5}-\d+$/), status: "open", until: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
});

test("W1: styles stay apart: the CRM's hostile rules change nothing inside the widget, and the widget changes no style of the CRM", async ({ browser }) => {
  const context = await browser.newContext({ storageState: "tests/e2e/quiet-center.json" });
  const app = await context.newPage();
  await openApp(app);
  const looks = (locator) => locator.evaluate((el) => { const s = getComputedStyle(el); return { font: s.fontFamily, size: s.fontSize, color: s.color, line: s.lineHeight, sizing: s.boxSizing }; });
  const standalone = await looks(app.getByRole("link", { name: /^Queue/ }));

  const page = await context.newPage();
  const widget = await openCrm(page);
  expect(await looks(widget.getByRole("link", { name: /^Queue/ }))).toEqual(standalone);
  expect(standalone.font).not.toContain("Georgia");
  // Even the bluntest rule a host can write changes nothing inside.
  await page.evaluate(() => { const blunt = new CSSStyleSheet(); blunt.replaceSync("* { font: 40px serif !important; color: red !important }"); document.adoptedStyleSheets = [blunt]; });
  expect(await page.getByRole("heading", { level: 1, name: "Jana Dvorak" }).evaluate((el) => getComputedStyle(el).fontSize)).toBe("40px");
  expect(await looks(widget.getByRole("link", { name: /^Queue/ }))).toEqual(standalone);
  await page.evaluate(() => { document.adoptedStyleSheets = []; });

  // The host, with the widget and once it is gone: the same computed styles, and no style sheet added.
  const hostLooks = () => page.evaluate(() => [...document.querySelectorAll("body, h1, h2, .crm-button, .crm-contacts button, .crm-panel, dd")].map((el) => { const s = getComputedStyle(el); return [el.localName, s.fontFamily, s.fontSize, s.color, s.lineHeight, s.boxSizing, s.margin].join("|"); }));
  const sheets = () => page.evaluate(() => ({ adopted: document.adoptedStyleSheets.length, links: document.styleSheets.length }));
  const withWidget = [await hostLooks(), await sheets()];
  await page.evaluate(() => document.querySelector("task-desk").remove());
  await page.waitForTimeout(1500);
  expect([await hostLooks(), await sheets()]).toEqual(withWidget);
  expect(withWidget[1]).toEqual({ adopted: 0, links: 1 });
  await context.close();
});

test("W1: two widgets with two databases live side by side; one unmounts, letting go of its locks, and the other goes on; mounted again it has its work; moving an element keeps it", async ({ page }) => {
  const errors = [];
  page.on("console", (m) => m.type() === "error" && !m.text().includes("Failed to load resource") && errors.push(m.text()));
  const first = await openCrm(page);
  await page.evaluate(async () => {
    const box = document.createElement("div");
    box.id = "second";
    box.style.height = "600px";
    document.body.append(box);
    window.second = await window.TaskDesk.mount(box, { database: "second-desk", user: { id: "7d000000-0000-7000-8000-0000000000aa", name: "Nina Park", role: "agent" }, theme: "dark", simulator: false });
  });
  const second = page.locator("#second");
  await expect(second.getByText("Signed in as Nina Park (Agent)")).toBeVisible();
  await expect(first.getByText("Signed in as Alex Novak (Agent)")).toBeVisible();
  const theme = (locator) => locator.locator(".td-app").evaluate((el) => [el.dataset.theme, getComputedStyle(el).backgroundColor]);
  expect((await theme(second))[0]).toBe("dark");
  expect((await theme(second))[1]).not.toBe((await theme(first))[1]);

  const id = await page.evaluate(() => document.querySelector("task-desk").desk.createTask({ subject: "Only in the first widget", channel: "email" }));
  const number = await first.getByTestId("task-number").textContent();
  const refused = await page.evaluate((n) => { try { window.second.openTask(n); return "opened"; } catch (e) { return e.message; } }, number);
  expect(refused).toBe(`No task has the id or number “${number}”.`);

  // Moving the element (a single-page CRM re-rendering) keeps it mounted.
  await page.evaluate(() => { const el = document.querySelector("task-desk"); document.querySelector(".crm-main").append(el); });
  await page.waitForTimeout(1500);
  await expect(first.getByRole("heading", { level: 1, name: "Only in the first widget" })).toBeVisible();

  const held = () => page.evaluate(async () => { const q = await navigator.locks.query(); return [...q.held, ...q.pending].map((l) => l.name); });
  expect((await held()).filter((n) => n.startsWith("taskdesk:acme-crm:")).length).toBeGreaterThan(0);
  await page.evaluate(() => document.querySelector("task-desk").remove());
  await expect.poll(async () => (await held()).filter((n) => n.startsWith("taskdesk:acme-crm:"))).toEqual([]);
  expect((await held()).some((n) => n.startsWith("taskdesk:second-desk:"))).toBe(true);
  // Nothing of the gone widget still listens or ticks.
  await page.evaluate(() => { for (const e of ["online", "offline", "popstate"]) window.dispatchEvent(new Event(e)); });
  await page.waitForTimeout(1500);
  expect(errors).toEqual([]);

  // The other goes on.
  await page.evaluate(() => window.second.createTask({ subject: "Made in the second widget", channel: "chat" }));
  await expect(second.getByRole("heading", { level: 1, name: "Made in the second widget" })).toBeVisible();

  // Mounted again, the first has its work.
  await page.evaluate(async (alex) => {
    const el = document.createElement("task-desk");
    el.setAttribute("database", "acme-crm");
    el.setAttribute("user", alex);
    document.querySelector(".crm-panel").append(el);
    await el.ready;
  }, ALEX);
  await page.evaluate(async (taskId) => (await document.querySelector("task-desk").ready).openTask(taskId), id);
  await expect(page.locator("task-desk").getByRole("heading", { level: 1, name: "Only in the first widget" })).toBeVisible();
});

test("W1: the element works from attributes alone and follows their changes; bad options and commands are refused in plain words and nothing half-mounts", async ({ page }) => {
  await openCrm(page);
  const box = page.locator("#attr");
  await page.evaluate((sam) => {
    const el = document.createElement("task-desk");
    el.id = "attr";
    el.setAttribute("database", "attribute-desk");
    el.setAttribute("user", sam);
    el.setAttribute("theme", "dark");
    el.setAttribute("simulator", "false");
    document.body.append(el);
  }, "7d000000-0000-7000-8000-000000000004");
  await expect(box.getByText("Signed in as Sam Rivera (Supervisor)")).toBeVisible();
  await expect(box.locator(".td-app")).toHaveAttribute("data-theme", "dark");
  await page.evaluate((ada) => { const el = document.getElementById("attr"); el.setAttribute("theme", "light"); el.setAttribute("user", ada); }, ADA);
  await expect(box.locator(".td-app")).toHaveAttribute("data-theme", "light");
  await expect(box.getByText("Signed in as Ada Park (Admin)")).toBeVisible();

  const outcome = await page.evaluate(async () => {
    const tries = {};
    const attempt = async (name, f) => { try { await f(); tries[name] = "accepted"; } catch (e) { tries[name] = e.message; } };
    const box = document.createElement("div");
    document.body.append(box);
    await attempt("theme", () => window.TaskDesk.mount(box, { theme: "blue" }));
    tries.halfMounted = box.shadowRoot !== null || box.childElementCount > 0;
    await attempt("unknown", () => window.TaskDesk.mount(box, { databse: "x" }));
    await attempt("element", () => window.TaskDesk.mount("#main", {}));
    const desk = document.querySelector("task-desk").desk;
    await attempt("channel", () => desk.createTask({ subject: "x", channel: "fax" }));
    await attempt("nobody", () => desk.createTask({ subject: "x", customer: { phone: "+1 555 0100" } }));
    await attempt("event", () => desk.on("exploded", () => {}));
    await attempt("screenPop", () => desk.screenPop({ name: "Jana" }));
    return tries;
  });
  expect(outcome).toEqual({
    theme: "theme must be light, dark or auto, not “blue”.",
    halfMounted: false,
    unknown: "“databse” is not an option; the options are database, user, theme, backend, simulator.",
    element: "TaskDesk.mount needs an element of the page to show Taskdesk in.",
    channel: "channel must be one of call, email, chat, sms, meeting, other; not “fax”.",
    nobody: "No customer has the phone number +1 555 0100; pass a customer's id, or open the new-customer form with screenPop.",
    event: "“exploded” is not an event; the events are ready, task-opened, task-created, task-resolved, offer, sync-state.",
    screenPop: "screenPop's argument must be one of { id }, { phone } or { email }.",
  });
});

test("W1: a widget with a CouchDB backend asks its person to sign in, with the server filled in; a second widget finds the session and syncs the first one's work", async ({ page }, testInfo) => {
  const database = await freshDatabase(testInfo);
  await openCrm(page);
  const mount = (id, local) => page.evaluate(async ({ id, local, url, database }) => {
    const box = document.createElement("div");
    box.id = id;
    box.style.height = "700px";
    document.body.append(box);
    window[id] = await window.TaskDesk.mount(box, { database: local, backend: { kind: "couchdb", url, database }, simulator: false });
  }, { id, local, url: serverUrl(), database });
  await mount("couchA", "couch-desk-a");
  const a = page.locator("#couchA");
  await expect(a.getByText(`Sign in to sync with ${serverUrl()}: Settings, Sync.`)).toBeVisible();
  await goTo(a, "Settings");
  await expect(a.getByLabel("Server address")).toHaveValue(serverUrl());
  await expect(a.getByLabel("Database")).toHaveValue(database);
  await a.getByLabel("User name").fill("alex");
  await a.getByLabel("Password").fill(PASSWORD);
  await a.getByRole("button", { name: "Connect" }).click();
  await synced(a);
  await expect(a.getByText("Signed in as Alex Novak (Agent)")).toBeVisible();
  const made = await page.evaluate(() => window.couchA.createTask({ subject: "Synced from a widget", channel: "email" }));
  await synced(a);

  // A second widget (another local database) with the same backend: the browser holds the session.
  await mount("couchB", "couch-desk-b");
  const b = page.locator("#couchB");
  await synced(b);
  await expect(b.getByText("Signed in as Alex Novak (Agent)")).toBeVisible();
  await expect.poll(() => page.evaluate((id) => { try { window.couchB.openTask(id); return true; } catch { return false; } }, made), { timeout: 15_000 }).toBe(true);
  await expect(b.getByRole("heading", { level: 1, name: "Synced from a widget" })).toBeVisible();
});

test("W1: the iframe mode: a CRM on another origin frames Taskdesk, drives it and hears its events; a message from an origin that is not allowed is ignored", async ({ page }) => {
  const ignored = [];
  page.on("console", (m) => m.text().startsWith("Taskdesk ignored a message") && ignored.push(m.text()));
  await page.goto(`${process.env.TASKDESK_CRM}/framed.html?app=http://127.0.0.1:4173`);
  const widget = page.frameLocator("iframe[title='Taskdesk']");
  await expect(widget.getByRole("link", { name: /^Queue/ })).toBeVisible();
  await expect(widget.getByText("Signed in as Alex Novak (Agent)")).toBeVisible();
  await page.getByRole("button", { name: "Incoming call from +420 777 123 456" }).click();
  await expect(widget.getByRole("heading", { level: 1, name: "Jana Dvorak" })).toBeVisible();
  await page.getByRole("button", { name: "New task for Jana Dvorak" }).click();
  await expect(widget.getByRole("heading", { level: 1, name: "Follow up with Jana Dvorak" })).toBeVisible();
  const number = await widget.getByTestId("task-number").textContent();
  await expect(page.locator(".crm-events")).toHaveText(`Taskdesk created task ${number}.`);
  await widget.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText(`Task ${number} “Follow up with Jana Dvorak” resolved in Taskdesk.`);

  // A frame from an origin Taskdesk does not list as a host (its own) tries to drive it.
  await page.evaluate(() => { const f = document.createElement("iframe"); f.src = "http://127.0.0.1:4173/embed.html?intruder"; f.title = "Intruder"; document.body.append(f); });
  await expect.poll(() => page.frames().some((f) => f.url().endsWith("?intruder"))).toBe(true);
  await page.frames().find((f) => f.url().endsWith("?intruder")).evaluate(() => window.parent.frames[0].postMessage({ taskdesk: "call", id: 7, method: "createTask", argument: { subject: "Sneaked in" } }, "*"));
  await expect.poll(() => ignored.length).toBe(1);
  expect(ignored[0]).toBe("Taskdesk ignored a message from http://127.0.0.1:4173: not an allowed host.");
  await expect(widget.getByRole("heading", { level: 1, name: "Sneaked in" })).toHaveCount(0);
});

test("W1: a host Taskdesk does not allow cannot frame it: the browser refuses the frame (frame-ancestors) and the host is told in plain words", async ({ page }) => {
  const refused = [];
  page.on("console", (m) => /frame-ancestors/.test(m.text()) && refused.push(m.text()));
  // The same CRM from another origin (localhost rather than 127.0.0.1), which is not on the list.
  const crm = process.env.TASKDESK_CRM.replace("127.0.0.1", "localhost");
  await page.goto(`${crm}/framed.html?app=http://127.0.0.1:4173`);
  await expect(page.getByRole("alert")).toHaveText(`Taskdesk could not start. Taskdesk at http://127.0.0.1:4173 did not answer this page: ${crm} must be one of the hosts it allows (its frame-origins.json and frame-ancestors; scripts/serve.mjs --frame-origin ${crm}).`, { timeout: 20_000 });
  expect(refused.length).toBeGreaterThan(0);
  await expect(page.frameLocator("iframe[title='Taskdesk']").getByRole("link", { name: /^Queue/ })).toHaveCount(0);
});

test("W1: zero CSP and Trusted Types violations on every screen: the standalone app, the widget in the demo CRM, and the framed widget", async ({ page }) => {
  const found = violations(page);
  // The standalone app, every screen, as an admin, with an email's HTML shown.
  await openApp(page);
  await page.getByLabel("Signed in as").selectOption({ label: "Ada Park (Admin)" });
  const id = await page.evaluate(() => window.TaskDesk.app.ingest({ id: "MAIL-CSP", kind: "email", contact: "csp@example.net", subject: "Formatted email", body: "Hello", html: "<p style=\"color:#123\">Hello <b>there</b></p>" }));
  await page.evaluate((t) => window.TaskDesk.app.openTask(t), id);
  await expect(page.frameLocator("iframe.td-email-frame").getByText("Hello there")).toBeVisible();
  await page.getByRole("tab", { name: "History" }).click();
  await page.getByRole("button", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit task" })).toBeVisible();
  for (const [link, heading] of [["Customers", "Customers"], ["Fields", "Fields"], ["Live board", "Live board"], ["Reports", "Reports"], ["Settings", "Settings"], ["Queue", "Queue"]]) {
    await goTo(page, link);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  }
  await page.getByRole("button", { name: "New task" }).click();
  await goTo(page, "Customers");
  await page.getByRole("button", { name: "New customer" }).click();
  await goTo(page, "Customers");
  await page.getByRole("row").nth(1).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  // The widget in the demo CRM, as an admin too.
  const widget = await openCrm(page);
  await page.evaluate((ada) => document.querySelector("task-desk").desk.configure({ user: ada }), ADA);
  for (const [link, heading] of [["Customers", "Customers"], ["Fields", "Fields"], ["Live board", "Live board"], ["Reports", "Reports"], ["Settings", "Settings"], ["Queue", "Queue"]]) {
    await goTo(widget, link);
    await expect(widget.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  }
  await page.getByRole("button", { name: "New task for Jana Dvorak" }).click();
  await expect(widget.getByRole("heading", { level: 1, name: "Follow up with Jana Dvorak" })).toBeVisible();

  // The framed widget on the other origin.
  await page.goto(`${process.env.TASKDESK_CRM}/framed.html?app=http://127.0.0.1:4173`);
  await expect(page.frameLocator("iframe[title='Taskdesk']").getByRole("link", { name: /^Queue/ })).toBeVisible();
  await page.getByRole("button", { name: "Incoming call from +420 777 123 456" }).click();
  await expect(page.frameLocator("iframe[title='Taskdesk']").getByRole("heading", { level: 1, name: "Jana Dvorak" })).toBeVisible();
  expect(found).toEqual([]);
});

test("W1: every screen fits a 400-pixel side panel: nothing scrolls sideways in the widget", async ({ page }) => {
  const widget = await openCrm(page);
  await page.evaluate((ada) => document.querySelector("task-desk").desk.configure({ user: ada }), ADA);
  const sideways = () => widget.locator(".td-app").evaluate((el) => el.scrollWidth - el.clientWidth);
  const screens = [];
  for (const link of ["Queue", "Customers", "Fields", "Live board", "Reports", "Settings"]) {
    await goTo(widget, link);
    await expect(widget.getByRole("heading", { level: 1 })).toBeVisible();
    screens.push([link, await sideways()]);
  }
  await page.getByRole("button", { name: "New task for Jana Dvorak" }).click();
  await expect(widget.getByRole("heading", { level: 1, name: "Follow up with Jana Dvorak" })).toBeVisible();
  screens.push(["Task", await sideways()]);
  await widget.getByRole("button", { name: "Edit" }).click();
  screens.push(["Edit task", await sideways()]);
  await page.getByRole("button", { name: "Incoming call from +420 777 123 456" }).click();
  await expect(widget.getByRole("heading", { level: 1, name: "Jana Dvorak" })).toBeVisible();
  screens.push(["Customer", await sideways()]);
  expect(screens.filter(([, extra]) => extra > 0)).toEqual([]);
});
