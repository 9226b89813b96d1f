// End-to-end tests against the release build in dist/, served on 127.0.0.1 by scripts/serve.mjs
// (started by the global setup, under the strict CSP), in Debian's Chromium (no browser download).
import { defineConfig } from "@playwright/test";

const port = 4173;
export default defineConfig({
  testDir: "tests/e2e",
  // A pouchdb-server on a free loopback port for the sync journeys, and the app on port 4173.
  globalSetup: "./tests/e2e/global-setup.mjs",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
    trace: "off",
    // The simulated contact center starts paused, so journeys of other features see a still
    // workspace; the routing journeys turn it on.
    storageState: "tests/e2e/quiet-center.json",
  },
});
