// Starts a pouchdb-server on a free loopback port for the run (the sync journeys each make their
// own database on it), creates the demo people, and makes the demo workspace's change documents
// once; then serves the release build on 127.0.0.1:4173 under the strict CSP, widened by exactly
// that server (connect-src). Both stop when the run ends.
import { writeFileSync, mkdirSync } from "node:fs";
import { freePort, startServer } from "../../scripts/sync-server.mjs";
import { createDemoUsers, demoDocs, serverOf } from "../../scripts/couch-setup.mjs";
import { serve } from "../../scripts/serve.mjs";

export const APP_PORT = 4173;

export default async function globalSetup() {
  const server = await startServer();
  await createDemoUsers(serverOf(server.adminUrl));
  mkdirSync("test-results", { recursive: true });
  const docs = "test-results/demo-docs.json";
  writeFileSync(docs, JSON.stringify(demoDocs()));
  process.env.TASKDESK_COUCH = server.url;
  process.env.TASKDESK_COUCH_ADMIN = server.adminUrl;
  process.env.TASKDESK_DEMO_DOCS = docs;
  // A second port for a journey that runs a server of its own (restarting it): the app may call it too.
  const spare = await freePort();
  process.env.TASKDESK_SPARE_PORT = String(spare);
  const app = await serve({ dir: "dist", port: APP_PORT, connect: [server.url, `http://127.0.0.1:${spare}`] });
  return async () => {
    await app.close();
    await server.stop();
  };
}
