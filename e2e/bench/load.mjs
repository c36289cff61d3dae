// First contact on conference Wi-Fi, measured: headless Chromium with CDP network throttling,
// the participant page opened cold (no cache) and warm (a return visit, service worker), median
// of 3 each, at 400 kbit/s / 400 ms, 1.6 Mbit/s / 150 ms and unthrottled; then a return visit on
// a network that accepts connections and never answers. "Usable" is when the profile form
// accepts typing; "later" when the rest of the page (its wasm chunk) has come. Then the size of
// each wasm, raw, gzip and brotli, and what makes the participant's first part big (twiggy).
// Prints figures; asserts nothing (goals: issue 13).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ROOT, launchBrowser, startEndpoint, swControls } from '../lib.mjs';

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

/**
 * Milliseconds from navigation to a profile form that takes a keystroke: the name field is
 * looked for at every frame (Playwright's own waiting retries after up to 500 ms, which would
 * count its pauses), then typed into to show that it takes the text.
 */
async function usable(page, url) {
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  await page.waitForFunction(() => {
    const field = document.getElementById('profile-name');
    return field instanceof HTMLInputElement && !field.disabled;
  }, null, { polling: 'raf', timeout: 120_000 });
  const ms = Date.now() - started;
  await page.locator('#profile-name').fill('Awa', { timeout: 120_000 });
  if ((await page.locator('#profile-name').inputValue()) !== 'Awa') throw new Error('the name field did not take the text');
  return { ms, started };
}

/** Milliseconds from the same navigation to the record forms (the later chunk) in place. */
async function later(page, started) {
  await page.waitForFunction(() => document.querySelector('button.add') !== null, null, { polling: 'raf', timeout: 120_000 });
  return Date.now() - started;
}

/** Each wasm of dist/ as built and as sent (gzip 9, brotli 11). */
function wasmSizes() {
  const files = [];
  for (const dir of ['dist', 'dist/map']) {
    for (const name of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.wasm'))) files.push(join(dir, name));
  }
  for (const file of files) {
    const bytes = readFileSync(join(ROOT, file));
    const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    console.log(`wasm: ${file} raw=${bytes.length} gzip=${gzipSync(bytes, { level: 9 }).length} brotli=${br}`);
  }
  // The participant's first part as the splitter left it, names and all (wasm-bindgen and
  // wasm-opt come after and keep the same code).
  const named = join(ROOT, 'target/wasm-bindgen/release/split-networkshop/networkshop.wasm');
  if (existsSync(named)) {
    console.log('wasm: top contributors to the participant\'s first part (before wasm-opt):');
    console.log(execFileSync('twiggy', ['top', '-n', '15', named], { encoding: 'utf8' }));
  }
}

const endpoint = await startEndpoint();
const browser = await launchBrowser();
try {
  for (const profile of PROFILES) {
    const cold = [];
    const warm = [];
    const rest = [];
    let perResource;
    for (let round = 0; round < ROUNDS; round++) {
      const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      const bytes = await throttle(context, page, profile);
      const first = await usable(page, endpoint.url + '/');
      cold.push(first.ms);
      perResource ??= new Map(bytes);
      rest.push(await later(page, first.started));
      await swControls(page);
      warm.push((await usable(page, endpoint.url + '/')).ms);
      await context.close();
    }
    const total = [...perResource.values()].reduce((a, b) => a + b, 0);
    console.log(`load: ${profile.name} cold_median_ms=${median(cold)} later_median_ms=${median(rest)} warm_median_ms=${median(warm)} bytes_until_usable=${total} (cold ${cold.join('/')} later ${rest.join('/')} warm ${warm.join('/')})`);
    if (profile.name === PROFILES[0].name) {
      for (const [path, size] of [...perResource].sort((a, b) => b[1] - a[1])) console.log(`  ${String(size).padStart(9)} B  ${path}`);
    }
  }

  // A return visit when the access point accepts connections and never answers.
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await later(page, (await usable(page, endpoint.url + '/')).started);
  await swControls(page);
  await endpoint.halt();
  const { port } = new URL(endpoint.url);
  const sockets = new Set();
  const silent = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}); });
  await new Promise((resolve) => silent.listen(Number(port), '127.0.0.1', resolve));
  const silentMs = (await usable(page, endpoint.url + '/')).ms;
  console.log(`load: silent-network return visit usable_ms=${silentMs}`);
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  await context.close();
} finally {
  await browser.close();
  await endpoint.stop();
}
wasmSizes();
