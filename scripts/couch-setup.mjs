// Prepares an Apache CouchDB 3.x database (or a compatible server such as pouchdb-server) for Taskdesk.
//
//   node scripts/couch-setup.mjs <server URL with admin credentials> <database> [options]
//     --origin <app origin>   allow the app at that origin to call the server (CORS with cookies);
//                             repeat for several origins
//     --demo-users            create the demo workspace's people as server users (roles included),
//                             and the demo integration "pbx", and print their sign-in names and the
//                             demo password
//     --demo-data             fill the database with the demo workspace (made by the Rust domain,
//                             `cargo run -p taskdesk-sync --bin demo-docs`), written as the server admin,
//                             unless the database already holds a workspace
//     --add-person <sign-in> --name "<full name>" --role <agent|supervisor|admin> --id <user id>
//                  --password <first password>
//                             create one person's sign-in (the app's "Add a person" shows this
//                             command, filled in, to an admin who is not a server admin)
//     --add-integration <sign-in> --password <password>
//                             create a telephony or messaging integration's sign-in (the role
//                             taskdesk:integration): it may write interaction documents and nothing else
//
// It creates the database, lets only Taskdesk users read it (`_security` members; Taskdesk admins
// are its admins), and installs the design document whose `validate_doc_update`
// (scripts/couch/validate.js) re-checks every change: never edited, pushed by its own author, and
// allowed by the author's own permissions or role.
// Safe to run again: everything it writes is replaced by the same.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const ROLES = ["taskdesk:agent", "taskdesk:supervisor", "taskdesk:admin", "taskdesk:integration"];
export const demoPeople = JSON.parse(readFileSync(join(here, "demo-users.json"), "utf8"));

/** The validate_doc_update function's source. */
export const validateSource = readFileSync(join(here, "couch", "validate.js"), "utf8").trim();

/** Splits "http://admin:pw@host:5984" into the bare address and the Authorization header. */
export function serverOf(url) {
  const u = new URL(url);
  const auth = u.username ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}` : null;
  u.username = "";
  u.password = "";
  return { address: u.toString().replace(/\/$/, ""), auth };
}

/**
 * fetch, tried again a few times when no answer comes at all: a server that just changed its
 * configuration may close a kept-alive connection under the next request.
 */
export async function fetchAgain(url, init) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (e) {
      if (attempt >= 4) throw new Error(`The server at ${new URL(url).origin} cannot be reached (${e.cause?.code ?? e.message}). Is it running?`);
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

async function call(server, method, path, body) {
  const headers = { "content-type": "application/json", accept: "application/json" };
  if (server.auth) headers.authorization = server.auth;
  const res = await fetchAgain(`${server.address}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text };
}

async function must(server, method, path, body, okStatuses = [200, 201, 202]) {
  const r = await call(server, method, path, body);
  if (!okStatuses.includes(r.status)) throw new Error(`${method} ${path} answered ${r.status}: ${r.json?.reason ?? r.text}`);
  return r;
}

/** Creates (or updates) one person's sign-in, with their Taskdesk role and user id as roles. */
export async function createPerson(server, { login, password, role, id }) {
  if (!/^[a-z0-9._-]{1,60}$/.test(login ?? "")) throw new Error("A sign-in name is 1 to 60 lower-case letters, digits, dots, dashes or underscores.");
  if (!["agent", "supervisor", "admin"].includes(role)) throw new Error("--role is agent, supervisor or admin.");
  if (!/^[0-9a-f-]{36}$/.test(id ?? "")) throw new Error("--id is the person's Taskdesk user id (the app shows it).");
  if (!password) throw new Error("--password gives the person's first password.");
  await putDoc(server, `/_users/org.couchdb.user:${encodeURIComponent(login)}`, {
    _id: `org.couchdb.user:${login}`, name: login, type: "user", password, roles: [`taskdesk:${role}`, `taskdesk:user:${id}`],
  });
}

/** Creates (or updates) an integration's sign-in: the rules let it write interactions only. */
export async function createIntegration(server, { login, password }) {
  if (!/^[a-z0-9._-]{1,60}$/.test(login ?? "")) throw new Error("A sign-in name is 1 to 60 lower-case letters, digits, dots, dashes or underscores.");
  if (!password) throw new Error("--password gives the integration's password.");
  await putDoc(server, `/_users/org.couchdb.user:${encodeURIComponent(login)}`, { _id: `org.couchdb.user:${login}`, name: login, type: "user", password, roles: ["taskdesk:integration"] });
}

/** The rules with the per-person permissions a database's rules already hold (an admin's choices survive a re-run). */
function rulesKeeping(oldSource) {
  const line = /^\s*var PERMISSIONS = (.*);$/m;
  const kept = oldSource?.match(line)?.[1];
  return kept ? validateSource.replace(line, (l) => l.replace("{}", kept)) : validateSource;
}

/** Writes a document, replacing the one with the same id. */
async function putDoc(server, path, doc) {
  const old = await call(server, "GET", path);
  const body = old.status === 200 ? { ...doc, _rev: old.json._rev } : doc;
  return must(server, "PUT", path, body);
}

/** Allows the app's origins to call the server with cookies: CouchDB 3's per-node config first, pouchdb-server's /_config second. */
async function allowOrigins(server, origins) {
  const settings = [["httpd", "enable_cors", "true"], ["cors", "origins", origins.join(", ")], ["cors", "credentials", "true"],
    ["cors", "methods", "GET, PUT, POST, HEAD, DELETE"], ["cors", "headers", "accept, authorization, content-type, origin, referer"]];
  for (const base of ["/_node/_local/_config", "/_config"]) {
    const results = [];
    for (const [section, key, value] of settings) results.push(await call(server, "PUT", `${base}/${section}/${key}`, value));
    if (results.every((r) => r.status === 200)) return;
  }
  throw new Error("The server did not accept the CORS settings; set [cors] origins and credentials = true by hand (README, Sync).");
}

