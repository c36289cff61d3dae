// Networkshop service worker: a return visit never waits on the network.
// Pages: the cached app shell (the participant's or the facilitator's) at once (cache first); the network refreshes it in the background,
// and when it brings a new build, that build's assets are cached before its shell, the old
// assets are dropped, and the open pages are told so they can offer a reload. A first visit
// (nothing cached yet) goes to the network.
// Hashed assets (js, wasm, css): cache first, they never change under one name.
// Bundles (/bundles/) are never cached here: sync handles them and must see the real server.
const CACHE = 'networkshop-shell-v4';
// The participant's app at /, the facilitator's at /map/: both are cached, so the map, the
// report, partner suggestions and backup open offline after a first visit to either.
const SHELLS = ['/', '/map/'];
// The facilitator's app answers these routes too (the server has a copy of its shell at each).
const FACILITATOR_ROUTES = ['/map', '/report', '/team', '/partners', '/backup'];
const ALWAYS = ['/manifest.webmanifest', '/icon.svg'];

function shellFor(path) {
  const facilitator = FACILITATOR_ROUTES.some((route) => path === route || path.startsWith(route + '/'));
  return facilitator ? '/map/' : '/';
}

/** Every asset a shell names: Trunk writes each one into its index.html. */
function assetsOf(html) {
  const assets = new Set();
  // `data-later`: the wasm chunks a page fetches once it is up (scripts/split/finish.mjs).
  for (const match of html.matchAll(/(?:href|src|data-later|module_or_path:)\s*=?\s*['"](\/[^'"]+\.(?:m?js|wasm|css))['"]/g)) {
    assets.add(match[1]);
  }
  for (const match of html.matchAll(/from\s+['"](\/[^'"]+\.m?js)['"]/g)) assets.add(match[1]);
  return assets;
}

/**
 * Keeps `fresh` (shell → response): first every asset any shell names that the cache lacks,
 * then the shells, then drops the assets no shell names any more.
 */
async function keepShells(fresh) {
  const cache = await caches.open(CACHE);
  const assets = new Set(ALWAYS);
  for (const shell of SHELLS) {
    const response = fresh.get(shell) ?? (await cache.match(shell));
    if (response) for (const asset of assetsOf(await response.clone().text())) assets.add(asset);
  }
  const missing = [];
  for (const asset of assets) if (!(await cache.match(asset))) missing.push(asset);
  await cache.addAll(missing);
  for (const [shell, response] of fresh) await cache.put(shell, response);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (!SHELLS.includes(path) && !assets.has(path)) await cache.delete(request);
  }
}

/** The shells as the server has them now (those it answers). */
async function fetchShells() {
  const fresh = new Map();
  for (const shell of SHELLS) {
    const response = await fetch(shell, { cache: 'no-cache' });
    if (response.ok) fresh.set(shell, response);
  }
  return fresh;
}

self.addEventListener('install', (event) => {
  event.waitUntil(fetchShells().then(keepShells).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/bundles/')) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(navigate(event));
    return;
  }
  event.respondWith(
    caches.match(request).then((cached) => cached || fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    })),
  );
});

async function navigate(event) {
  const shell = shellFor(new URL(event.request.url).pathname);
  const cached = await caches.match(shell);
  if (!cached) {
    const response = await fetch(event.request);
    if (response.ok) event.waitUntil(keepShells(new Map([[shell, response.clone()]])).catch(() => {}));
    return response;
  }
  event.waitUntil(refresh(event.resultingClientId).catch(() => {}));
  return cached;
}

/**
 * Fetches the shells; any that differs is a new build, kept for the next visit and announced
 * to every page, including `newClient`, the one this navigation opens.
 */
async function refresh(newClient) {
  const fresh = await fetchShells();
  const changed = new Map();
  for (const [shell, response] of fresh) {
    const cached = await caches.match(shell);
    if (!cached || (await cached.text()) !== (await response.clone().text())) changed.set(shell, response);
  }
  if (changed.size === 0) return;
  await keepShells(changed);
  const told = new Set();
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    client.postMessage({ type: 'new-version' });
    told.add(client.id);
  }
  // The page this navigation opens is not among them until it runs: a fast refresh would miss
  // it, and it is the one the participant is looking at. Wait for it a few seconds.
  for (let tries = 0; newClient && !told.has(newClient) && tries < 50; tries += 1) {
    const client = await self.clients.get(newClient);
    if (client) {
      client.postMessage({ type: 'new-version' });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
