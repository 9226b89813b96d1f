// Helpers for the sync journeys: a fresh database on the run's pouchdb-server, a device (a
// browser context of its own), connecting in Settings as a person would, and reading the server.
import { expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { setup, demoPeople } from "../../scripts/couch-setup.mjs";
import { openApp } from "./workspace.mjs";

export const PASSWORD = demoPeople.password;
export const serverUrl = () => process.env.TASKDESK_COUCH;
const adminUrl = () => process.env.TASKDESK_COUCH_ADMIN;
let counter = 0;

/** A new database for one test, with the server's rules, holding the demo workspace unless `demo` is false. */
export async function freshDatabase(testInfo, { demo = true, url = adminUrl() } = {}) {
  const name = `t${testInfo.workerIndex}x${Date.now().toString(36)}x${counter++}`;
  const docs = demo ? JSON.parse(readFileSync(process.env.TASKDESK_DEMO_DOCS, "utf8")) : null;
  await setup({ url, database: name, origins: [testInfo.project.use.baseURL], demoData: docs });
  return name;
}

/** A device: a browser context of its own (its own storage and cookies), with a page open on the app. */
export async function newDevice(browser, testInfo, path = "/") {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, storageState: "tests/e2e/quiet-center.json" });
  const page = await context.newPage();
  await openApp(page, path);
  return { context, page };
}

/** Connects in Settings, Sync, as `user`, and waits for the first sync to finish. */
export async function connect(page, { database, user, server = serverUrl() }) {
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Server address").fill(server);
  await page.getByLabel("Database").fill(database);
  await page.getByLabel("User name").fill(user);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Connect" }).click();
  await synced(page);
}

/** Waits until the header says everything is synced and nothing waits. */
export async function synced(page, timeout = 20_000) {
  await expect(page.getByRole("status").filter({ hasText: /^Synced at \d\d:\d\d:\d\d$/ })).toBeVisible({ timeout });
}

/** Calls the server as the admin, or as `user` with the demo password: plain HTTP, as any script could. */
export async function couch(method, path, body, user) {
  const base = new URL(user ? serverUrl() : adminUrl());
  const name = user ?? decodeURIComponent(base.username);
  const password = user ? PASSWORD : decodeURIComponent(base.password);
  base.username = "";
  base.password = "";
  const res = await fetch(`${base.toString().replace(/\/$/, "")}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${name}:${password}`).toString("base64")}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** Every change document in a database. */
export async function serverChanges(database) {
  const r = await couch("GET", `/${database}/_all_docs?include_docs=true`);
  return r.json.rows.map((row) => row.doc).filter((d) => d.type === "change");
}