/** The demo's telephony integration, for scripts/send-interaction.mjs. */
export const DEMO_INTEGRATION = "pbx";

/** Creates a server user for each demo person, with their Taskdesk role and user id as roles, and the demo integration. */
export async function createDemoUsers(server) {
  for (const p of demoPeople.users) {
    await putDoc(server, `/_users/org.couchdb.user:${encodeURIComponent(p.login)}`, {
      _id: `org.couchdb.user:${p.login}`, name: p.login, type: "user", password: demoPeople.password,
      roles: [`taskdesk:${p.role}`, `taskdesk:user:${p.id}`],
    });
  }
  await createIntegration(server, { login: DEMO_INTEGRATION, password: demoPeople.password });
}

/** The demo workspace as change documents, made by the Rust domain. */
export function demoDocs() {
  const root = join(here, "..");
  const out = execFileSync("cargo", ["run", "--quiet", "-p", "taskdesk-sync", "--bin", "demo-docs"], { cwd: root, maxBuffer: 1 << 28 });
  return JSON.parse(out.toString());
}

/** Prepares `database`; returns what it did, line by line. */
export async function setup({ url, database, origins = [], demoUsers = false, demoData = null, person = null, integration = null }) {
  const server = serverOf(url);
  const done = [];
  const hello = await must(server, "GET", "/");
  done.push(`Server: ${hello.json?.vendor?.name ?? "CouchDB"} ${hello.json?.version ?? ""} at ${server.address}`);
  const db = `/${encodeURIComponent(database)}`;
  const created = await call(server, "PUT", db);
  if (created.status === 401 || created.status === 403) throw new Error("Creating the database needs a server admin: put the admin's name and password in the URL, like http://admin:secret@127.0.0.1:5984.");
  if (![201, 202, 412].includes(created.status)) throw new Error(`Creating the database answered ${created.status}: ${created.json?.reason ?? created.text}`);
  done.push(created.status === 412 ? `Database “${database}” already exists.` : `Created the database “${database}”.`);
  await must(server, "PUT", `${db}/_security`, { admins: { names: [], roles: ["taskdesk:admin"] }, members: { names: [], roles: ROLES } });
  done.push(`Only Taskdesk users (roles ${ROLES.join(", ")}) may read it; Taskdesk admins are its admins (they publish per-person permissions into its rules).`);
  const rules = await call(server, "GET", `${db}/_design/taskdesk`);
  await putDoc(server, `${db}/_design/taskdesk`, { _id: "_design/taskdesk", language: "javascript", validate_doc_update: rulesKeeping(rules.json?.validate_doc_update) });
  done.push("Installed the rules every change is checked against (validate_doc_update).");
  if (origins.length) {
    await allowOrigins(server, origins);
    done.push(`The app may call the server from ${origins.join(", ")}.`);
  }
  if (person) {
    await createPerson(server, person);
    done.push(`${person.name ?? person.login} can sign in as “${person.login}” (${person.role}).`);
  }
  if (integration) {
    await createIntegration(server, integration);
    done.push(`An integration can write interactions as “${integration.login}”.`);
  }
  if (demoUsers) {
    await createDemoUsers(server);
    done.push(`Demo people (password “${demoPeople.password}”): ${demoPeople.users.map((p) => `${p.login} (${p.name}, ${p.role})`).join("; ")}; the demo integration “${DEMO_INTEGRATION}” (same password) writes interactions.`);
  }
  const holds = await must(server, "GET", `${db}/_all_docs?limit=1&startkey=${encodeURIComponent('"change:"')}&endkey=${encodeURIComponent('"change:\ufff0"')}`);
  if (demoData && holds.json.rows.length > 0) {
    done.push("The database already holds a workspace, so no demo workspace was added.");
  } else if (demoData) {
    const docs = demoData === true ? demoDocs() : demoData;
    const r = await must(server, "POST", `${db}/_bulk_docs`, { new_edits: false, docs });
    const failed = (r.json ?? []).filter((x) => x.error);
    if (failed.length) throw new Error(`${failed.length} demo changes were refused: ${failed[0].reason}`);
    done.push(`Wrote the demo workspace: ${docs.length} changes.`);
  }
  return done;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a === "--demo-users" || a === "--demo-data"));
  const valued = ["--origin", "--add-person", "--add-integration", "--name", "--role", "--id", "--password"];
  const value = (flag) => args[args.indexOf(flag) + 1];
  const origins = args.flatMap((a, i) => (args[i - 1] === "--origin" ? [a] : []));
  const [url, database] = args.filter((a, i) => !a.startsWith("--") && !valued.includes(args[i - 1]));
  const integration = args.includes("--add-integration") ? { login: value("--add-integration"), password: value("--password") } : null;
  const person = args.includes("--add-person") ? { login: value("--add-person"), name: value("--name"), role: value("--role"), id: value("--id"), password: value("--password") } : null;
  if (!url || !database) {
    console.error("Usage: node scripts/couch-setup.mjs <server URL with admin credentials> <database> [--origin <app origin>] [--demo-users] [--demo-data] [--add-person <sign-in> --name <name> --role <role> --id <user id> --password <password>] [--add-integration <sign-in> --password <password>]");
    process.exit(2);
  }
  try {
    for (const line of await setup({ url, database, origins, person, integration, demoUsers: flags.has("--demo-users"), demoData: flags.has("--demo-data") })) console.log(line);
  } catch (e) {
    console.error(`couch-setup: ${e.message}`);
    process.exit(1);
  }
}
