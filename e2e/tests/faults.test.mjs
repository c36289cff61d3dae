// Fault injection, end to end and bounded in time: a participant keeps editing and publishing
// while a proxy in front of the real endpoint answers 5xx, drops connections (before and after
// the write landed), hangs, stalls bodies and plays the participant's other device (real 412s),
// and the browser goes offline, reloads or closes the tab mid-publish, publishes from two tabs
// and edits during a publish. Afterwards every edit must be on screen, in IndexedDB and, once
// healed, on the endpoint; nothing may be shown as published that the endpoint lacks.
//
//   FAULTS_SEED=7 FAULTS_BUDGET_MS=150000 node --test --test-reporter=spec tests/faults.test.mjs
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, readIndexedDb, startEndpoint, waitSaved } from '../lib.mjs';
import { startFaultProxy } from '../faults/proxy.mjs';

const SEED = Number(process.env.FAULTS_SEED ?? 20051116);
/** Time for the faulty phase; the setup and the final checks come on top (about a minute). */
const BUDGET_MS = Number(process.env.FAULTS_BUDGET_MS ?? 165_000);
const TARGET_FAULTS = 220;
/** How long a hung or stalled request may keep the page at "Publishing…": the app's own
 * deadline (15 s today) plus a margin. */
const SLOW_DEADLINE_MS = 25_000;
const PUBLISHING = 'Publishing…';
/** The cheap faults, injected at random on most requests under /bundles/. */
const RANDOM = {
  PUT: { p: 0.85, weights: { '5xx': 4, abort: 3, conflict412: 3 } },
  GET: { p: 0.45, weights: { '5xx': 3, abort: 2 } },
};

const resources = [];
after(async () => {
  for (const close of resources.reverse()) await close().catch(() => {});
});

