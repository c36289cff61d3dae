// The participant's page: drafts survive reloads, going offline, a new browser profile (through
// a backup file), bad files and a second tab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { PUBLISH_NOISE, ROOT, openPage, toBackupPage, toContributePage, useServerAndBrowser, waitSaved, fillProfileName } from '../lib.mjs';

const shared = useServerAndBrowser();

const RESOURCES = [
  { kind: 'Network or working group', title: 'Réseau des télécentres', topic: 'infrastructure', topicId: 'C2.i' },
  { kind: 'Event', title: 'Atelier cybersanté', topic: 'cybersante', topicId: 'C7.e-health', dates: ['2005-03-14', '2005-03-16'] },
  { kind: 'Document', title: 'Livre blanc sur l\'accès', topic: 'capacity building', topicId: 'C4' },
  { kind: 'Project', title: 'Écoles connectées', topic: 'e-learning', topicId: 'C7.e-learning' },
  { kind: 'Partnership', title: 'Partenariat connectivité', topic: 'confiance securite', topicId: 'C5' },
];

async function fillProfile(page, name) {
  await fillProfileName(page, name);
  await page.getByLabel('Organisation').fill('Réseau ouest-africain');
  await page.getByLabel('Stakeholder group').selectOption({ label: 'Civil society' });
  await page.getByLabel('Region').selectOption({ label: 'Africa' });
  await waitSaved(page);
}

async function addResource(page, resource) {
  await page.getByRole('button', { name: `+ ${resource.kind}`, exact: true }).click();
  await page.getByLabel('Title', { exact: true }).fill(resource.title);
  const search = page.getByRole('combobox', { name: 'Find a topic' });
  await search.fill(resource.topic);
  // Keyboard only: the first match is active; move to the wanted id, then Enter.
  const options = page.locator('.topic-results').getByRole('option');
  await options.first().waitFor();
  const ids = await options.locator('code').allInnerTexts();
  const index = ids.indexOf(resource.topicId);
  assert.ok(index >= 0, `${resource.topicId} among ${ids}`);
  for (let i = 0; i < index; i++) await search.press('ArrowDown');
  await search.press('Enter');
  await page.locator('.chip', { hasText: resource.topicId }).first().waitFor();
  if (resource.dates) {
    await page.getByLabel('Starts on').fill(resource.dates[0]);
    await page.getByLabel('Ends on').fill(resource.dates[1]);
  }
  await waitSaved(page);
  await page.getByRole('button', { name: 'Done' }).click();
}

/** Waits for a field to show a value: fields fill in just after the forms appear. */
async function hasValue(page, selector, value) {
  await page.waitForFunction(([s, v]) => document.querySelector(s)?.value === v, [selector, value], { timeout: 5_000 });
}

async function listedTitles(page) {
  return (await page.locator('.resource-title').allInnerTexts()).sort();
}

async function reload(page) {
  await page.reload();
  await page.locator('header.site-header').waitFor();
  await page.getByTestId('save-status').filter({ hasText: 'Saved on this device.' }).waitFor();
}

