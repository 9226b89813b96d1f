// Taskdesk's service worker: keeps the built app on the device so it opens, and reloads, with
// no network, on every deep link. scripts/sw-manifest.mjs (a Trunk post-build hook) writes the
// build id and the list of built files below. A new build installs next to the running one and
// waits: the page offers "Reload", and only then does it take over. Requests to other origins
// (the sync server) are never touched.
const BUILD = "development";
const FILES = [];
const CACHE = `taskdesk-${BUILD}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith("taskdesk-") && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || FILES.length === 0) return;
  if (request.mode === "navigate") {
    // A page of the build (embed.html, the email frame) is itself; every screen of the app is
    // the same page, so the cached shell answers and a deep link opens offline. Other pages of
    // the site (the demo CRM) go to the network.
    const own = FILES.includes(url.pathname) && url.pathname !== "/index.html";
    const screen = !url.pathname.includes(".") && !url.pathname.startsWith("/demo-crm");
    if (own || screen) {
      event.respondWith(caches.match(own ? url.pathname : "/index.html", { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
    }
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
});
