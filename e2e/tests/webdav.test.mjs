// The same publish/pull scenario against a WebDAV server (Debian's nginx + dav-ext) in place of
// the project's endpoint: listing by PROPFIND, files written with PUT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { startWebDav, launchBrowser, openPage } from '../lib.mjs';

let dav;
let browser;

before(async () => {
  dav = await startWebDav();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await dav?.stop();
});

async function participant(name, resource, topicQuery) {
  const context = await browser.newContext({ locale: 'en-GB' });
  const { page } = await openPage(context, dav.url + '/');
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: '+ Project' }).click();
  await page.getByLabel('Title', { exact: true }).fill(resource);
  const search = page.getByRole('combobox', { name: 'Find a topic' });
  await search.fill(topicQuery);
  await page.locator('.topic-results').getByRole('option').first().waitFor();
  await search.press('Enter');
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByText('Endpoint', { exact: true }).click();
  await page.getByLabel('Endpoint address').fill(`${dav.url}/bundles`);
  await page.getByLabel('WebDAV server').check();
  await page.getByTestId('save-status').filter({ hasText: 'Saved on this device.' }).waitFor();
  return { context, page };
}

async function publish(page) {
  await page.getByRole('button', { name: 'Publish now' }).click();
  try {
    await page.getByTestId('publish-status').filter({ hasText: 'Published at' }).waitFor({ timeout: 10_000 });
  } catch {
    throw new Error(`publish did not complete: "${await page.getByTestId('publish-status').innerText()}"`);
  }
}

test('A and B publish to nginx WebDAV, pull by PROPFIND and see each other', async () => {
  const a = await participant('Aminata', 'Télécentres ruraux', 'infrastructure');
  const b = await participant('Bernard', 'Stratégie nationale TIC', 'e-government');
  await publish(a.page);
  await publish(b.page);
  assert.equal(readdirSync(dav.folder).filter((f) => f.endsWith('.json')).length, 2);

  await b.page.getByRole('link', { name: 'Map' }).click();
  await b.page.locator('.community-resource', { hasText: 'Télécentres ruraux' }).waitFor();
  await a.page.getByRole('link', { name: 'Map' }).click();
  await a.page.locator('.community-resource', { hasText: 'Stratégie nationale TIC' }).waitFor();

  // A edits and publishes again (If-Match checked by HEAD); B's open map follows.
  await a.page.getByRole('link', { name: 'Contribute' }).click();
  await a.page.getByRole('button', { name: 'Edit Télécentres ruraux' }).click();
  await a.page.getByLabel('Title', { exact: true }).fill('Télécentres ruraux, phase 2');
  await a.page.getByTestId('save-status').filter({ hasText: 'Saved on this device.' }).waitFor();
  await publish(a.page);
  await b.page.locator('.community-resource', { hasText: 'phase 2' }).waitFor({ timeout: 15_000 });
  await a.context.close();
  await b.context.close();
});
