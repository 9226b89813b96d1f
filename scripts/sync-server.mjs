// A local CouchDB-compatible server (pouchdb-server, from node_modules) for trying sync, for the
// tests and for the benchmarks. Binds to 127.0.0.1 only.
//
//   node scripts/sync-server.mjs                 `make sync-server`: port 5984, data kept in
//                                                .sync-server/ (ignored by git), database
//                                                "taskdesk" with the demo people and workspace
//   node scripts/sync-server.mjs --test          a throw-away in-memory server on a free port;
//                                                prints one JSON line { url, admin } and stops
//                                                when its standard input closes (used by cargo tests)
//
// pouchdb-server writes config.json (admins included) where it runs, so it runs in a folder of its own.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDemoUsers, demoPeople, fetchAgain, setup, serverOf } from "./couch-setup.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ADMIN = { name: "admin", password: "taskdesk-admin" };

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url, child, output) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`pouchdb-server stopped at start:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pouchdb-server did not answer at ${url}:\n${output()}`);
}

/**
 * Starts pouchdb-server on 127.0.0.1. `dir`: where its data and config live (a fresh temporary
 * folder, in memory, when absent). Creates the server admin. Returns { url, adminUrl, port, stop, restart }.
 */
export async function startServer({ port, dir } = {}) {
  port ??= await freePort();
  const inMemory = !dir;
  const home = dir ?? mkdtempSync(join(tmpdir(), "taskdesk-couch-"));
  mkdirSync(home, { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  const adminUrl = `http://${ADMIN.name}:${ADMIN.password}@127.0.0.1:${port}`;
  let child;
  let log = "";
  const launch = async () => {
    log = "";
    const args = ["--host", "127.0.0.1", "--port", String(port), "--no-color", ...(inMemory ? ["--in-memory"] : ["--dir", home])];
    child = spawn(join(root, "node_modules", ".bin", "pouchdb-server"), args, { cwd: home, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    await waitUntilUp(url, child, () => log);
    // The admin goes into config.json; before it exists everyone is admin ("admin party").
    const auth = { authorization: `Basic ${Buffer.from(`${ADMIN.name}:${ADMIN.password}`).toString("base64")}` };
    const probe = await fetchAgain(`${url}/_session`, { headers: auth });
    if ((await probe.json()).userCtx?.name !== ADMIN.name) {
      const r = await fetchAgain(`${url}/_config/admins/${ADMIN.name}`, { method: "PUT", body: JSON.stringify(ADMIN.password) });
      if (!r.ok) throw new Error(`Could not create the server admin: ${r.status} ${await r.text()}`);
      // Without a configured secret pouchdb-server makes a new one at every start, which signs
      // everyone out on a restart; Apache CouchDB keeps its secret in its configuration.
      const secret = randomBytes(16).toString("hex");
      const s = await fetchAgain(`${url}/_config/couch_httpd_auth/secret`, { method: "PUT", headers: auth, body: JSON.stringify(secret) });
      if (!s.ok) throw new Error(`Could not set the session secret: ${s.status} ${await s.text()}`);
    }
  };
  const stop = () =>
    new Promise((resolve) => {
      // A process ended by a signal keeps exitCode null and sets signalCode.
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  await launch();
  return {
    url, adminUrl, port, home,
    output: () => log,
    stop: async () => {
      await stop();
      if (inMemory) rmSync(home, { recursive: true, force: true });
    },
    /** Stops and starts the server again on the same port (in memory: empty again). */
    restart: async () => {
      await stop();
      await launch();
    },
  };
}

/** Prepares a fresh database with the demo people (and, if asked, the demo workspace). */
export async function prepareDatabase(server, database, { origins = [], demoData = false } = {}) {
  return setup({ url: server.adminUrl, database, origins, demoUsers: true, demoData });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--test")) {
    const server = await startServer();
    await createDemoUsers(serverOf(server.adminUrl));
    console.log(JSON.stringify({ url: server.url, admin: server.adminUrl }));
    process.stdin.resume();
    process.stdin.on("end", async () => {
      await server.stop();
      process.exit(0);
    });
  } else {
    const port = Number(process.env.SYNC_PORT ?? 5984);
    const app = process.env.APP_ORIGIN ?? "http://127.0.0.1:8080";
    const server = await startServer({ port, dir: join(root, ".sync-server") });
    const lines = await prepareDatabase(server, "taskdesk", { origins: [app, "http://localhost:8080"], demoData: true });
    console.log(lines.join("\n"));
    console.log(`
A CouchDB-compatible server runs at ${server.url} (data in .sync-server/; stop it with Ctrl+C).

To watch two browsers sync: run \`make run\`, open ${app} in two browsers (or a normal and a
private window), and in each go to Settings, "Sync", and type:
  Server address  ${server.url}
  Database        taskdesk
  User name       alex (in the other browser: sam)
  Password        ${demoPeople.password}
then press Connect. Each takes the server's workspace; work made in one (offline too) appears in
the other, and History shows every merge. Other people: ${demoPeople.users.map((p) => p.login).join(", ")}.`);
    const quit = async () => {
      await server.stop();
      process.exit(0);
    };
    process.on("SIGINT", quit);
    process.on("SIGTERM", quit);
  }
}
