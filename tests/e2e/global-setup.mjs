// Starts a pouchdb-server on a free loopback port for the run (the sync journeys each make their
// own database on it), creates the demo people, and makes the demo workspace's change documents
// once. The server stops when the run ends.
import { writeFileSync, mkdirSync } from "node:fs";
import { startServer } from "../../scripts/sync-server.mjs";
import { createDemoUsers, demoDocs, serverOf } from "../../scripts/couch-setup.mjs";

export default async function globalSetup() {
  const server = await startServer();
  await createDemoUsers(serverOf(server.adminUrl));
  mkdirSync("test-results", { recursive: true });
  const docs = "test-results/demo-docs.json";
  writeFileSync(docs, JSON.stringify(demoDocs()));
  process.env.TASKDESK_COUCH = server.url;
  process.env.TASKDESK_COUCH_ADMIN = server.adminUrl;
  process.env.TASKDESK_DEMO_DOCS = docs;
  return async () => server.stop();
}
