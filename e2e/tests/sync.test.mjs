// Two participants in separate browser profiles publish to the real endpoint and see each
// other; offline edits and an endpoint that goes down lose nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, addProject, makeBundle, openPage, publishBundle, publishNow, readIndexedDb, useServerAndBrowser, waitSaved, openMap, toBackupPage, toContributePage, fillProfileName } from '../lib.mjs';

const shared = useServerAndBrowser();

async function participant(name, group, resource, topicQuery) {
  // A test that failed while the endpoint was halted must not take the next ones down with it.
  await shared.endpoint.resume();
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/');
  await fillProfileName(page, name);
  await page.getByLabel('Stakeholder group').selectOption({ label: group });
  await addProject(page, resource, topicQuery);
  return { context, page, errors };
}

const publish = publishNow;

async function communityTitles(page) {
  await openMap(page);
  await page.getByTestId('pull-status').filter({ hasText: 'Updated at' }).waitFor();
  return page.locator('.community-resource').allInnerTexts();
}

test('A and B publish, pull and see each other; offline edits and a downed endpoint lose nothing', async () => {
  const a = await participant('Aminata', 'Civil society', 'Télécentres ruraux', 'infrastructure');
  const b = await participant('Bernard', 'Government', 'Stratégie nationale TIC', 'e-government');
  await publish(a.page);
  await publish(b.page);
  assert.match(await a.page.locator('.resource', { hasText: 'Télécentres ruraux' }).innerText(), /On the map/);

  await openMap(b.page);
  await b.page.locator('.community-resource', { hasText: 'Télécentres ruraux' }).waitFor();
  assert.match(await b.page.getByTestId('community-counts').innerText(), /2 participants, 2 resources/);
  await openMap(a.page);
  await a.page.locator('.community-resource', { hasText: 'Stratégie nationale TIC' }).waitFor();

  // A goes offline, edits, comes back and publishes; B's open map picks the edit up.
  await a.page.getByRole('link', { name: 'Contribute' }).click();
  await a.context.setOffline(true);
  await a.page.getByRole('button', { name: 'Edit Télécentres ruraux' }).click();
  await a.page.getByLabel('Title', { exact: true }).fill('Télécentres ruraux, phase 2');
  await waitSaved(a.page);
  await a.page.getByRole('button', { name: 'Publish now' }).click();
  await a.page.getByTestId('publish-status').filter({ hasText: 'does not answer' }).waitFor();
  assert.match(await a.page.locator('.resource', { hasText: 'phase 2' }).innerText(), /Waiting for the network/);
  await a.context.setOffline(false);
  // The queued publish resumes by itself once the browser is back online.
  await a.page.getByTestId('publish-status').filter({ hasText: 'Published at' }).waitFor({ timeout: 20_000 });
  await b.page.locator('.community-resource', { hasText: 'Télécentres ruraux, phase 2' }).waitFor({ timeout: 15_000 });

  // The endpoint goes down during A's next publish: drafts stay, the publish completes later.
  await shared.endpoint.halt();
  await a.page.getByRole('button', { name: 'Edit Télécentres ruraux, phase 2' }).click();
  await a.page.getByLabel('Description').fill('Written while the endpoint was down');
  await waitSaved(a.page);
  await a.page.getByRole('button', { name: 'Publish now' }).click();
  await a.page.getByTestId('publish-status').filter({ hasText: 'does not answer' }).waitFor();
  await a.page.reload();
  await a.page.locator('header.site-header').waitFor();
  await a.page.getByRole('button', { name: 'Edit Télécentres ruraux, phase 2' }).click();
  await a.page.waitForFunction(() => document.querySelector('textarea[id$="-description"]')?.value === 'Written while the endpoint was down');
  await shared.endpoint.resume();
  // The pending publish survived the reload and retries with back-off until it lands.
  await a.page.getByTestId('publish-status').filter({ hasText: 'Published at' }).waitFor({ timeout: 45_000 });
  const stored = await (await fetch(`${shared.endpoint.url}/bundles/`)).json();
  assert.equal(stored.length, 2);
  assert.deepEqual(a.errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED/.test(e)), []);
  await a.context.close();
  await b.context.close();
});

