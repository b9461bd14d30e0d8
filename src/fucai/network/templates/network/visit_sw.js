/* The field-visit pages' service worker (fucai.network.visit_views.visit_sw), scope /network/visits/.
   It keeps the phone page and its assets, so the page opens on a poor connection; visits
   themselves wait in the page's IndexedDB queue (network/visit_new.js), never here. Only GETs
   are answered: the page (network first, the kept copy when that fails) and the static assets
   (the kept copy first); posts go straight to the network. */
const CONFIG = {{ config_json|safe }};
const CACHE = "fucai-visits-" + CONFIG.version;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => Promise.all([CONFIG.shell, ...CONFIG.assets].map((url) =>
        fetch(url, { credentials: "same-origin" })
          .then((r) => (r.ok && !r.redirected ? cache.put(url, r) : null))
          .catch(() => null))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("fucai-visits-") && k !== CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === CONFIG.shell) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(CONFIG.shell, copy));
          }
          return response;
        })
        .catch(() => caches.match(CONFIG.shell).then((kept) => kept || Response.error()))
    );
    return;
  }
  if (CONFIG.assets.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((kept) => kept || fetch(request)));
  }
});
