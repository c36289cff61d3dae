// The app shell, served by the real endpoint from the release build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { openPage, useServerAndBrowser } from '../lib.mjs';

const shared = useServerAndBrowser();

test('the app loads with its title and no console error, under a strict Content-Security-Policy', async () => {
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const shell = await fetch(shared.endpoint.url + '/');
  const policy = shell.headers.get('content-security-policy') ?? '';
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.match(policy, /frame-ancestors 'none'/);
  // A CSP violation would show as a console error below.
  const { page, errors } = await openPage(context, shared.endpoint.url + '/');
  assert.equal(await page.title(), 'Networkshop');
  assert.match(await page.locator('header').innerText(), /Networkshop/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the wasm is served compressed with its MIME type', async () => {
  const context = await shared.browser.newContext();
  const page = await context.newPage();
  const wasm = page.waitForResponse((response) => response.url().endsWith('.wasm'));
  await page.goto(shared.endpoint.url + '/');
  const response = await wasm;
  const headers = await response.allHeaders();
  assert.equal(headers['content-type'], 'application/wasm');
  assert.match(headers['content-encoding'] ?? '', /^(br|gzip|zstd|deflate)$/);
  await context.close();
});

test('first visit follows the browser language, the switch is remembered', async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR' });
  const { page } = await openPage(context, shared.endpoint.url + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr', 'the direction comes from the locale');
  assert.match(await page.locator('nav').innerText(), /Thèmes/);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('link', { name: 'Topics', exact: true }).waitFor();
  await page.reload();
  await page.locator('header.site-header').waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.locator('nav').innerText(), /Topics/);
  await context.close();
});

test('every page is reachable by its address and passes axe without serious violations', async () => {
  const context = await shared.browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 740 } });
  for (const [path, heading] of [['/', 'Contribute'], ['/topics', 'Topics of the Plan of Action'], ['/map', 'Topic map'], ['/report', 'Inventory of identified resources'], ['/about', 'About'], ['/partners', 'Others working on your topics'], ['/backup', 'Backup and files']]) {
    const { page, errors } = await openPage(context, shared.endpoint.url + path);
    assert.equal(await page.locator('h1').innerText(), heading, path);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], path);
    assert.deepEqual(errors, [], path);
    await page.close();
  }
  await context.close();
});

test('topic search ignores accents and case', async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR' });
  const { page } = await openPage(context, shared.endpoint.url + '/topics');
  await page.getByLabel('Chercher un thème').fill('cybersante');
  await page.locator('.topic', { hasText: 'C7.e-health' }).first().waitFor();
  assert.match(await page.locator('.topic-list').innerText(), /Cybersanté/);
  await context.close();
});
