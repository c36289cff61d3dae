// Networkshop service worker: the app shell opens with no network.
// Pages: network first (a new build is picked up when online), the cached shell when offline or
// when the network stays silent for NETWORK_WAIT_MS (a saturated access point, a captive portal).
// Hashed assets (js, wasm, css): cache first, they never change under one name.
// Bundles (/bundles/) are never cached here: sync handles them and must see the real server.
const CACHE = 'networkshop-shell-v1';
const NETWORK_WAIT_MS = 4000;

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch('/', { cache: 'no-cache' });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put('/', response);
  // Trunk names every asset in index.html; cache them all so the next visit works offline.
  const assets = new Set(['/manifest.webmanifest', '/icon.svg']);
  for (const match of html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*['"](\/[^'"]+\.(?:m?js|wasm|css))['"]/g)) {
    assets.add(match[1]);
  }
  for (const match of html.matchAll(/from\s+['"](\/[^'"]+\.m?js)['"]/g)) assets.add(match[1]);
  await cache.addAll([...assets]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
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
    event.respondWith(navigate(request));
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

async function navigate(request) {
  const network = fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put('/', copy));
    }
    return response;
  });
  const cached = await caches.match('/');
  // A first visit has only the network; a return visit never waits long for it.
  if (!cached) return network;
  const silent = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_WAIT_MS));
  return Promise.race([network.then((response) => (response.ok ? response : cached), () => cached), silent]);
}
