// After the faults heal, the judgement: one last publish, then every edit looked for on screen, in
// IndexedDB and on the endpoint, and one summary line that tells a whole run at a glance.
import assert from 'node:assert/strict';
import { readIndexedDb } from '../lib.mjs';
import { descriptionField, formOpen, publishButton, reloadPage, sleep, statusText } from './session.mjs';

/** Heals, publishes once more, checks everything and prints the summary; returns what failed. */
export async function verdict(s, { faultPhaseMs }) {
  const { proxy, context, expected } = s;
  s.progress('healed');
  proxy.heal();
  await context.setOffline(false);
  for (const other of context.pages()) if (other !== s.page) await other.close();
  const page = s.page;
  await reloadPage(page);
  let stuckFinal = 0;
  const stuckWhy = [];
  try {
    await publishButton(page).click({ timeout: 30_000 });
    await page.waitForFunction(() => /Published at/.test(document.querySelector('[data-testid="publish-status"]')?.textContent ?? ''), null, { timeout: 40_000 });
  } catch {
    stuckFinal += 1;
    stuckWhy.push(`final publish did not complete: "${await statusText(page)}"`);
  }
  const notPublished = await page.locator('.resource .badge:not(.state-on-map)').allInnerTexts();
  if (notPublished.length > 0) {
    stuckFinal += 1;
    stuckWhy.push(`after the final publish ${notPublished.length} record(s) still say ${[...new Set(notPublished)].join(', ')}`);
  }
  const db = await readIndexedDb(page);
  if (db.meta.publish?.pending) {
    stuckFinal += 1;
    stuckWhy.push('the publish is still pending in IndexedDB');
  }
  await s.checkClaims(page, 'after healing');

  // (a) on screen: titles in the list, descriptions in each record's form.
  const titles = await page.locator('.resource-title').allInnerTexts();
  const lost = { screen: [], idb: [], endpoint: [] };
  for (const [id, want] of expected) {
    if (!titles.includes(want.title)) {
      lost.screen.push(`${want.title}: not in the list`);
      continue;
    }
    try {
      await page.getByRole('button', { name: `Edit ${want.title}`, exact: true }).click();
      await formOpen(page);
      const field = descriptionField(page);
      let value = '';
      for (let i = 0; i < 20 && value !== want.description; i++) {
        value = await field.inputValue();
        if (value !== want.description) await sleep(50);
      }
      if (value !== want.description) lost.screen.push(`${want.title}: description "${value.slice(0, 40)}"`);
      await page.getByRole('button', { name: 'Done' }).click();
    } catch (error) {
      lost.screen.push(`${want.title}: its form did not open (${error.message.split('\n')[0]})`);
    }
  }
  // (b) in IndexedDB.
  for (const [id, want] of expected) {
    const got = db.records[id]?.record;
    if (!got || got.deleted || got.title !== want.title || got.description !== want.description) {
      lost.idb.push(`${want.title}: ${got ? `"${got.title}" / "${got.description?.slice(0, 40)}"` : 'missing'}`);
    }
  }
  // (c) on the endpoint: the participant's file, every edit complete and current, and every record
  // the other device published still there.
  const { authorId } = s;
  const listing = await (await fetch(`${s.endpoint.url}/bundles/`)).json();
  assert.ok(listing.some((entry) => entry.name === `${authorId}.json`), `the endpoint lists ${authorId}.json`);
  const remote = await s.endpointRecords();
  for (const [id, want] of expected) {
    const got = remote.get(id);
    const complete = got && !got.deleted && got.kind === 'project' && got.topics?.length > 0 &&
      got.author === authorId && got.revision >= 1 && got.updated_at;
    if (!complete || got.title !== want.title || got.description !== want.description) {
      lost.endpoint.push(`${want.title}: ${got ? `"${got.title}" / "${got.description?.slice(0, 40)}"${got.deleted ? ' deleted' : ''}` : 'missing'}`);
    }
  }
  const clobbered = [];
  for (const [id, mine] of proxy.otherDevice) {
    const got = remote.get(id);
    if (!got || got.deleted || got.revision < mine.revision || (got.revision === mine.revision && got.title !== mine.title)) {
      clobbered.push(`${mine.title}: ${got ? `"${got.title}" rev ${got.revision}` : 'missing'}`);
    } else if (!titles.includes(got.title)) {
      clobbered.push(`${mine.title}: on the endpoint but not on the participant's screen`);
    }
  }
  const lostIds = new Set();
  for (const [id, want] of expected) {
    const tag = (list) => list.some((line) => line.startsWith(`${want.title}:`));
    if (tag(lost.screen) || tag(lost.idb) || tag(lost.endpoint)) lostIds.add(id);
  }

  // (d) the summary line, the details, and every failed check at once.
  const { browserFaults, stuckMidRun, falseClaims } = s;
  const c = proxy.counts;
  const faults = s.totalFaults();
  const stuck = stuckMidRun + stuckFinal;
  const line = `faults=${faults} (5xx=${c['5xx']}, abort=${c.abort}, hung=${c.hung}, stalled=${c.stalled}, ` +
    `conflict412=${c.conflict412}, offline=${browserFaults.offline}, reload=${browserFaults.reload}, ` +
    `closed=${browserFaults.closed}, twotabs=${browserFaults.twotabs}, edit_during_publish=${browserFaults.edit_during_publish}) ` +
    `edits=${s.edits} lost=${lostIds.size} stuck=${stuck} (mid-run=${stuckMidRun}, final=${stuckFinal}) ` +
    `false_published=${falseClaims.size} other_device=${proxy.otherDevice.size} clobbered=${clobbered.length} ` +
    `seed=${s.seed} time=${Math.round((Date.now() - s.started) / 1000)}s (faulty phase ${Math.round(faultPhaseMs / 1000)}s)`;
  console.log(line);
  console.log(`  proxy detail: ${JSON.stringify(proxy.detail)}`);
  for (const what of s.incidents) console.log(`  incident: ${what}`);
  for (const what of stuckWhy) console.log(`  stuck: ${what}`);
  for (const [where, list] of Object.entries(lost)) for (const what of list) console.log(`  lost (${where}): ${what}`);
  for (const what of falseClaims.values()) console.log(`  shown as published, endpoint lacks it: ${what}`);
  for (const what of clobbered) console.log(`  other device's record: ${what}`);

  const failed = [];
  if (faults < 200) failed.push(`only ${faults} faults injected (at least 200)`);
  if (lostIds.size > 0) failed.push(`lost=${lostIds.size}: edits missing on screen, in IndexedDB or on the endpoint`);
  if (stuck > 0) failed.push(`stuck=${stuck}: publishes that did not end by themselves or after healing`);
  if (falseClaims.size > 0) failed.push(`false_published=${falseClaims.size}: shown as published, not on the endpoint`);
  if (clobbered.length > 0) failed.push(`clobbered=${clobbered.length}: the other device's records lost`);
  return failed;
}
