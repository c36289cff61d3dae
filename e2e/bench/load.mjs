// First contact on conference Wi-Fi, measured: headless Chromium with CDP network throttling,
// the participant page opened cold (no cache) and warm (a return visit, service worker), median
// of 3 each, at 400 kbit/s / 400 ms, 1.6 Mbit/s / 150 ms and unthrottled; then a return visit on
// a network that accepts connections and never answers. "Usable" is when the profile form
// accepts typing. Prints figures; asserts nothing (goals: issue 13).
import { createServer } from 'node:net';
import { launchBrowser, startEndpoint, swControls } from '../lib.mjs';

const PROFILES = [
  { name: '400kbit/400ms', latency: 400, down: 50_000, up: 25_000 },
  { name: '1.6Mbit/150ms', latency: 150, down: 200_000, up: 100_000 },
  { name: 'unthrottled', latency: 0, down: -1, up: -1 },
];
const ROUNDS = 3;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function throttle(context, page, profile) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: profile.latency, downloadThroughput: profile.down, uploadThroughput: profile.up,
  });
  const bytes = new Map();
  const urls = new Map();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, new URL(e.response.url).pathname));
  cdp.on('Network.loadingFinished', (e) => bytes.set(urls.get(e.requestId) ?? e.requestId, e.encodedDataLength));
  return bytes;
}

/** Milliseconds from navigation to a profile form that takes a keystroke. */
async function usable(page, url) {
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  await page.locator('#profile-name').fill('Awa', { timeout: 120_000 });
  return Date.now() - started;
}

const endpoint = await startEndpoint();
const browser = await launchBrowser();
try {
  for (const profile of PROFILES) {
    const cold = [];
    const warm = [];
    let perResource;
    for (let round = 0; round < ROUNDS; round++) {
      const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      const bytes = await throttle(context, page, profile);
      cold.push(await usable(page, endpoint.url + '/'));
      perResource ??= new Map(bytes);
      await swControls(page);
      warm.push(await usable(page, endpoint.url + '/'));
      await context.close();
    }
    const total = [...perResource.values()].reduce((a, b) => a + b, 0);
    console.log(`load: ${profile.name} cold_median_ms=${median(cold)} warm_median_ms=${median(warm)} first_load_bytes=${total} (cold ${cold.join('/')} warm ${warm.join('/')})`);
    if (profile.name === PROFILES[0].name) {
      for (const [path, size] of [...perResource].sort((a, b) => b[1] - a[1])) console.log(`  ${String(size).padStart(9)} B  ${path}`);
    }
  }

  // A return visit when the access point accepts connections and never answers.
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await usable(page, endpoint.url + '/');
  await swControls(page);
  await endpoint.halt();
  const { port } = new URL(endpoint.url);
  const sockets = new Set();
  const silent = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}); });
  await new Promise((resolve) => silent.listen(Number(port), '127.0.0.1', resolve));
  const silentMs = await usable(page, endpoint.url + '/');
  console.log(`load: silent-network return visit usable_ms=${silentMs}`);
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  await context.close();
} finally {
  await browser.close();
  await endpoint.stop();
}
