// Runs the rules the way CouchDB does, over cases read as JSON from stdin:
// { "source": the rules (scripts/couch/validate.js when absent), "cases": [{ "doc": {...},
// "old": {...} | null, "userCtx": { "name", "roles" } }] }, and prints for each
// { "allowed": true } or { "allowed": false, "reason": "..." }. Used by crates/sync/tests/server_rules.rs.
import { readFileSync } from "node:fs";
import { validateSource } from "../couch-setup.mjs";

const input = JSON.parse(readFileSync(0, "utf8"));
const validate = new Function(`return (${input.source ?? validateSource});`)();
const cases = input.cases;
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
