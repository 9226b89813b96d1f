// Serves a built folder on 127.0.0.1 with single-page-app fallback: any path that is not a file
// gets index.html, so deep links (/tasks/<id>) survive a reload. No dependencies.
//
// Every response carries Taskdesk's strict Content-Security-Policy (W1), so the app, the widget
// and the demo CRM are always tried under it:
//   default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self';
//   img-src 'self' data:; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'
// widened only by what the options name:
//   --connect <origin>       a sync server the app may call (connect-src); repeatable
//   --frame-origin <origin>  a host page that may frame embed.html (frame-ancestors, and
//                            /frame-origins.json, which embed.html reads); repeatable
//   --embeds <origin>        this folder is a host page embedding Taskdesk from that origin: its
//                            script, styles, wasm and frame (script-src, connect-src, frame-src)
//   --isolated               cross-origin isolation headers, for 5-microsecond timers in benchmarks
//   --no-csp                 no policy (benchmark pages of other libraries)
// The email frame (mail-frame.html) gets the policy of an email: its own styles, and images only
// once the agent allows them (the frame asks for that itself).
//
// Usage: node scripts/serve.mjs [dir=dist] [port=8080] [options]
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".json": "application/json",
  ".png": "image/png", ".webmanifest": "application/manifest+json",
};

/** The app's policy, widened by the sync servers it may call, the hosts that may frame it, and
 * (for a host page) the origin it embeds Taskdesk from. */
export function policy({ connect = [], frameAncestors = [], embeds = [] } = {}) {
  return [
    "default-src 'self'",
    `script-src ${["'self'", "'wasm-unsafe-eval'", ...embeds].join(" ")}`,
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connect, ...embeds].join(" ")}`,
    ...(embeds.length ? [`frame-src ${["'self'", ...embeds].join(" ")}`] : []),
    "object-src 'none'",
    "base-uri 'none'",
    `frame-ancestors ${["'self'", ...frameAncestors].join(" ")}`,
    "require-trusted-types-for 'script'",
  ].join("; ");
}

/** The policy of the email frame: nothing runs but its own script, the email's styles apply
 * (the frame then locks the email further, images included, until the agent allows them). */
export function mailFramePolicy(frameAncestors = []) {
  return `default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data: https: http:; base-uri 'none'; form-action 'none'; frame-ancestors ${["'self'", ...frameAncestors].join(" ")}`;
}

async function fileFor(root, urlPath) {
  const clean = normalize(decodeURIComponent(urlPath.split("?")[0])).replace(/^(\.\.[/\\])+/, "");
  const path = join(root, clean);
  if (!path.startsWith(root)) return null;
  try {
    const s = await stat(path);
    if (s.isFile()) return path;
    if (s.isDirectory()) {
      const index = join(path, "index.html");
      if ((await stat(index).catch(() => null))?.isFile()) return index;
    }
  } catch {}
  return null;
}

/** Starts serving `dir` on 127.0.0.1:`port` (0: any free port); resolves to { url, port, close }.
 * A path not found in `dir` is looked for in each of `also` in turn (the cold-start bench serves
 * the app and, on the same origin so they share its IndexedDB, the bench pages beside it). */
export function serve({ dir = "dist", also = [], port = 8080, connect = [], frameOrigins = [], embeds = [], isolated = false, csp = true } = {}) {
  const root = resolve(dir);
  const roots = [root, ...also.map((d) => resolve(d))];
  const isolation = isolated ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } : {};
  const server = createServer(async (req, res) => {
    const url = req.url ?? "/";
    const headers = (path) => {
      const name = path.slice((roots.find((r) => path.startsWith(r)) ?? root).length).replace(/\\/g, "/");
      const framed = name === "/embed.html" ? frameOrigins : [];
      const rules = !csp ? {} : { "content-security-policy": name === "/mail-frame.html" ? mailFramePolicy(frameOrigins) : policy({ connect, frameAncestors: framed, embeds }) };
      // The app's files may be loaded by host pages on other origins (a widget's script and styles).
      const shared = [".js", ".css", ".wasm", ".json"].includes(extname(path)) ? { "access-control-allow-origin": "*" } : {};
      return { "content-type": types[extname(path)] ?? "application/octet-stream", "cache-control": "no-cache", ...rules, ...shared, ...isolation };
    };
    if (url.split("?")[0] === "/frame-origins.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache", "access-control-allow-origin": "*" }).end(JSON.stringify(frameOrigins));
      return;
    }
    let path = null;
    for (const r of roots) path ??= await fileFor(r, url);
    if (!path && !extname(url.split("?")[0])) path = join(root, "index.html");
    if (!path) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    try {
      const body = await readFile(path);
      res.writeHead(200, headers(path)).end(body);
    } catch {
      res.writeHead(500, { "content-type": "text/plain" }).end("Could not read file");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const actual = server.address().port;
      ok({ url: `http://127.0.0.1:${actual}`, port: actual, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const valued = ["--connect", "--frame-origin", "--embeds"];
  const all = (flag) => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));
  const [dir = "dist", port = process.env.PORT ?? 8080] = args.filter((a, i) => !a.startsWith("--") && !valued.includes(args[i - 1]));
  const started = await serve({ dir, port: Number(port), connect: all("--connect"), frameOrigins: all("--frame-origin"), embeds: all("--embeds"), isolated: args.includes("--isolated"), csp: !args.includes("--no-csp") });
  console.log(`Taskdesk at ${started.url}/ (serving ${resolve(dir)})`);
}
