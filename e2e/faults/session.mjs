// The participant under test, shared by the scenarios and the final checks: one place holds the
// page, the expected edits and the counters, so every fault is tallied and every edit remembered.
import { openPage, readIndexedDb, waitSaved } from '../lib.mjs';

export const PUBLISHING = 'Publishing…';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const within = (promise, ms) => Promise.race([promise, sleep(ms).then(() => undefined)]);

/** A deterministic PRNG for the test's own choices (the proxy has its own, seeded alike). */
export function seededRandom(seed) {
  let prng = seed >>> 0 || 1;
  const rnd = () => {
    prng ^= prng << 13; prng >>>= 0;
    prng ^= prng >>> 17;
    prng ^= prng << 5; prng >>>= 0;
    return prng / 0x100000000;
  };
  return { rnd, pick: (list) => list[Math.floor(rnd() * list.length)] };
}

export const descriptionField = (p) => p.getByRole('textbox', { name: 'Description', exact: true });
export const statusText = async (p) => (await p.getByTestId('publish-status').innerText()).trim();
export const publishButton = (p) => p.getByRole('button', { name: 'Publish now' });

/** Waits until the page is no longer publishing; false if it still is after `ms`. */
export async function settle(p, ms = 20_000) {
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
export async function clickPublish(p) {
  const button = publishButton(p);
  if (!(await button.isEnabled())) return false;
  await button.click({ timeout: 5_000 });
  return true;
}

export async function loaded(p) {
  await p.locator('header.site-header').waitFor();
  await waitSaved(p);
}

export async function reloadPage(p) {
  await p.reload();
  await loaded(p);
}

/** The form focuses its title field 30 ms after it opens; typing before that would land in
 * the wrong field, so wait for it as a person would. */
export async function formOpen(p) {
  await p.locator('.editor').waitFor();
  await p.waitForFunction(() => document.activeElement?.id?.endsWith('-title'), null, { timeout: 1_000, polling: 20 })
    .catch(() => {});
}

export class Session {
  constructor({ endpoint, proxy, context, seed, started }) {
    Object.assign(this, { endpoint, proxy, context, seed, started });
    Object.assign(this, seededRandom(seed));
    this.page = undefined;
    this.authorId = undefined;
    this.browserFaults = { offline: 0, reload: 0, closed: 0, twotabs: 0, edit_during_publish: 0 };
    /** Record id → the title and description the participant last gave it. */
    this.expected = new Map();
    this.edits = 0;
    this.projects = 0;
    this.stuckMidRun = 0;
    this.falseClaims = new Map(); // key → description, for "shown as published, not on the endpoint"
    this.incidents = [];
    this.verbose = process.env.FAULTS_VERBOSE === '1';
  }

  totalFaults() {
    return this.proxy.total + Object.values(this.browserFaults).reduce((a, b) => a + b, 0);
  }

  progress(what) {
    if (this.verbose) console.log(`  [${Math.round((Date.now() - this.started) / 1000)}s] faults=${this.totalFaults()} edits=${this.edits} ${what}`);
  }

  async openTab() {
    return (await openPage(this.context, this.proxy.url + '/')).page;
  }

  async newTab() {
    const p = await this.openTab();
    await loaded(p);
    return p;
  }

  async addOne(p) {
    const title = `Fault project ${++this.projects}`;
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
    this.expected.set(id, { title, description: '' });
    this.edits += 1;
    return id;
  }

  /** Edits the title and/or the description of record `id` through its form. */
  async editOne(p, id, { title = false, description = false } = {}) {
    const current = this.expected.get(id);
    const next = { ...current };
    const stamp = `${this.edits + 1}`;
    if (title) next.title = `${current.title.replace(/ v\d+$/, '')} v${stamp}`;
    if (description || !title) next.description = `Description ${stamp}: typed by the participant at ${new Date().toISOString()}`;
    await p.getByRole('button', { name: `Edit ${current.title}`, exact: true }).click({ timeout: 10_000 });
    await formOpen(p);
    if (title) await p.getByLabel('Title', { exact: true }).fill(next.title);
    if (next.description !== current.description) await descriptionField(p).fill(next.description);
    await waitSaved(p);
    // Logged once stored on the device: from here on it must never be lost.
    this.expected.set(id, next);
    this.edits += 1;
    await p.getByRole('button', { name: 'Done' }).click();
    return id;
  }

  /** One edit of the participant's: a new project now and then, else a title or a description. */
  async someEdit(p, exclude = []) {
    const ids = [...this.expected.keys()].filter((id) => !exclude.includes(id));
    if (ids.length < 4 || (this.rnd() < 0.2 && this.projects < 30)) return this.addOne(p);
    const id = this.pick(ids);
    const r = this.rnd();
    return this.editOne(p, id, { title: r < 0.5, description: r >= 0.35 });
  }

  async endpointRecords() {
    const response = await fetch(`${this.endpoint.url}/bundles/${this.authorId}.json`, { cache: 'no-store' });
    if (response.status !== 200) return new Map();
    const bundle = await response.json();
    return new Map(bundle.records.map((r) => [r.id, r]));
  }

  /**
   * Nothing shown or stored as published that the endpoint lacks: every record whose badge says
   * "On the map", and every record IndexedDB keeps as published, must be on the endpoint in that
   * version (same revision and content, or a newer revision). Screen and IndexedDB are read
   * before the endpoint, so a publish landing in between can only make the endpoint newer.
   */
  async checkClaims(p, when) {
    const shown = await p.$$eval('.resource', (items) => items.map((item) => ({
      id: item.dataset.recordId,
      title: item.querySelector('.resource-title')?.textContent.trim(),
      onMap: item.querySelector('.badge')?.classList.contains('state-on-map') ?? false,
    })));
    const { records } = await readIndexedDb(p);
    const remote = await this.endpointRecords();
    const claim = (id, title, description, revision, where) => {
      const r = remote.get(id);
      const ok = r && !r.deleted && (r.revision > revision ||
        (r.revision === revision && r.title === title && (description === undefined || r.description === description)));
      if (!ok) {
        // One entry per record version, whichever place (screen, IndexedDB) claimed it first.
        const key = `${id}:${revision}:${title}`;
        const differs = r && r.title === title ? `description "${r.description.slice(0, 30)}…" instead of "${(description ?? '?').slice(0, 30)}…"` : '';
        if (!this.falseClaims.has(key)) {
          this.falseClaims.set(key, `${when}: ${where} shows "${title}" (rev ${revision}) as published; endpoint has ${r ? `"${r.title}" rev ${r.revision}${r.deleted ? ' (deleted)' : ''} ${differs}` : 'nothing'}`);
        }
      }
    };
    for (const item of shown) {
      if (!item.onMap) continue;
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
}
