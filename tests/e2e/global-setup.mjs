// Starts a pouchdb-server on a free loopback port for the run (the sync journeys each make their
// own database on it), creates the demo people, and makes the demo workspace's change documents
// once; then serves the release build on 127.0.0.1:4173 under the strict CSP, widened by exactly
// that server (connect-src), and the demo CRM on another port (the iframe mode's host). All stop
// when the run ends.
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
  // The demo CRM on another origin, allowed to frame Taskdesk (the iframe mode's journeys).
  const crmPort = await freePort();
  const crmOrigin = `http://127.0.0.1:${crmPort}`;
  process.env.TASKDESK_CRM = crmOrigin;
  const app = await serve({ dir: "dist", port: APP_PORT, connect: [server.url, `http://127.0.0.1:${spare}`], frameOrigins: [crmOrigin] });
  const crm = await serve({ dir: "dist/demo-crm", port: crmPort, embeds: [`http://127.0.0.1:${APP_PORT}`] });
  return async () => {
    await crm.close();
    await app.close();
    await server.stop();
  };
}
