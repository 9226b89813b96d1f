// Trunk post-build hook, run in Trunk's staging folder (TRUNK_STAGING_DIR):
// 1. embed.js learns the hashed names of this build's wasm glue, wasm and widget stylesheet, so
//    host pages load it by a stable name (W1);
// 2. the widget stylesheet is made from the app's: sized in px, not rem (a host's root font size
//    must not resize the widget), and its narrow layouts follow the widget's width (container
//    queries), not the window's, so a 400-pixel side panel gets the narrow layout;
// 3. the service worker gets the build id and the list of files to keep offline; the build id is
//    a hash of every file, so any change makes a new service worker (and "Reload").
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("post-build: run me as a Trunk post_build hook (TRUNK_STAGING_DIR is not set)");
  process.exit(1);
}
const base = (process.env.TRUNK_PUBLIC_URL ?? "/").replace(/\/?$/, "/");
const top = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
const one = (pattern, what) => {
  const found = top.filter((f) => pattern.test(f));
  if (found.length !== 1) throw new Error(`post-build: expected one ${what}, found ${found.length}`);
  return found[0];
};
const short = (text) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** The widget's stylesheet, from the app's. */
function widgetCss(appCss) {
  const px = appCss
    .replace(/(-?\d*\.?\d+)rem\b/g, (_, n) => `${+(Number(n) * 16).toFixed(2)}px`)
    .replace(/@media \((max|min)-width:/g, "@container ($1-width:")
    .replace(/(\d+)vw\b/g, "$1cqw");
  // The host element: nothing of the page's inherited styles comes in; the widget is a box of
  // its own, positioned so pop-ups stay inside it, and a container for the narrow layouts.
  const host = ":host{all:initial;display:block;position:relative;height:100%;min-height:320px;container-type:inline-size;overflow:hidden}\n.td-mount{height:100%}\n.td-app{all:initial}\n";
  const after = "\n.td-app{display:flex;flex-direction:column;height:100%;min-height:0;overflow:auto;font:15px/1.5 var(--td-font);color:var(--td-text);background:var(--td-bg)}\n.td-offers,.td-reminders,.td-overlay{position:absolute}\n";
  return host + px + after;
}

const glue = one(/^taskdesk-[0-9a-f]+\.js$/, "wasm glue file");
const wasm = one(/^taskdesk-[0-9a-f]+_bg\.wasm$/, "wasm file");
const appCss = one(/^main-[0-9a-f]+\.css$/, "stylesheet");
const widget = widgetCss(readFileSync(join(dir, appCss), "utf8"));
const widgetName = `embed-${short(widget)}.css`;
writeFileSync(join(dir, widgetName), widget);
const embed = join(dir, "embed.js");
writeFileSync(embed, readFileSync(embed, "utf8")
  .replace(/^const GLUE = .*;$/m, `const GLUE = ${JSON.stringify(glue)};`)
  .replace(/^const WASM = .*;$/m, `const WASM = ${JSON.stringify(wasm)};`)
  .replace(/^const CSS = .*;$/m, `const CSS = ${JSON.stringify(widgetName)};`));

const files = readdirSync(dir).filter((f) => f !== "sw.js" && statSync(join(dir, f)).isFile()).sort();
const hash = createHash("sha256");
for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
const build = hash.digest("hex").slice(0, 16);
const worker = join(dir, "sw.js");
writeFileSync(worker, readFileSync(worker, "utf8")
  .replace(/^const BUILD = .*;$/m, `const BUILD = ${JSON.stringify(build)};`)
  .replace(/^const FILES = .*;$/m, `const FILES = ${JSON.stringify(files.map((f) => base + f))};`));
console.log(`post-build: embed.js loads ${glue}; widget styles ${widgetName}; build ${build}, ${files.length} files to keep offline`);