test('a profile and one resource of each kind survive a reload, offline editing and a backup', async () => {
  const context = await shared.browser.newContext({ locale: 'en-GB', acceptDownloads: true });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/');
  await fillProfile(page, 'Aminata Diallo');
  for (const resource of RESOURCES) await addResource(page, resource);
  const expected = RESOURCES.map((r) => r.title).sort();
  assert.deepEqual(await listedTitles(page), expected);

  await reload(page);
  assert.deepEqual(await listedTitles(page), expected);
  await hasValue(page, '#profile-name', 'Aminata Diallo');
  assert.match(await page.locator('.resource', { hasText: 'Atelier cybersanté' }).innerText(), /C7\.e-health/);

  // Offline: the service worker serves the app shell; drafts still open and save.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await context.setOffline(true);
  await reload(page);
  await page.getByRole('button', { name: 'Edit Écoles connectées' }).click();
  await page.getByLabel('Title', { exact: true }).fill('Écoles connectées hors ligne');
  await waitSaved(page);
  await reload(page);
  assert.ok((await listedTitles(page)).includes('Écoles connectées hors ligne'));
  await context.setOffline(false);

  // Delete, then undo.
  await page.getByRole('button', { name: 'Delete Réseau des télécentres' }).click();
  assert.ok(!(await listedTitles(page)).includes('Réseau des télécentres'));
  await page.getByRole('button', { name: 'Undo delete' }).click();
  await waitSaved(page);
  await reload(page);
  assert.ok((await listedTitles(page)).includes('Réseau des télécentres'));

  // Backup, opened in a fresh browser profile.
  const listed = await listedTitles(page);
  await toBackupPage(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save a backup' }).click();
  const file = await (await download).path();
  const bundle = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(bundle.format, 'networkshop.bundle');
  assert.equal(bundle.records.length, RESOURCES.length);
  // Offline, the browser logs the failed requests itself; anything else but PUBLISH_NOISE is an
  // app error.
  assert.deepEqual(errors.filter((e) => !/Failed to load resource: net::ERR_INTERNET_DISCONNECTED/.test(e) && !PUBLISH_NOISE.test(e)), []);

  const fresh = await shared.browser.newContext({ locale: 'en-GB' });
  const { page: other } = await openPage(fresh, shared.endpoint.url + '/');
  await toBackupPage(other);
  await other.setInputFiles('#open-bundle', file);
  await other.getByRole('button', { name: 'Import', exact: true }).click();
  await other.getByRole('status').filter({ hasText: 'File imported.' }).waitFor();
  await toContributePage(other);
  await waitSaved(other);
  await reload(other);
  assert.deepEqual(await listedTitles(other), listed);
  await hasValue(other, '#profile-name', 'Aminata Diallo');
  await fresh.close();
  await context.close();
});

test('a broken or foreign file gets a clear message, a backup with drafts a review; nothing changes until confirmed', async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR' });
  const { page } = await openPage(context, shared.endpoint.url + '/');
  await fillProfileName(page, 'Chen');
  await page.getByRole('button', { name: '+ Projet' }).click();
  await page.getByLabel('Titre', { exact: true }).fill('Projet à garder');
  await page.getByTestId('save-status').filter({ hasText: 'Enregistré sur cet appareil.' }).waitFor();
  const dir = join(ROOT, 'tests/fixtures/bundles/invalid');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 8);
  await toBackupPage(page);
  // Drafts may be incomplete or wrong in a backup (they are never published so); a file that
  // cannot be read, comes from a newer app or mixes authors is refused as a whole.
  const drafts = new Set(['missing-title.json', 'javascript-url.json', 'end-before-start.json', 'unknown-topic.json',
    'unknown-partner.json', 'invalid-currency.json', 'amount-out-of-range.json', 'duplicate-domain.json']);
  for (const name of files) {
    await page.setInputFiles('#open-bundle', join(dir, name));
    if (drafts.has(name)) {
      const review = page.locator('.import-review');
      await review.waitFor();
      await review.getByRole('button', { name: 'Annuler' }).click();
      await review.waitFor({ state: 'detached' });
      continue;
    }
    const alert = page.locator('.import-problem');
    await alert.locator('p').waitFor();
    const text = await alert.innerText();
    assert.ok(text.trim().length > 10, `${name}: "${text}"`);
    assert.doesNotMatch(text, /undefined|panicked|RuntimeError/, name);
    assert.equal(await page.locator('.import-review').count(), 0, name);
  }
  await toContributePage(page);
  await page.locator('.resource-title').first().waitFor();
  assert.equal(await page.locator('.resource-title').count(), 1);
  await page.reload();
  await page.locator('header.site-header').waitFor();
  await page.locator('.resource-title', { hasText: 'Projet à garder' }).waitFor();
  assert.equal(await page.locator('.resource-title').count(), 1);
  await hasValue(page, '#profile-name', 'Chen');
  await context.close();
});

test('two tabs editing different records keep both edits', async () => {
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const { page: first } = await openPage(context, shared.endpoint.url + '/');
  await fillProfile(first, 'Two Tabs');
  const { page: second } = await openPage(context, shared.endpoint.url + '/');
  await second.getByLabel('Display name').waitFor();
  await second.waitForFunction(() => document.querySelector('#profile-name')?.value === 'Two Tabs');

  await first.getByRole('button', { name: '+ Project' }).click();
  await second.getByRole('button', { name: '+ Document' }).click();
  await first.getByLabel('Title', { exact: true }).fill('From the first tab');
  await second.getByLabel('Title', { exact: true }).fill('From the second tab');
  await waitSaved(first);
  await waitSaved(second);
  // The other tab hears about each write and shows it without a reload.
  await first.locator('.resource-title', { hasText: 'From the second tab' }).waitFor();
  await second.locator('.resource-title', { hasText: 'From the first tab' }).waitFor();
  for (const page of [first, second]) {
    await reload(page);
    assert.deepEqual(await listedTitles(page), ['From the first tab', 'From the second tab']);
  }
  await context.close();
});

test('the contribute page with an open editor passes axe on a phone-sized screen', async () => {
  const context = await shared.browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 740 } });
  const { page } = await openPage(context, shared.endpoint.url + '/');
  await page.getByRole('button', { name: '+ Partnership' }).click();
  await page.getByRole('combobox', { name: 'Find a topic' }).fill('sante');
  await page.locator('.topic-results').getByRole('option').first().waitFor();
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than a 360px screen`);
  await context.close();
});

test('a save that fails never reads "Saved", is tried again, and lands once storage works', async () => {
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const { page } = await openPage(context, shared.endpoint.url + '/');
  await fillProfile(page, 'Full Disk');
  // The disk fills up: every IndexedDB write throws as a full quota would.
  await page.evaluate(() => {
    window.__put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.getByLabel('Organisation').fill('Written while the disk is full');
  const status = page.getByTestId('save-status');
  await page.getByRole('alert').filter({ hasText: 'storage is full' }).waitFor();
  // A few retries later it still does not pretend.
  await page.waitForTimeout(4_000);
  assert.doesNotMatch(await status.innerText(), /Saved on this device/);
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = window.__put;
  });
  // The retry stores it by itself, without another keystroke.
  await waitSaved(page);
  await reload(page);
  await hasValue(page, '#profile-organisation', 'Written while the disk is full');
  await context.close();
});
