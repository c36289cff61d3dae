// Networkshop service worker: a return visit never waits on the network.
// Pages: the cached app shell at once (cache first); the network refreshes it in the background,
// and when it brings a new build, that build's assets are cached before its shell, the old
// assets are dropped, and the open pages are told so they can offer a reload. A first visit
// (nothing cached yet) goes to the network.
// Hashed assets (js, wasm, css): cache first, they never change under one name.
// Bundles (/bundles/) are never cached here: sync handles them and must see the real server.
const CACHE = 'networkshop-shell-v2';
const SHELL = '/';
const ALWAYS = ['/manifest.webmanifest', '/icon.svg'];

/** Every asset the shell names: Trunk writes each one into index.html. */
function assetsOf(html) {
  const assets = new Set(ALWAYS);
  for (const match of html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*['"](\/[^'"]+\.(?:m?js|wasm|css))['"]/g)) {
    assets.add(match[1]);
  }
  for (const match of html.matchAll(/from\s+['"](\/[^'"]+\.m?js)['"]/g)) assets.add(match[1]);
  return assets;
}

/** Caches `response` (the shell) after every asset it names; drops assets no shell names. */
async function keepShell(response) {
  const html = await response.clone().text();
  const assets = assetsOf(html);
  const cache = await caches.open(CACHE);
  await cache.addAll([...assets]);
  await cache.put(SHELL, response);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path !== SHELL && !assets.has(path)) await cache.delete(request);
  }
  return html;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    fetch(SHELL, { cache: 'no-cache' })
      .then((response) => (response.ok ? keepShell(response) : null))
      .then(() => self.skipWaiting()),
  );
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
  const cached = await caches.match(SHELL);
  if (!cached) {
    const response = await fetch(event.request);
    if (response.ok) event.waitUntil(keepShell(response.clone()).catch(() => {}));
    return response;
  }
  event.waitUntil(refresh(cached.clone()).catch(() => {}));
  return cached;
}

/** Fetches the shell; a different one is a new build, kept for the next visit and announced. */
async function refresh(cached) {
  const response = await fetch(SHELL, { cache: 'no-cache' });
  if (!response.ok) return;
  const [fresh, old] = [await response.clone().text(), await cached.text()];
  if (fresh === old) return;
  await keepShell(response);
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    client.postMessage({ type: 'new-version' });
  }
}
