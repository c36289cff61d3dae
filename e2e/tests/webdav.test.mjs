// The same publish/pull scenario against a WebDAV server (Debian's nginx + dav-ext) in place of
// the project's endpoint: listing by PROPFIND, files written with PUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { addProject, openPage, publishNow, startWebDav, useServerAndBrowser, waitSaved, openMap, fillProfileName } from '../lib.mjs';

const shared = useServerAndBrowser(startWebDav);

async function participant(name, resource, topicQuery) {
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const { page } = await openPage(context, shared.endpoint.url + '/');
  await fillProfileName(page, name);
  await addProject(page, resource, topicQuery);
  await page.getByText('Sharing server', { exact: true }).click();
  await page.getByLabel('Sharing server address').fill(`${shared.endpoint.url}/bundles`);
  await page.getByLabel('A plain folder on a file server (WebDAV)').check();
  await waitSaved(page);
  return { context, page };
}

const publish = publishNow;

test('A and B publish to nginx WebDAV, pull by PROPFIND and see each other', async () => {
  const a = await participant('Aminata', 'Télécentres ruraux', 'infrastructure');
  const b = await participant('Bernard', 'Stratégie nationale TIC', 'e-government');
  await publish(a.page);
  await publish(b.page);
  assert.equal(readdirSync(shared.endpoint.folder).filter((f) => f.endsWith('.json')).length, 2);

  await openMap(b.page);
  await b.page.locator('.community-resource', { hasText: 'Télécentres ruraux' }).waitFor();
  await openMap(a.page);
  await a.page.locator('.community-resource', { hasText: 'Stratégie nationale TIC' }).waitFor();

  // A edits and publishes again (If-Match checked by HEAD); B's open map follows.
  await a.page.getByRole('link', { name: 'Contribute' }).click();
  await a.page.getByRole('button', { name: 'Edit Télécentres ruraux' }).click();
  await a.page.getByLabel('Title', { exact: true }).fill('Télécentres ruraux, phase 2');
  await waitSaved(a.page);
  await publish(a.page);
  await b.page.locator('.community-resource', { hasText: 'phase 2' }).waitFor({ timeout: 15_000 });
  await a.context.close();
  await b.context.close();
});