test('the same author on two devices: the second publish merges the first instead of overwriting it', async () => {
  const laptop = await participant('Chen', 'Academic and technical community', 'Cours en ligne', 'e-learning');
  await publish(laptop.page);
  // Carry the identity to a phone with a backup file, then both add a resource.
  await toBackupPage(laptop.page);
  const download = laptop.page.waitForEvent('download');
  await laptop.page.getByRole('button', { name: 'Save a backup' }).click();
  const file = await (await download).path();
  await toContributePage(laptop.page);
  const phoneContext = await shared.browser.newContext({ locale: 'en-GB' });
  const { page: phone } = await openPage(phoneContext, shared.endpoint.url + '/');
  await toBackupPage(phone);
  await phone.setInputFiles('#open-bundle', file);
  await phone.getByRole('button', { name: 'Import', exact: true }).click();
  await phone.getByRole('status').filter({ hasText: 'File imported.' }).waitFor();
  await toContributePage(phone);
  await phone.getByRole('button', { name: '+ Document' }).click();
  await phone.getByLabel('Title', { exact: true }).fill('Notes du téléphone');
  await phone.getByRole('combobox', { name: 'Find a topic' }).fill('e-learning');
  await phone.locator('.topic-results').getByRole('option').first().waitFor();
  await phone.getByRole('combobox', { name: 'Find a topic' }).press('Enter');
  await waitSaved(phone);
  await publish(phone);

  await laptop.page.getByRole('button', { name: '+ Project' }).click();
  await laptop.page.getByLabel('Title', { exact: true }).fill('Projet du portable');
  await laptop.page.getByRole('combobox', { name: 'Find a topic' }).fill('e-learning');
  await laptop.page.locator('.topic-results').getByRole('option').first().waitFor();
  await laptop.page.getByRole('combobox', { name: 'Find a topic' }).press('Enter');
  await waitSaved(laptop.page);
  await laptop.page.getByRole('button', { name: 'Publish now' }).click();
  await laptop.page.getByTestId('publish-status').filter({ hasText: 'updated from your other device' }).waitFor();
  await laptop.page.locator('.resource-title', { hasText: 'Notes du téléphone' }).waitFor();
  const titles = await communityTitles(laptop.page);
  for (const title of ['Cours en ligne', 'Notes du téléphone', 'Projet du portable']) {
    assert.ok(titles.some((t) => t.includes(title)), `${title} in ${titles}`);
  }
  await phoneContext.close();
  await laptop.context.close();
});

test('a bad bundle dropped on the endpoint is listed with its reason; the community view opens offline', async () => {
  const c = await participant('Dora', 'Private sector', 'Programme de formation', 'capacity building');
  await publish(c.page);
  // An operator drops two files by hand: one broken, one from a newer app.
  writeFileSync(join(shared.endpoint.data, 'broken.json'), '{ "format": "networkshop.bundle", ');
  const newer = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/bundles/invalid/newer-version.json'), 'utf8'));
  writeFileSync(join(shared.endpoint.data, `${newer.author.id}.json`), JSON.stringify(newer));
  await openMap(c.page);
  const problems = c.page.getByTestId('file-problems');
  await problems.locator('li[data-file="broken.json"]', { hasText: 'This file is not valid JSON' }).waitFor();
  assert.match(await problems.locator(`li[data-file="${newer.author.id}.json"]`).innerText(), /made by a newer version of Networkshop/);
  await c.page.locator('.community-resource', { hasText: 'Programme de formation' }).waitFor();

  await c.context.setOffline(true);
  await c.page.reload();
  await c.page.locator('header.site-header').waitFor();
  await c.page.getByTestId('pull-status').filter({ hasText: 'Sharing server unreachable' }).waitFor();
  await c.page.locator('.people-list summary').click();
  await c.page.locator('.community-resource', { hasText: 'Programme de formation' }).waitFor();
  await c.context.close();
});

