// Trunk post-build hook: writes the build id and the list of built files into the service
// worker (sw.js) in Trunk's staging folder, so it precaches exactly this build. The build id is
// a hash of every file, so any change to the app makes a new service worker (and "Reload").
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("sw-manifest: run me as a Trunk post_build hook (TRUNK_STAGING_DIR is not set)");
  process.exit(1);
}
const base = (process.env.TRUNK_PUBLIC_URL ?? "/").replace(/\/?$/, "/");
const files = readdirSync(dir).filter((f) => f !== "sw.js").sort();
const hash = createHash("sha256");
for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
const build = hash.digest("hex").slice(0, 16);
const worker = join(dir, "sw.js");
const source = readFileSync(worker, "utf8")
  .replace(/^const BUILD = .*;$/m, `const BUILD = ${JSON.stringify(build)};`)
  .replace(/^const FILES = .*;$/m, `const FILES = ${JSON.stringify(files.map((f) => base + f))};`);
writeFileSync(worker, source);
console.log(`sw-manifest: build ${build}, ${files.length} files to keep offline`);
