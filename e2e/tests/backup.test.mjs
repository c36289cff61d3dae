// A backup holding a published record and an incomplete draft opens in a fresh browser with
// both; opening it and pressing Cancel changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addProject, openPage, publishNow, readIndexedDb, toBackupPage, toContributePage, useServerAndBrowser, waitSaved, fillProfileName } from '../lib.mjs';

const shared = useServerAndBrowser();

const COMPLETE = 'Observatoire des TIC';
const DRAFT = 'Projet sans thème encore';

let made;
/** The participant's backup file (made once, by the first test that needs it). */
function backupFile() {
  made ??= (async () => {
    const context = await shared.browser.newContext({ locale: 'en-GB', acceptDownloads: true });
    const { page } = await openPage(context, shared.endpoint.url + '/');
    await fillProfileName(page, 'Ngozi Okafor');
    await page.getByLabel('Stakeholder group').selectOption({ label: 'Academic and technical community' });
    await waitSaved(page);
    await addProject(page, COMPLETE, 'capacity building');
    await publishNow(page);
    // A draft that cannot be published yet: a title, no topic.
    await page.getByRole('button', { name: '+ Project' }).click();
    await page.getByLabel('Title', { exact: true }).fill(DRAFT);
    await waitSaved(page);
    await page.getByRole('button', { name: 'Done' }).click();
    assert.match(await page.locator('.resource', { hasText: COMPLETE }).innerText(), /On the map/);
    assert.match(await page.locator('.resource', { hasText: DRAFT }).innerText(), /Incomplete: Topics of the Plan of Action/);

    await toBackupPage(page);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save a backup' }).click();
    const path = await (await download).path();
    const copy = join(mkdtempSync(join(tmpdir(), 'networkshop-backup-')), 'backup.json');
    writeFileSync(copy, readFileSync(path));
    await context.close();
    return copy;
  })();
  return made;
}

async function titles(page) {
  return (await page.locator('.resource-title').allInnerTexts()).sort();
}

/** Opens `file` with the file input and waits for the review (or fails with the page's message). */
async function openForReview(page, file) {
  await toBackupPage(page);
  await page.setInputFiles('#open-bundle', file);
  const review = page.locator('.import-review');
  const problem = page.locator('.import-problem p');
  await Promise.race([review.waitFor(), problem.waitFor()]);
  if (await problem.count()) {
    assert.fail(`the file was refused: "${(await problem.innerText()).trim()}"`);
  }
}

test('a backup with a draft and a published record round-trips into a fresh browser', async () => {
  const file = await backupFile();
  const bundle = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(bundle.records.map((r) => r.title).sort(), [COMPLETE, DRAFT].sort(), 'the backup holds both records');

  const fresh = await shared.browser.newContext({ locale: 'en-GB' });
  const { page } = await openPage(fresh, shared.endpoint.url + '/');
  await openForReview(page, file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'File imported.' }).waitFor();
  await toContributePage(page);
  await waitSaved(page);
  assert.deepEqual(await titles(page), [COMPLETE, DRAFT].sort());
  await page.reload();
  await page.locator('header.site-header').waitFor();
  await page.locator('.resource-title', { hasText: DRAFT }).waitFor();
  assert.deepEqual(await titles(page), [COMPLETE, DRAFT].sort(), 'both records survive a reload');
  const { records } = await readIndexedDb(page);
  assert.deepEqual(Object.values(records).map((l) => l.record.title).sort(), [COMPLETE, DRAFT].sort());
  await page.waitForFunction(() => document.querySelector('#profile-name')?.value === 'Ngozi Okafor', null, { timeout: 5_000 });

  // The backup restores the signing key: what this device publishes is believed where the
  // first device's key is pinned (the endpoint would refuse another key).
  assert.ok(bundle.networkshop_signing_key, 'the backup carries the signing key');
  assert.equal((await readIndexedDb(page)).meta.signing_key, bundle.networkshop_signing_key);
  await page.getByRole('button', { name: `Edit ${COMPLETE}` }).click();
  await page.getByLabel('Title', { exact: true }).fill(`${COMPLETE} (bis)`);
  await waitSaved(page);
  await page.getByRole('button', { name: 'Done' }).click();
  await publishNow(page);
  await fresh.close();
});

/** Opens `file` in a fresh browser, presses Cancel and checks that nothing changed. */
async function cancelLeavesEverything(file) {
  const fresh = await shared.browser.newContext({ locale: 'en-GB' });
  const { page } = await openPage(fresh, shared.endpoint.url + '/');
  // Loaded: the app has opened its database.
  await waitSaved(page);
  const before = await readIndexedDb(page);
  await openForReview(page, file);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.locator('.import-review').waitFor({ state: 'detached' });
  // Give a write that should not happen the time to happen.
  await page.waitForTimeout(300);
  await toContributePage(page);
  await waitSaved(page);
  assert.deepEqual(await titles(page), [], 'no record added on screen');
  const afterwards = await readIndexedDb(page);
  assert.deepEqual(Object.keys(afterwards.records), Object.keys(before.records), 'no record stored');
  assert.deepEqual(afterwards.rawMeta.publish, before.rawMeta.publish, 'meta "publish" unchanged');
  assert.deepEqual(afterwards.rawMeta.profile, before.rawMeta.profile, 'meta "profile" unchanged');
  assert.deepEqual(afterwards.rawMeta.signing_key, before.rawMeta.signing_key, 'meta "signing_key" unchanged');
  await page.reload();
  await page.locator('header.site-header').waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual(await titles(page), [], 'nothing after a reload either');
  await fresh.close();
}

test('opening the backup and pressing Cancel leaves everything as it was', async () => {
  await cancelLeavesEverything(await backupFile());
});

test('Cancel on a backup without drafts leaves everything as it was too (write token included)', async () => {
  // The same file minus the draft: the review opens even where drafts are refused, so the
  // Cancel path itself is checked.
  const bundle = JSON.parse(readFileSync(await backupFile(), 'utf8'));
  bundle.records = bundle.records.filter((r) => r.title !== DRAFT);
  assert.ok(bundle.networkshop_write_token, 'the backup carries the write token');
  const file = join(mkdtempSync(join(tmpdir(), 'networkshop-backup-')), 'complete-only.json');
  writeFileSync(file, JSON.stringify(bundle));
  await cancelLeavesEverything(file);
});