test('others working on the same topics are suggested as partners, with the topics they share', async () => {
  const e = await participant('Esther', 'Government', 'Plan national de formation', 'capacity building');
  await publish(e.page);
  const f = await participant('Farid', 'Civil society', 'Ateliers de formation', 'capacity building');
  const topic = (await f.page.locator('.resource-topics').first().innerText()).trim();
  // Farid's drafts are enough: he has not published, and his topics still find Esther.
  await f.page.getByRole('link', { name: 'Find others working on your topics' }).click();
  const esther = f.page.locator('.partner', { hasText: 'Esther' });
  await esther.waitFor();
  assert.ok((await esther.innerText()).includes(`Shared topics: ${topic}`), await esther.innerText());
  assert.match(await esther.innerText(), /Government/);
  await e.context.close();
  await f.context.close();
});

test('two tabs open before the first publish share one write token: both publish, now and after a reload', async () => {
  await shared.endpoint.resume();
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const { page: first } = await openPage(context, shared.endpoint.url + '/');
  const { page: second } = await openPage(context, shared.endpoint.url + '/');
  await fillProfileName(first, 'Gaëlle');
  await addProject(first, 'Projet des deux onglets', 'e-learning');
  await second.locator('.resource-title', { hasText: 'Projet des deux onglets' }).waitFor();
  // Both tabs ask at once; one publishes, the other waits for the lock and uses the same key.
  await Promise.all([
    first.getByRole('button', { name: 'Publish now' }).click(),
    second.getByRole('button', { name: 'Publish now' }).click(),
  ]);
  for (const page of [first, second]) {
    await page.getByTestId('publish-status').filter({ hasText: 'Published at' }).waitFor({ timeout: 15_000 });
  }
  await second.getByRole('button', { name: 'Edit Projet des deux onglets' }).click();
  await second.getByLabel('Title', { exact: true }).fill('Projet des deux onglets, suite');
  await waitSaved(second);
  await second.reload();
  await second.locator('header.site-header').waitFor();
  await publish(second);
  await publish(first);
  const files = await (await fetch(`${shared.endpoint.url}/bundles/?content=1`)).json();
  const mine = files.find((f) => f.bundle?.author?.display_name === 'Gaëlle');
  assert.equal(mine.bundle.records[0].title, 'Projet des deux onglets, suite');
  await context.close();
});

test('a write token stored by an earlier build keeps working after the upgrade', async () => {
  await shared.endpoint.resume();
  await publishBundle(shared.endpoint, 'legacy-author', 'Héloïse', 'government', 'europe', [[901, 'project', 'Ancien projet', ['C4']]]);
  // What the earlier build published: no signature, and no key pinned for it on the endpoint.
  const data = shared.endpoint.data;
  rmSync(join(data, '.tokens', 'legacy-author.key'));
  writeFileSync(join(data, 'legacy-author.json'), JSON.stringify(makeBundle('legacy-author', 'Héloïse', 'government', 'europe', [[901, 'project', 'Ancien projet', ['C4']]])));
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const { page } = await openPage(context, shared.endpoint.url + '/');
  await waitSaved(page);
  // What the earlier build kept: the profile, and the token inside the publish meta.
  await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('networkshop');
    open.onsuccess = () => {
      const tx = open.result.transaction('meta', 'readwrite');
      const meta = tx.objectStore('meta');
      meta.put(JSON.stringify({ id: 'legacy-author', display_name: 'Héloïse', organisation: '', stakeholder_group: 'government', country: '', region: 'europe' }), 'profile');
      meta.put(JSON.stringify({ etag: null, token: 'legacy-author-token', pending: false, last_published: '10:00' }), 'publish');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  for (let round = 0; round < 2; round++) {
    await page.reload();
    await page.locator('header.site-header').waitFor();
    await publish(page);
  }
  await page.locator('.resource-title', { hasText: 'Ancien projet' }).waitFor();
  assert.equal((await readIndexedDb(page)).meta.write_token, 'legacy-author-token');
  // Published again signed, the unsigned file's record merged in first.
  const republished = JSON.parse(readFileSync(join(data, 'legacy-author.json'), 'utf8'));
  assert.equal(republished.signature.public_key.length, 43);
  assert.deepEqual(republished.records.map((r) => r.title), ['Ancien projet']);
  await context.close();
});
