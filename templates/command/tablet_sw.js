// The officer tablet's service worker, served from /tablet/sw.js (command.views.tablet_service_worker)
// so that its scope, /tablet/, covers the page. A classic script, no build step: the server writes in
// the version and the shell's URLs.
//
// - shell: the page's modules, styles and Leaflet, kept at install; fetched from the network first
//   (a new release is seen at once) and from here when there is none;
// - data: the page itself and the unit's snapshot (its assignment, messages, broadcasts), the newest
//   kept, served when the network is away or too slow; forgotten at log-out;
// - tiles: the basemap tiles of the unit's platform area, fetched when the page asks after login
//   (their URLs carry the road network's version, so a kept tile is good until the network changes).
//
// Actions taken offline are not the worker's business: the page queues them in order and sends them
// when its connection is back (static/command/lib/tablet_queue.js).

const VERSION = "{{ version }}";
const SHELL = `tablet-shell-${VERSION}`;
const DATA = "tablet-data";
const TILES = "tablet-tiles";
const SHELL_URLS = {{ shell_json|safe }};
const PAGE = "{{ page }}";
const SNAPSHOT = /^\/api\/v1\/units\/\d+\/snapshot$/;
const PATIENCE_MS = 5000;   // a page or snapshot slower than this comes from the cache, if kept
const TILE_FETCHES = 4;     // tiles fetched at once while keeping the platform's area

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL);
    await shell.addAll(SHELL_URLS);
    await keep(await caches.open(DATA), new Request(PAGE, { credentials: "same-origin" }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("tablet-shell-") && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/logout/") {
    event.waitUntil(caches.delete(DATA));  // what the unit was doing is not left on a shared tablet
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && url.pathname === PAGE) event.respondWith(fresh(request, DATA, PAGE, PATIENCE_MS));
  else if (SNAPSHOT.test(url.pathname)) event.respondWith(fresh(request, DATA));
  else if (url.pathname.startsWith("/basemap/")) event.respondWith(kept(request, TILES));
  else if (SHELL_URLS.includes(url.pathname)) event.respondWith(fresh(request, SHELL));
});

// The network's answer, kept; the kept one when the network fails (or, given `patience`, is slower than
// that). The snapshot waits for the network as long as it takes while there is one: the live feed
// trusts a snapshot as the server's state now, and an old one would hide what happened since.
async function fresh(request, cacheName, key = request, patience = Infinity) {
  const cache = await caches.open(cacheName);
  const network = fetch(request).then(async (response) => {
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  });
  // Our own copies answer whoever asks (the server's Vary: Accept, Cookie would make a copy kept by a
  // plain fetch unseen by the page's JSON request).
  const held = await cache.match(key, { ignoreSearch: key === PAGE, ignoreVary: true });
  if (!held) return network;
  const racers = [network.catch(() => held)];
  if (Number.isFinite(patience)) racers.push(new Promise((resolve) => setTimeout(() => resolve(held), patience)));
  return Promise.race(racers);
}

// A tile kept is served as it is; one not kept is fetched and kept.
async function kept(request, cacheName) {
  const cache = await caches.open(cacheName);
  return (await cache.match(request, { ignoreVary: true })) || keep(cache, request);
}

async function keep(cache, request) {
  const response = await fetch(request);
  if (response.ok && !response.redirected) await cache.put(request, response.clone());
  return response;
}

// The page asks for its platform's tiles after login: {type: "keep-tiles", urls, version}. Tiles of
// another network version are dropped; progress goes back as {type: "tiles", done, kept, total}.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "keep-tiles") event.waitUntil(keepTiles(event.data, event.source));
});

async function keepTiles({ urls, version }, client) {
  const cache = await caches.open(TILES);
  for (const request of await cache.keys()) {
    if (new URL(request.url).searchParams.get("v") !== version) await cache.delete(request);
  }
  const queue = [...urls];
  const progress = { type: "tiles", done: 0, kept: 0, total: urls.length };
  const worker = async () => {
    while (queue.length) {
      const url = queue.shift();
      try {
        const held = (await cache.match(url, { ignoreVary: true }))
          || (await keep(cache, new Request(url, { credentials: "same-origin" })));
        if (held.ok) progress.kept += 1;
      } catch (error) { /* offline: the next login tries again */ }
      progress.done += 1;
      if (progress.done % 50 === 0 || progress.done === progress.total) client.postMessage({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: TILE_FETCHES }, worker));
}