// A deterministic PRNG for the test's own choices (the proxy has its own, seeded alike).
let prng = SEED >>> 0 || 1;
function rnd() {
  prng ^= prng << 13; prng >>>= 0;
  prng ^= prng >>> 17;
  prng ^= prng << 5; prng >>>= 0;
  return prng / 0x100000000;
}
const pick = (list) => list[Math.floor(rnd() * list.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const within = (promise, ms) => Promise.race([promise, sleep(ms).then(() => undefined)]);

test('at least 200 injected faults while a participant keeps editing: nothing lost, nothing stuck', { timeout: 295_000 }, async () => {
  const started = Date.now();
  const endpoint = await startEndpoint();
  resources.push(() => endpoint.stop());
  const proxy = await startFaultProxy(endpoint.url, { seed: SEED });
  resources.push(() => proxy.close());
  const browser = await launchBrowser();
  resources.push(() => browser.close());
  const context = await browser.newContext({ locale: 'en-GB' });

  const browserFaults = { offline: 0, reload: 0, closed: 0, twotabs: 0, edit_during_publish: 0 };
  /** Record id → the title and description the participant last gave it. */
  const expected = new Map();
  let edits = 0;
  let projects = 0;
  let stuckMidRun = 0;
  const falseClaims = new Map(); // key → description, for "shown as published, not on the endpoint"
  const incidents = [];
  const verbose = process.env.FAULTS_VERBOSE === '1';
  const progress = (what) => {
    if (verbose) console.log(`  [${Math.round((Date.now() - started) / 1000)}s] faults=${proxy.total + Object.values(browserFaults).reduce((a, b) => a + b, 0)} edits=${edits} ${what}`);
  };

  // ---- pages and the participant's actions -------------------------------------------------
  let page = (await openPage(context, proxy.url + '/')).page;

  const descriptionField = (p) => p.getByRole('textbox', { name: 'Description', exact: true });
  const statusText = async (p) => (await p.getByTestId('publish-status').innerText()).trim();
  const publishButton = (p) => p.getByRole('button', { name: 'Publish now' });

  /** Waits until the page is no longer publishing; false if it still is after `ms`. */
  async function settle(p, ms = 20_000) {
    try {
      await p.waitForFunction(
        (text) => document.querySelector('[data-testid="publish-status"]')?.textContent.trim() !== text,
        PUBLISHING, { timeout: ms, polling: 50 });
      return true;
    } catch {
      return false;
    }
  }

  /** Clicks "Publish now" if it is enabled (it is not while a publish runs); true if clicked. */
  async function clickPublish(p) {
    const button = publishButton(p);
    if (!(await button.isEnabled())) return false;
    await button.click({ timeout: 5_000 });
    return true;
  }

  async function loaded(p) {
    await p.locator('header.site-header').waitFor();
    await waitSaved(p);
  }

  async function reloadPage(p) {
    await p.reload();
    await loaded(p);
  }

  async function newTab() {
    const { page: p } = await openPage(context, proxy.url + '/');
    await loaded(p);
    return p;
  }

  /** The form focuses its title field 30 ms after it opens; typing before that would land in
   * the wrong field, so wait for it as a person would. */
  async function formOpen(p) {
    await p.locator('.editor').waitFor();
    await p.waitForFunction(() => document.activeElement?.id?.endsWith('-title'), null, { timeout: 1_000, polling: 20 })
      .catch(() => {});
  }

  async function addOne(p) {
    const title = `Fault project ${++projects}`;
    await p.getByRole('button', { name: '+ Project' }).click();
    await formOpen(p);
    await p.getByLabel('Title', { exact: true }).fill(title);
    const search = p.getByRole('combobox', { name: 'Find a topic' });
    await search.fill('capacity building');
    await p.locator('.topic-results').getByRole('option').first().waitFor();
    await search.press('Enter');
    await p.locator('.editor .chip').first().waitFor();
    await waitSaved(p);
    await p.getByRole('button', { name: 'Done' }).click();
    const item = p.locator('.resource').filter({ has: p.locator('.resource-title').getByText(title, { exact: true }) });
    const id = await item.getAttribute('data-record-id');
    expected.set(id, { title, description: '' });
    edits += 1;
    return id;
  }

  /** Edits the title and/or the description of record `id` through its form. */
  async function editOne(p, id, { title = false, description = false } = {}) {
    const current = expected.get(id);
    const next = { ...current };
    const stamp = `${edits + 1}`;
    if (title) next.title = `${current.title.replace(/ v\d+$/, '')} v${stamp}`;
    if (description || !title) next.description = `Description ${stamp}: typed by the participant at ${new Date().toISOString()}`;
    await p.getByRole('button', { name: `Edit ${current.title}`, exact: true }).click({ timeout: 10_000 });
    await formOpen(p);
    if (title) await p.getByLabel('Title', { exact: true }).fill(next.title);
    if (next.description !== current.description) await descriptionField(p).fill(next.description);
    await waitSaved(p);
    // Logged once stored on the device: from here on it must never be lost.
    expected.set(id, next);
    edits += 1;
    await p.getByRole('button', { name: 'Done' }).click();
    return id;
  }

  /** One edit of the participant's: a new project now and then, else a title or a description. */
  async function someEdit(p, exclude = []) {
    const ids = [...expected.keys()].filter((id) => !exclude.includes(id));
    if (ids.length < 4 || (rnd() < 0.2 && projects < 30)) return addOne(p);
    const id = pick(ids);
    const r = rnd();
    return editOne(p, id, { title: r < 0.5, description: r >= 0.35 });
  }

  // ---- what the endpoint and IndexedDB hold ------------------------------------------------
  let authorId;
  async function endpointRecords() {
    const response = await fetch(`${endpoint.url}/bundles/${authorId}.json`, { cache: 'no-store' });
    if (response.status !== 200) return new Map();
    const bundle = await response.json();
    return new Map(bundle.records.map((r) => [r.id, r]));
  }

  /**
   * Nothing shown or stored as published that the endpoint lacks: every record whose badge says
   * Published, and every record IndexedDB keeps as published, must be on the endpoint in that
   * version (same revision and content, or a newer revision). Screen and IndexedDB are read
   * before the endpoint, so a publish landing in between can only make the endpoint newer.
   */
  async function checkClaims(p, when) {
    const shown = await p.$$eval('.resource', (items) => items.map((item) => ({
      id: item.dataset.recordId,
      title: item.querySelector('.resource-title')?.textContent.trim(),
      badge: item.querySelector('.badge')?.textContent.trim(),
    })));
    const { records } = await readIndexedDb(p);
    const remote = await endpointRecords();
    const claim = (id, title, description, revision, where) => {
      const r = remote.get(id);
      const ok = r && !r.deleted && (r.revision > revision ||
        (r.revision === revision && r.title === title && (description === undefined || r.description === description)));
      if (!ok) {
        // One entry per record version, whichever place (screen, IndexedDB) claimed it first.
        const key = `${id}:${revision}:${title}`;
        const differs = r && r.title === title ? `description "${r.description.slice(0, 30)}…" instead of "${(description ?? '?').slice(0, 30)}…"` : '';
        if (!falseClaims.has(key)) {
          falseClaims.set(key, `${when}: ${where} shows "${title}" (rev ${revision}) as published; endpoint has ${r ? `"${r.title}" rev ${r.revision}${r.deleted ? ' (deleted)' : ''} ${differs}` : 'nothing'}`);
        }
      }
    };
    for (const item of shown) {
      if (item.badge !== 'Published') continue;
      const local = records[item.id]?.record;
      // A tab that has not yet heard of another tab's newer write shows the older version; what
      // is stored is checked below.
      if (local && local.title !== item.title) continue;
      claim(item.id, item.title, undefined, local?.revision ?? 0, 'screen');
    }
    for (const [id, local] of Object.entries(records)) {
      const { record, published_revision: published } = local;
      if (record.deleted || published == null || published < record.revision) continue;
      claim(id, record.title, record.description, record.revision, 'IndexedDB');
    }
  }

  // ---- the scenarios -------------------------------------------------------------------------
  async function cheapRound(p) {
    if (rnd() < 0.6) await someEdit(p);
    if (await clickPublish(p)) await settle(p);
    await checkClaims(p, 'after a publish');
  }

  async function offline() {
    await context.setOffline(true);
    browserFaults.offline += 1;
    await someEdit(page);
    if (await clickPublish(page)) {
      await within(page.getByTestId('publish-status').filter({ hasText: 'does not answer' }).waitFor(), 10_000);
    }
    await someEdit(page);
    await context.setOffline(false);
    await settle(page);
  }

  /** Holds the next PUT at the proxy, then reloads or closes the tab while it waits. */
  async function interruptPublish(how) {
    const held = proxy.hold({ method: 'PUT' });
    await someEdit(page);
    // A retry of the page's own may be the PUT that gets held; either way the tab is publishing.
    await clickPublish(page);
    if (!(await within(held.arrived, 10_000))) {
      held.cancel();
      incidents.push(`${how}: no PUT came to interrupt`);
      return;
    }
    if (how === 'reload') {
      browserFaults.reload += 1;
      await page.reload();
    } else {
      browserFaults.closed += 1;
      await page.close({ runBeforeUnload: false });
      page = (await openPage(context, proxy.url + '/')).page;
    }
    // The request the tab left behind reaches the endpoint, or dies at the proxy.
    held.release(rnd() < 0.5 ? 'forward' : 'drop');
    await loaded(page);
    // The pending publish resumes by itself after the reload.
    await settle(page);
  }

  async function twoTabs() {
    const second = await newTab();
    const a = await someEdit(page);
    await someEdit(second, [a]);
    browserFaults.twotabs += 1;
    await Promise.all([clickPublish(page), clickPublish(second)]);
    await Promise.all([settle(page), settle(second)]);
    await checkClaims(second, 'two tabs (second tab)');
    await second.close();
  }

  async function editDuringPublish() {
    // The fault here is the participant typing while the PUT is in flight, so the proxy injects
    // nothing else meanwhile: a clean publish first (the page knows the endpoint's version), then
    // a record with unpublished changes goes out and is edited again before the answer comes.
    proxy.setRandom(null);
    try {
      await settle(page);
      if (await clickPublish(page)) await settle(page);
      const id = pick([...expected.keys()]);
      await editOne(page, id, { title: true });
      await settle(page);
      const held = proxy.hold({ method: 'PUT' });
      await clickPublish(page);
      if (!(await within(held.arrived, 10_000))) {
        held.cancel();
        incidents.push('edit during publish: no PUT came');
        return;
      }
      browserFaults.edit_during_publish += 1;
      await editOne(page, id, { title: rnd() < 0.5, description: true });
      held.release('forward');
      await within(held.answered, 10_000);
      await settle(page);
      await checkClaims(page, 'after an edit during a publish');
    } finally {
      proxy.setRandom(RANDOM);
    }
  }

  /**
   * A hung or stalled request on the publish path: the page must leave "Publishing…" by itself.
   * Meanwhile a second tab keeps editing and publishing (the time is not wasted).
   */
  async function slowFault(spec) {
    await settle(page);
    let taken;
    if (spec.kind === 'stalled-get') {
      // A real 412 from the other device, then the app's GET of its own bundle stalls mid-body.
      proxy.arm('conflict412', { method: 'PUT' });
      taken = proxy.arm('stalled', { method: 'GET', path: /^\/bundles\/[^/?]+\.json/ });
    } else if (spec.kind === 'stalled-put') {
      taken = proxy.arm('stalled', { method: 'PUT' }, { conflict: true });
    } else {
      taken = proxy.arm('hung', { method: 'PUT' }, { forward: spec.forward });
    }
    await someEdit(page);
    await clickPublish(page);
    const result = await within(taken, 10_000);
    if (!result?.applied) {
      proxy.disarm();
      incidents.push(`${spec.kind}: not applied`);
      return;
    }
    const since = Date.now();
    const second = await newTab();
    let recovered = false;
    while (Date.now() - since < SLOW_DEADLINE_MS) {
      if ((await statusText(page)) !== PUBLISHING) {
        recovered = true;
        break;
      }
      await cheapRound(second);
    }
    recovered ||= (await statusText(page)) !== PUBLISHING;
    proxy.disarm();
    await second.close();
    if (!recovered) {
      stuckMidRun += 1;
      incidents.push(`${spec.kind}${spec.forward ? ' (after the write)' : ''}: still "${PUBLISHING}" ${Math.round((Date.now() - since) / 1000)} s after the fault; reloaded`);
      await reloadPage(page);
    }
  }

  // ---- the run -------------------------------------------------------------------------------
  await page.getByLabel('Display name').fill('Fatou Sow');
  await page.getByLabel('Stakeholder group').selectOption({ label: 'Civil society' });
  await waitSaved(page);
  for (let i = 0; i < 4; i++) await addOne(page);
  await clickPublish(page);
  await page.getByTestId('publish-status').filter({ hasText: 'Published at' }).waitFor({ timeout: 15_000 });
  const ids = await readIndexedDb(page);
  authorId = ids.meta.profile.id;
  assert.ok(authorId, 'the profile has an author id');

  proxy.setRandom(RANDOM);
  const scenarios = [
    ...Array(3).fill('offline'), ...Array(3).fill('reload'), ...Array(3).fill('closed'),
    ...Array(3).fill('twotabs'), ...Array(5).fill('edit_during_publish'),
    'hung-before', 'hung-after', 'stalled-put', 'stalled-get',
  ];
  for (let i = scenarios.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [scenarios[i], scenarios[j]] = [scenarios[j], scenarios[i]];
  }
  const totalFaults = () => proxy.total + Object.values(browserFaults).reduce((a, b) => a + b, 0);
  const phaseStart = Date.now();
  let sinceScenario = 0;
  while (Date.now() - phaseStart < BUDGET_MS && (scenarios.length > 0 || totalFaults() < TARGET_FAULTS)) {
    try {
      if (scenarios.length > 0 && (sinceScenario >= 3 || totalFaults() >= TARGET_FAULTS)) {
        sinceScenario = 0;
        const next = scenarios.shift();
        progress(next);
        switch (next) {
          case 'offline': await offline(); break;
          case 'reload': await interruptPublish('reload'); break;
          case 'closed': await interruptPublish('closed'); break;
          case 'twotabs': await twoTabs(); break;
          case 'edit_during_publish': await editDuringPublish(); break;
          case 'hung-before': await slowFault({ kind: 'hung', forward: false }); break;
          case 'hung-after': await slowFault({ kind: 'hung', forward: true }); break;
          default: await slowFault({ kind: next });
        }
      } else {
        sinceScenario += 1;
        await cheapRound(page);
      }
    } catch (error) {
      // The participant's page misbehaved under a fault: note it, bring the page back, go on.
      incidents.push(`${error.message.split('\n')[0]}`);
      await context.setOffline(false);
      await page.close().catch(() => {});
      page = (await openPage(context, proxy.url + '/')).page;
      await loaded(page).catch(() => {});
    }
  }
  const faultPhaseMs = Date.now() - phaseStart;

  // ---- healed: publish once more, then check everything ----------------------------------------
  progress('healed');
  proxy.heal();
  await context.setOffline(false);
  for (const other of context.pages()) if (other !== page) await other.close();
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
  const badges = await page.locator('.resource .badge').allInnerTexts();
  const notPublished = badges.filter((b) => b.trim() !== 'Published');
  if (notPublished.length > 0) {
    stuckFinal += 1;
    stuckWhy.push(`after the final publish ${notPublished.length} record(s) still say ${[...new Set(notPublished)].join(', ')}`);
  }
  const db = await readIndexedDb(page);
  if (db.meta.publish?.pending) {
    stuckFinal += 1;
    stuckWhy.push('the publish is still pending in IndexedDB');
  }
  await checkClaims(page, 'after healing');

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
  const listing = await (await fetch(`${endpoint.url}/bundles/`)).json();
  assert.ok(listing.some((entry) => entry.name === `${authorId}.json`), `the endpoint lists ${authorId}.json`);
  const remote = await endpointRecords();
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

  const c = proxy.counts;
  const faults = totalFaults();
  const stuck = stuckMidRun + stuckFinal;
  const line = `faults=${faults} (5xx=${c['5xx']}, abort=${c.abort}, hung=${c.hung}, stalled=${c.stalled}, ` +
    `conflict412=${c.conflict412}, offline=${browserFaults.offline}, reload=${browserFaults.reload}, ` +
    `closed=${browserFaults.closed}, twotabs=${browserFaults.twotabs}, edit_during_publish=${browserFaults.edit_during_publish}) ` +
    `edits=${edits} lost=${lostIds.size} stuck=${stuck} (mid-run=${stuckMidRun}, final=${stuckFinal}) ` +
    `false_published=${falseClaims.size} other_device=${proxy.otherDevice.size} clobbered=${clobbered.length} ` +
    `seed=${SEED} time=${Math.round((Date.now() - started) / 1000)}s (faulty phase ${Math.round(faultPhaseMs / 1000)}s)`;
  console.log(line);
  console.log(`  proxy detail: ${JSON.stringify(proxy.detail)}`);
  for (const what of incidents) console.log(`  incident: ${what}`);
  for (const what of stuckWhy) console.log(`  stuck: ${what}`);
  for (const [where, list] of Object.entries(lost)) for (const what of list) console.log(`  lost (${where}): ${what}`);
  for (const what of falseClaims.values()) console.log(`  shown as published, endpoint lacks it: ${what}`);
  for (const what of clobbered) console.log(`  other device's record: ${what}`);

  // Every check at once, so one run tells all that is wrong.
  const failed = [];
  if (faults < 200) failed.push(`only ${faults} faults injected (at least 200)`);
  if (lostIds.size > 0) failed.push(`lost=${lostIds.size}: edits missing on screen, in IndexedDB or on the endpoint`);
  if (stuck > 0) failed.push(`stuck=${stuck}: publishes that did not end by themselves or after healing`);
  if (falseClaims.size > 0) failed.push(`false_published=${falseClaims.size}: shown as published, not on the endpoint`);
  if (clobbered.length > 0) failed.push(`clobbered=${clobbered.length}: the other device's records lost`);
  assert.deepEqual(failed, []);
});
