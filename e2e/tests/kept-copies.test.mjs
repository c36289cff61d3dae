// The copies of everyone's bundles that the facilitator's browser keeps in IndexedDB, so that the
// map opens again without the endpoint: what earlier builds kept (packs of the files' JSON text;
// before those, JSON arrays of copies) is still read, and written again in this build's form (a
// header, then each bundle in the core's kept form).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, publishBundle, startEndpoint, useServerAndBrowser } from '../lib.mjs';

const shared = useServerAndBrowser(() => startEndpoint());

/** The community store's values, as text, in key order. */
const keptValues = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('networkshop');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const read = open.result.transaction('community').objectStore('community').getAll();
    read.onsuccess = () => {
      open.result.close();
      resolve(read.result.map((value) => (typeof value === 'string' ? value : new TextDecoder().decode(value))));
    };
    read.onerror = () => reject(read.error);
  };
}));

/** Rewrites each kept pack the way an earlier build wrote it, with `files` (name → the file's
 * text as the endpoint serves it): `pack2`, the build before's packs (the same header, then the
 * files' JSON text end to end); `array`, a JSON array of copies, each
 * `{"name","etag","key","rules","bundle"}` with the file itself as `bundle`. */
const keepAsAnEarlierBuildDid = (page, files, form) => page.evaluate(({ files, form }) => new Promise((resolve, reject) => {
  const open = indexedDB.open('networkshop');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction('community', 'readwrite');
    const store = tx.objectStore('community');
    const cursor = store.openCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) return;
      const bytes = new Uint8Array(at.value);
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(10))));
      const copies = header.copies.map((copy) => ({ ...copy, file: files[copy.name] }));
      const earlier = form === 'pack2'
        ? `${JSON.stringify({ pack: 2, copies: copies.map(({ file, ...copy }) => ({ ...copy, len: new TextEncoder().encode(file).length })) })}\n${copies.map((c) => c.file).join('')}`
        : `[${copies.map(({ name, etag, key, rules, file }) => `{"name":${JSON.stringify(name)},"etag":${JSON.stringify(etag)},"key":${JSON.stringify(key)},"rules":${JSON.stringify(rules)},"bundle":${file}}`).join(',')}]`;
      at.update(new TextEncoder().encode(earlier));
      at.continue();
    };
    tx.oncomplete = () => { open.result.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
}), { files, form });

const AUTHORS = ['amina', 'bruno', 'chen'];
const thisBuilds = (value) => value.startsWith('{"pack":3,');

test('copies kept by earlier builds open the map without the endpoint, and are kept again in this build\'s form', async () => {
  for (const [n, id] of AUTHORS.entries()) {
    await publishBundle(shared.endpoint, id, `Participant ${id}`, 'civil_society', 'africa', [[n * 2 + 1, 'project', `Projet ${id}`, ['C7']], [n * 2 + 2, 'document', `Atelier ${id}`, ['C3']]]);
  }
  const files = {};
  for (const id of AUTHORS) files[`${id}.json`] = await (await fetch(`${shared.endpoint.url}/bundles/${id}.json`)).text();
  for (const [form, mark] of [['pack2', '{"pack":2,'], ['array', '[{"name":']]) {
    const context = await shared.browser.newContext({ locale: 'en-GB' });
    const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
    const counts = page.getByTestId('community-counts');
    await counts.filter({ hasText: '3 participants, 6 resources' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('pull-status').filter({ hasText: /Updated at/ }).waitFor({ timeout: 15_000 });
    const written = await keptValues(page);
    assert.ok(written.length > 0 && written.every(thisBuilds), `packs of this build's form: ${written.map((v) => v.slice(0, 20))}`);

    await keepAsAnEarlierBuildDid(page, files, form);
    assert.ok((await keptValues(page)).every((value) => value.startsWith(mark)), form);
    // The endpoint is down: what the map shows comes from the kept copies alone.
    await context.route('**/bundles/**', (route) => route.abort('connectionrefused'));
    await page.reload();
    await counts.filter({ hasText: '3 participants, 6 resources' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('pull-status').filter({ hasText: /unreachable/i }).waitFor({ timeout: 15_000 });
    // Read, they are written again whole in this build's form.
    let again = [];
    for (let tries = 0; tries < 50; tries++) {
      again = await keptValues(page);
      if (again.length && again.every(thisBuilds)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(again.length, 1, `one pack (${form})`);
    assert.ok(thisBuilds(again[0]), form);
    assert.match(again[0], /"name":"amina\.json"/);
    assert.match(again[0], /Atelier chen/);

    await page.reload();
    await counts.filter({ hasText: '3 participants, 6 resources' }).waitFor({ timeout: 15_000 });
    assert.deepEqual(errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)), [], form);
    await context.close();
  }
});
