// The participant page's first-load bytes on the wire (HTML, JS, wasm, CSS and the first
// listing, as the endpoint sends them to a browser that accepts brotli) stay under a budget.
// Sizes are deterministic, so this is a test; times are benchmarks (scripts/bench-load.sh).
// The budget is a ratchet at today's size: lower it as the participant's first load gets
// lighter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { useServerAndBrowser } from '../lib.mjs';

// Issue 13's goal is 200 KB (aim 150 KB). Lowered from 402,500 when everything after the
// profile form moved to a wasm chunk fetched once the page is up (not counted: the page is
// usable without it; e2e/tests/later-parts.test.mjs), the participant's app lost its router
// and the main JS is minified: 165,404 bytes then.
const BUDGET_BYTES = 168_000;

const shared = useServerAndBrowser();

/** The body as sent (compressed, so its length is what crossed the wire). */
function fetchRaw(url) {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': 'br, gzip' } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: response.statusCode, encoding: response.headers['content-encoding'], bytes: body.length, body });
      });
    }).on('error', reject).end();
  });
}

test(`the participant page's first load stays under ${BUDGET_BYTES} bytes on the wire`, async () => {
  const base = shared.endpoint.url;
  const { brotliDecompressSync } = await import('node:zlib');
  const page = await fetchRaw(base + '/');
  assert.equal(page.status, 200);
  const html = (page.encoding === 'br' ? brotliDecompressSync(page.body) : page.body).toString('utf8');
  const assets = new Set();
  for (const match of html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*['"](\/[^'"]+\.(?:m?js|wasm|css))['"]/g)) assets.add(match[1]);
  for (const match of html.matchAll(/from\s+['"](\/[^'"]+\.m?js)['"]/g)) assets.add(match[1]);
  assert.ok([...assets].some((a) => a.endsWith('.wasm')), 'the shell names the wasm');
  const sizes = [['/', page.bytes]];
  for (const asset of [...assets, '/bundles/']) {
    const answer = await fetchRaw(base + asset);
    assert.equal(answer.status, 200, asset);
    if (!asset.startsWith('/bundles')) assert.equal(answer.encoding, 'br', `${asset} is sent brotli-compressed`);
    sizes.push([asset, answer.bytes]);
  }
  const total = sizes.reduce((sum, [, bytes]) => sum + bytes, 0);
  console.log(`first load: ${total} bytes (${sizes.map(([a, b]) => `${a} ${b}`).join(', ')})`);
  assert.ok(total <= BUDGET_BYTES, `first load is ${total} bytes, over the ${BUDGET_BYTES} budget`);
});
