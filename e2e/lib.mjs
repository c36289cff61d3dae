// Shared helpers of the end-to-end suite: the real endpoint on a free loopback port, serving
// the release build, and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { signBundle } from './signing.mjs';

export const ROOT = resolve(import.meta.dirname, '..');
const ENDPOINT = process.env.NETWORKSHOP_ENDPOINT_BIN ?? join(ROOT, 'target/release/networkshop-endpoint');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Starts the endpoint on 127.0.0.1 with an empty data folder; resolves once it listens. `args`
 * are more command-line options (`--checkpoint-changes 100`).
 */
export async function startEndpoint({ dist = join(ROOT, 'dist'), s3Prefix, args = [] } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'networkshop-e2e-'));
  const base = s3Prefix ? s3Store(s3Prefix) : { args: [], env: {} };
  const store = { ...base, args: [...base.args, ...args] };
  let { child, url } = await spawnEndpoint({ addr: '127.0.0.1:0', data, dist, store });
  const handle = {
    url,
    data,
    /** The server's process id, while it runs. */
    get pid() {
      return child.pid;
    },
    /** Stops the server (as an operator would) and keeps its data folder. */
    async halt() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
    /** Starts it again on the same address with the same data (no-op while it runs). */
    async resume() {
      if (child.exitCode === null && child.signalCode === null) return;
      ({ child } = await spawnEndpoint({ addr: new URL(url).host, data, dist, store }));
    },
    async stop() {
      await handle.halt();
      rmSync(data, { recursive: true, force: true });
    },
  };
  return handle;
}

/**
 * The S3 gateway `scripts/test.sh` starts (a single-node Ceph, see scripts/ceph.sh), from
 * CEPH_S3_*: null when there is none, an error when NETWORKSHOP_REQUIRE_S3 says there must be.
 */
export function s3Gateway() {
  const { CEPH_S3_ENDPOINT: endpoint, CEPH_S3_REGION: region = 'us-east-1' } = process.env;
  if (!endpoint) {
    if (process.env.NETWORKSHOP_REQUIRE_S3) throw new Error('NETWORKSHOP_REQUIRE_S3 is set but CEPH_S3_ENDPOINT is not');
    return null;
  }
  return { endpoint, region, accessKey: process.env.CEPH_S3_ACCESS_KEY, secretKey: process.env.CEPH_S3_SECRET_KEY };
}

/** `--store s3://networkshop-e2e/<prefix>` on the test gateway: processes given one prefix share it. */
function s3Store(prefix) {
  const gateway = s3Gateway();
  if (!gateway) throw new Error('no S3 gateway (CEPH_S3_ENDPOINT)');
  return {
    args: ['--store', `s3://networkshop-e2e/${prefix}`, '--s3-endpoint', gateway.endpoint, '--s3-region', gateway.region, '--s3-create-bucket'],
    env: { AWS_ACCESS_KEY_ID: gateway.accessKey, AWS_SECRET_ACCESS_KEY: gateway.secretKey },
  };
}

/** How long an endpoint may take to listen. */
const START_SECONDS = 90;

async function spawnEndpoint({ addr, data, dist, store = { args: [], env: {} } }) {
  const child = spawn(ENDPOINT, ['--addr', addr, '--data', data, '--dist', dist, ...store.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn', ...store.env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // A first start on a new build writes the compressed copies of the app's files (12 s here on
  // a normal day, more on a loaded machine) before it listens.
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      // A child left running would keep this test file's process alive, and the suite with it.
      child.kill('SIGKILL');
      reject(new Error(`endpoint did not start within ${START_SECONDS} s: ${stderr}`));
    }, START_SECONDS * 1000);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/running at (http:\/\/[^\s/]+)\//);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`endpoint exited with ${code}: ${stderr}`));
    });
  });
  return { child, url };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A page that records console errors and uncaught exceptions, for "no error" assertions. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  // The wasm app has mounted when its header is in the page.
  await page.locator('header.site-header').waitFor();
  return { page, errors };
}

/** A free loopback port. */
async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Debian's nginx with the WebDAV modules, serving the built app at / and a WebDAV collection at
 * /bundles/ (a throwaway folder): the "any WebDAV server" deployment.
 */
export async function startWebDav({ dist = join(ROOT, 'dist') } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'networkshop-dav-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(join(dir, 'bundles'));
  mkdirSync(join(dir, 'tmp'));
  writeFileSync(conf, `
load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
daemon off;
${process.getuid?.() === 0 ? 'user root;' : ''}
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  include /etc/nginx/mime.types;
  types { application/wasm wasm; }
  access_log off;
  client_body_temp_path ${dir}/tmp;
  server {
    listen 127.0.0.1:${port};
    root ${dist};
    location / { try_files $uri $uri/index.html /index.html; }
    location /bundles/ {
      alias ${dir}/bundles/;
      dav_methods PUT DELETE;
      dav_ext_methods PROPFIND OPTIONS;
      client_max_body_size 4m;
    }
  }
}
`);
  const child = spawn('/usr/sbin/nginx', ['-c', conf, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url + '/')).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    folder: join(dir, 'bundles'),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the suite's before/after hooks: one server (the project's endpoint by default) and
 * one browser for the whole file. The returned object is filled in when the hooks run.
 */
export function useServerAndBrowser(startServer = startEndpoint) {
  const shared = {};
  before(async () => {
    shared.endpoint = await startServer();
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.endpoint?.stop();
  });
  return shared;
}

/** Resolves once the page says every change is stored (English interface). */
export async function waitSaved(page) {
  await page.getByTestId('save-status').filter({ hasText: /Saved on this device\.|Nothing saved yet/ }).waitFor();
}

