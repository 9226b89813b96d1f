// Runs scripts/couch/validate.js the way CouchDB does, over cases read as JSON from stdin:
// [{ "doc": {...}, "old": {...} | null, "userCtx": { "name", "roles" } }], and prints for each
// { "allowed": true } or { "allowed": false, "reason": "..." }. Used by crates/sync/tests/server_rules.rs.
import { readFileSync } from "node:fs";
import { validateSource } from "../couch-setup.mjs";

const validate = new Function(`return (${validateSource});`)();
const cases = JSON.parse(readFileSync(0, "utf8"));
const results = cases.map(({ doc, old, userCtx }) => {
  try {
    validate(doc, old ?? null, userCtx, {});
    return { allowed: true };
  } catch (e) {
    if (e && typeof e.forbidden === "string") return { allowed: false, reason: e.forbidden };
    if (e && typeof e.unauthorized === "string") return { allowed: false, reason: `unauthorized: ${e.unauthorized}` };
    return { allowed: false, reason: `crashed: ${e}` };
  }
});
process.stdout.write(JSON.stringify(results));
