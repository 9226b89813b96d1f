// Serves a built folder on 127.0.0.1 with single-page-app fallback: any path that is not a file
// gets index.html, so deep links (/tasks/<id>) survive a reload. No dependencies.
// Usage: node scripts/serve.mjs [dir=dist] [port=8080] [--isolated]
// --isolated sends the cross-origin isolation headers, which give benchmark pages 5-microsecond
// timers (otherwise Chromium rounds performance.now() to 100 microseconds).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const root = resolve(process.argv[2] ?? "dist");
const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
const isolation = process.argv.includes("--isolated") ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } : {};
const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".json": "application/json",
  ".png": "image/png", ".webmanifest": "application/manifest+json",
};

async function fileFor(urlPath) {
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

createServer(async (req, res) => {
  let path = await fileFor(req.url ?? "/");
  if (!path && !extname(req.url ?? "")) path = join(root, "index.html");
  if (!path) {
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    return;
  }
  try {
    const body = await readFile(path);
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream", "cache-control": "no-cache", ...isolation }).end(body);
  } catch {
    res.writeHead(500, { "content-type": "text/plain" }).end("Could not read file");
  }
}).listen(port, "127.0.0.1", () => console.log(`Taskdesk at http://127.0.0.1:${port}/ (serving ${root})`));