/**
 * Console errors a publishing participant's page may log without anything being wrong: a PUT
 * cut by a reload or a page change can still land, so the next one meets 412 and the
 * publisher merges and tries again (the browser logs that answer).
 */
export const PUBLISH_NOISE = /Failed to load resource: the server responded with a status of 412/;

/**
 * Types the display name and chooses a stakeholder group and a region (civil society and
 * world unless said): a profile is incomplete, and publishes nothing, until both are chosen.
 */
export async function fillProfileName(page, name, { group = 'civil_society', region = 'world' } = {}) {
  const groups = ['government', 'private_sector', 'civil_society', 'academic_technical', 'international_organisation'];
  const regions = ['africa', 'americas', 'arab_states', 'asia_pacific', 'cis', 'europe', 'world'];
  await page.locator('#profile-name').fill(name);
  await page.locator('#profile-group').selectOption(String(groups.indexOf(group)));
  await page.locator('#profile-region').selectOption(String(regions.indexOf(region)));
}

/** Goes from the participant's page to backup and files (the facilitator's app). */
export async function toBackupPage(page) {
  await page.locator('a[href="/backup"]').click();
  await page.locator('#backup-heading').waitFor();
}

/** Back to the participant's page, its drafts loaded. */
export async function toContributePage(page) {
  await page.goto(new URL('/', page.url()).href);
  await page.locator('#profile-name').waitFor();
}

/** Adds a project titled `title`, tagged with the first topic matching `topicQuery`. */
export async function addProject(page, title, topicQuery) {
  await page.getByRole('button', { name: '+ Project' }).click();
  await page.getByLabel('Title', { exact: true }).fill(title);
  const search = page.getByRole('combobox', { name: 'Find a topic' });
  await search.fill(topicQuery);
  await page.locator('.topic-results').getByRole('option').first().waitFor();
  await search.press('Enter');
  await waitSaved(page);
  await page.getByRole('button', { name: 'Done' }).click();
}

/** Clicks "Publish now" and waits for success, failing with the status the page shows. */
export async function publishNow(page) {
  await page.getByRole('button', { name: 'Publish now' }).click();
  try {
    await page.getByTestId('publish-status').filter({ hasText: 'Published at' }).waitFor({ timeout: 10_000 });
  } catch {
    throw new Error(`publish did not complete: "${await page.getByTestId('publish-status').innerText()}"`);
  }
}

/**
 * Publishes a participant's bundle straight to the endpoint, as another browser would.
 * `records` are [number, kind, title, topics, extra fields] rows.
 */
export async function publishBundle(endpoint, id, name, group, region, records, profile = {}) {
  const bundle = makeBundle(id, name, group, region, records, profile);
  const response = await fetch(`${endpoint.url}/bundles/${id}.json`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${id}-token`, 'if-none-match': '*' },
    body: JSON.stringify(signBundle(bundle)),
  });
  assert.equal(response.status, 201, await response.text());
}

/** A participant's bundle, unsigned; rows as for [publishBundle]. */
export function makeBundle(id, name, group, region, records, profile = {}) {
  return {
    format: 'networkshop.bundle', version: 1, generated_at: '2005-01-10T12:00:00Z',
    author: { id, display_name: name, stakeholder_group: group, region, ...profile },
    records: records.map(([n, kind, title, topics, extra = {}]) => ({
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, kind, title, topics,
      revision: 1, updated_at: '2005-01-10T12:00:00Z', author: id, ...extra,
    })),
  };
}

/** Waits until the service worker is active and controls `page` (so it has cached the shells). */
/**
 * Waits until `predicate` (run in the page, may be async) returns true. Playwright's
 * waitForFunction does not await a returned promise: a pending promise counts as truthy.
 */
export async function untilInPage(page, predicate, { timeout = 15_000, interval = 250 } = {}) {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(predicate).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeout} ms: ${predicate}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

export async function swControls(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

/** Goes to the map by its link and opens the list of participants and their resources. */
export async function openMap(page) {
  await page.getByRole('link', { name: 'Map' }).click();
  await page.locator('.people-list summary').click();
}

/**
 * Everything the app keeps in IndexedDB ("networkshop"): `records` (id → parsed LocalRecord:
 * { record, published_revision }) and `meta` (key → parsed JSON, e.g. meta.publish). Never
 * creates the database: before the app opened it, both are empty.
 */
export async function readIndexedDb(page) {
  const raw = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('networkshop');
    const empty = { records: {}, meta: {} };
    open.onupgradeneeded = () => {
      // Not created by the app yet: leave it for the app to create with its own version.
      open.transaction.abort();
    };
    open.onerror = () => resolve(empty);
    open.onsuccess = () => {
      const db = open.result;
      const names = [...db.objectStoreNames];
      if (!names.includes('records') || !names.includes('meta')) {
        db.close();
        resolve(empty);
        return;
      }
      const out = { records: {}, meta: {} };
      const tx = db.transaction(['records', 'meta'], 'readonly');
      for (const store of ['records', 'meta']) {
        const cursor = tx.objectStore(store).openCursor();
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (c) {
            out[store][String(c.key)] = c.value;
            c.continue();
          }
        };
      }
      tx.oncomplete = () => {
        db.close();
        resolve(out);
      };
      tx.onerror = () => reject(tx.error);
    };
  }));
  const parse = (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  };
  const map = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, parse(v)]));
  return { records: map(raw.records), meta: map(raw.meta), rawMeta: raw.meta };
}
