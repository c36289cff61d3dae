// A room of a few hundred participants, read the way a big one is (the endpoint's checkpoint
// and the changes after it, in slices, kept copies read back on the next visit): the table
// agrees with counts made here from the bundles, a new bundle and a filter change show (the last
// of two at once), and opening the map again fetches no bundle twice, a file removed by hand
// leaves; an action line with more actors than the picture draws one by one is told in words by
// group. The files' signatures are checked by the believer worker, or by the page where there are
// no workers; on a slow line the map fills in while the checkpoint downloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { ROOT, openPage, makeBundle, startEndpoint, useServerAndBrowser } from '../lib.mjs';
import { signBundle } from '../signing.mjs';

// A checkpoint every 20 change numbers (a number may cover several writes made together): the
// room's first visit reads one and the changes after it.
const shared = useServerAndBrowser(() => startEndpoint({ args: ['--checkpoint-changes', '20'] }));
const AUTHORS = 300;
const GROUPS = ['government', 'private_sector', 'civil_society', 'academic_technical', 'international_organisation'];
const catalogue = JSON.parse(readFileSync(join(ROOT, 'crates/core/data/topics.json'), 'utf8'));
const topics = Array.isArray(catalogue) ? catalogue : catalogue.topics;
const parentOf = new Map(topics.map((t) => [t.id, t.parent ?? null]));
const lines = topics.filter((t) => !t.parent).map((t) => t.id);
const leaves = topics.map((t) => t.id);

/** A count as the English page writes it ("1,200"). */
const n = (count) => count.toLocaleString('en-GB');
const GROUP_NAMES = {
  government: 'Government', private_sector: 'Private sector', civil_society: 'Civil society',
  academic_technical: 'Academic and technical community', international_organisation: 'International organisation',
};
const rollUp = (id) => { const chain = []; for (let t = id; t; t = parentOf.get(t)) chain.push(t); return chain; };

function bundleOf(a) {
  const records = [0, 1, 2, 3].map((r) => [a * 4 + r + 1, 'project', `Ressource ${a}-${r}`, [leaves[(a * 7 + r * 13) % leaves.length]]]);
  return makeBundle(`author-${a}`, `Participant ${a}`, GROUPS[a % GROUPS.length], 'africa', records);
}

async function put(bundle, endpoint = shared.endpoint) {
  const response = await fetch(`${endpoint.url}/bundles/${bundle.author.id}.json`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bundle.author.id}-token`, 'if-none-match': '*' },
    body: JSON.stringify(signBundle(bundle)),
  });
  assert.equal(response.status, 201, await response.text());
}

/** Actors and resources per action line, counted from the bundles as a fresh merge would. */
function expectedRows(bundles) {
  const rows = new Map(lines.map((l) => [l, { actors: new Set(), resources: 0 }]));
  for (const b of bundles) {
    for (const r of b.records) {
      const under = new Set(r.topics.flatMap(rollUp));
      for (const line of lines.filter((l) => under.has(l))) {
        rows.get(line).actors.add(b.author.id);
        rows.get(line).resources += 1;
      }
    }
  }
  return Object.fromEntries([...rows].map(([l, v]) => [l, [v.actors.size, v.resources]]));
}

/**
 * The group links of an action line's network, counted here: per pair of groups, how many of
 * its actors in the two tagged a topic (anywhere in the catalogue) that someone of the other
 * group tagged too.
 */
function expectedGroupLinks(bundles, line) {
  const under = bundles.filter((b) => b.records.some((r) => r.topics.flatMap(rollUp).includes(line)));
  const tagged = under.map((b) => new Set(b.records.flatMap((r) => r.topics)));
  const linked = new Map();
  for (let i = 0; i < under.length; i++) {
    for (let j = i + 1; j < under.length; j++) {
      const [ga, gb] = [under[i].author.stakeholder_group, under[j].author.stakeholder_group];
      if (ga === gb || ![...tagged[i]].some((t) => tagged[j].has(t))) continue;
      const key = [ga, gb].sort((a, b) => GROUPS.indexOf(a) - GROUPS.indexOf(b)).map((g) => GROUP_NAMES[g]).join(' — ');
      linked.set(key, (linked.get(key) ?? new Set()).add(i).add(j));
    }
  }
  return { actors: under.length, links: Object.fromEntries([...linked].map(([k, v]) => [k, v.size]).sort()) };
}

/** Waits until the endpoint has written a checkpoint (it does so in the background). */
async function untilCheckpoint(endpoint) {
  let since;
  for (let tries = 0; !since?.checkpoint && tries < 100; tries++) {
    if (tries) await new Promise((r) => setTimeout(r, 100));
    since = await (await fetch(`${endpoint.url}/bundles/?since=0`)).json();
  }
  assert.ok(since.checkpoint, `the endpoint wrote a checkpoint (at change ${since.seq})`);
}

/** How many files the believer worker checked for this page (each batch's mark counts its files). */
const workerChecked = (page) => page.evaluate(() => performance.getEntriesByName('networkshop:believed-by-worker').reduce((sum, mark) => sum + mark.detail, 0));

/** Waits until the map shows some participants of `all`, not all of them (checked every frame). */
const untilSomeShown = (page, all) => page.waitForFunction((all) => {
  const shown = Number(document.querySelector('[data-testid=community-counts]')?.textContent.match(/^([\d,]+) participant/)?.[1].replace(/,/g, ''));
  return shown > 0 && shown < all;
}, all, { timeout: 30_000, polling: 'raf' });

async function tableRows(page) {
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => {
    const cells = [...document.querySelectorAll(`tr[data-topic="${id}"] td`)].slice(0, 2).map((td) => Number(td.textContent));
    return [id, cells];
  })), lines);
}

test('a room of 300: read from a checkpoint, the table agrees with the bundles, a new bundle (by a delta) and a filter show, the next visit fetches nothing again, a file removed by hand leaves, a busy action line is told by group', async () => {
  const bundles = Array.from({ length: AUTHORS }, (_, a) => bundleOf(a));
  // A file put in by hand and changed after it was signed: the checkpoint carries it, the
  // worker refuses it (the browser's Ed25519 says no, the strict check agrees).
  const forged = signBundle(bundleOf(AUTHORS + 50));
  forged.records[0].title = 'Offre frauduleuse';
  writeFileSync(join(shared.endpoint.data, `${forged.author.id}.json`), JSON.stringify(forged));
  const late = AUTHORS - 5;
  for (let i = 0; i < late; i += 30) await Promise.all(bundles.slice(i, Math.min(i + 30, late)).map((b) => put(b)));
  // The endpoint writes its checkpoints in the background; five more arrive after it.
  await untilCheckpoint(shared.endpoint);
  await Promise.all(bundles.slice(late).map((b) => put(b)));

  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const firstVisit = [];
  context.on('request', (request) => firstVisit.push(new URL(request.url()).pathname + new URL(request.url()).search));
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
  await page.getByTestId('community-counts').filter({ hasText: `${n(AUTHORS)} participants, ${n(AUTHORS * 4)} resources` }).waitFor({ timeout: 30_000 });
  assert.deepEqual(await tableRows(page), expectedRows(bundles));
  const bulk = firstVisit.filter((path) => path.startsWith('/bundles/') && path !== '/bundles/');
  assert.ok(bulk.some((path) => path.startsWith('/bundles/checkpoints/')), `a checkpoint was read: ${bulk}`);
  assert.ok(bulk.some((path) => path.startsWith('/bundles/?since=0')), `and the changes after it: ${bulk}`);
  assert.deepEqual(bulk.filter((path) => path.includes('content=1') || /^\/bundles\/[^/]+\.json$/.test(path)), [], 'no listing with contents, no file alone');
  // Their signatures were checked off the page's thread, every one.
  assert.equal(await workerChecked(page), AUTHORS + 1, 'the believer worker checked the files');
  await page.getByTestId('file-problems').filter({ hasText: `${forged.author.id}.json` })
    .filter({ hasText: 'The signature does not match the content' }).waitFor();

  // One more participant: merged in place, the table follows. The poll asks only for what
  // changed after the view's change number, not for the room's listing.
  const newcomer = bundleOf(AUTHORS);
  const polled = [];
  context.on('request', (request) => polled.push(new URL(request.url()).pathname + new URL(request.url()).search));
  await put(newcomer);
  await page.getByTestId('community-counts').filter({ hasText: `${n(AUTHORS + 1)} participants` }).waitFor({ timeout: 15_000 });
  assert.equal(page.workers().length, 0, 'the worker ends with the pull that needed it');
  const pulls = polled.filter((path) => path.startsWith('/bundles/'));
  assert.ok(pulls.some((path) => /^\/bundles\/\?since=[1-9]/.test(path)), `a delta was asked: ${pulls}`);
  assert.deepEqual(pulls.filter((path) => path === '/bundles/' || path.endsWith('.json')), [], 'no listing, no file alone');
  const everyone = [...bundles, newcomer];
  assert.deepEqual(await tableRows(page), expectedRows(everyone));
  assert.match(await page.locator('.feed .feed-item').first().innerText(), new RegExp(`Participant ${AUTHORS}`));

  // A filter: the counts of one stakeholder group only. Chosen twice at once, the second
  // choice wins over the copy being made for the first, and the map is not left busy.
  await page.evaluate(() => {
    const select = document.getElementById('map-group');
    for (const value of ['government', 'civil_society']) {
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
  const civil = everyone.filter((b) => b.author.stakeholder_group === 'civil_society');
  await page.getByTestId('community-counts').filter({ hasText: `${n(civil.length)} participants` }).waitFor();
  assert.deepEqual(await tableRows(page), expectedRows(civil));
  assert.equal(await page.locator('.map-main').getAttribute('aria-busy'), null);

  // The next visit reads the kept copies: the same table, and no bundle fetched again.
  const fetched = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname + new URL(request.url()).search;
    if (path.startsWith('/bundles/') && path !== '/bundles/' && !path.startsWith('/bundles/?since=')) fetched.push(path);
  });
  await page.goto(shared.endpoint.url + '/map');
  await page.getByTestId('community-counts').filter({ hasText: `${n(AUTHORS + 1)} participants, ${n((AUTHORS + 1) * 4)} resources` }).waitFor({ timeout: 30_000 });
  assert.deepEqual(await tableRows(page), expectedRows(everyone));
  await page.getByTestId('pull-status').filter({ hasText: /Updated at/ }).waitFor({ timeout: 15_000 });
  // Only the refused file is asked again (it is not kept; it may have been mended).
  assert.deepEqual(fetched, [`/bundles/${forged.author.id}.json`], 'kept copies are not fetched again');

  // The busiest action line: more actors than the picture draws one by one, so its network
  // is told by stakeholder group, and its lists stop at 100 with how many more there are.
  const rows = expectedRows(everyone);
  const line = lines.reduce((best, l) => (rows[l][0] > rows[best][0] ? l : best));
  const expected = expectedGroupLinks(everyone, line);
  assert.ok(expected.actors > 100, `${line} has ${expected.actors} actors`);
  await page.goto(`${shared.endpoint.url}/map?topic=${line}`);
  const network = page.getByTestId('topic-network');
  await network.locator('.network-links li').first().waitFor({ timeout: 30_000 });
  assert.equal(await network.locator('.network-actors li').count(), 100);
  assert.match(await network.innerText(), new RegExp(`… and ${expected.actors - 100} more: the report and the exports list everything\\.`));
  const links = Object.fromEntries((await network.locator('.network-links li').allInnerTexts()).map((text) => {
    const [, groups, actors] = text.match(/^(.+?) : ([\d,]+) actors? shares? topics with the other group/);
    return [groups, Number(actors.replace(/,/g, ''))];
  }).sort());
  assert.deepEqual(links, expected.links);
  assert.equal(await page.locator('[data-testid=network-picture] .network-picture').count(), 1);
  // Its resources, kind by kind, stop at 100 each too.
  const perKind = new Map();
  for (const b of everyone) {
    for (const r of b.records.filter((r) => r.topics.flatMap(rollUp).includes(line))) perKind.set(r.kind, (perKind.get(r.kind) ?? 0) + 1);
  }
  assert.ok([...perKind.values()].some((count) => count > 100), `${line}: ${[...perKind]}`);
  const listed = [...perKind.values()].reduce((sum, count) => sum + Math.min(count, 100), 0);
  assert.equal(await network.locator('.network-resource').count(), listed);

  // An operator removes a file by hand: no change announces it, the listing compared when the
  // map opens does, and the author leaves the map.
  rmSync(join(shared.endpoint.data, 'author-0.json'));
  await page.goto(shared.endpoint.url + '/map');
  await page.getByTestId('community-counts').filter({ hasText: `${n(AUTHORS)} participants, ${n(AUTHORS * 4)} resources` }).waitFor({ timeout: 30_000 });
  assert.deepEqual(await tableRows(page), expectedRows(everyone.slice(1)));
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [how, prepare] of [
  ['has no workers', (context) => context.addInitScript(() => { delete globalThis.Worker; })],
  ['cannot load the worker', (context) => context.route('**/believer-loader-*.js', (route) => route.fulfill({ status: 404 }))],
]) {
  test(`where the browser ${how}, the map checks the files itself and agrees with the bundles`, async () => {
    const endpoint = await startEndpoint();
    const context = await shared.browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' });
    try {
      const bundles = Array.from({ length: 40 }, (_, a) => bundleOf(a));
      await Promise.all(bundles.map((b) => put(b, endpoint)));
      await prepare(context);
      const { page, errors } = await openPage(context, endpoint.url + '/map');
      await page.getByTestId('community-counts').filter({ hasText: '40 participants, 160 resources' }).waitFor({ timeout: 30_000 });
      assert.deepEqual(await tableRows(page), expectedRows(bundles));
      assert.equal(await workerChecked(page), 0, 'no worker checked anything');
      const newcomer = bundleOf(40);
      await put(newcomer, endpoint);
      await page.getByTestId('community-counts').filter({ hasText: '41 participants' }).waitFor({ timeout: 15_000 });
      assert.deepEqual(await tableRows(page), expectedRows([...bundles, newcomer]));
      // The browser reports the missing worker script; nothing else goes wrong.
      assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), []);
    } finally {
      await context.close();
      await endpoint.stop();
    }
  });
}

test('a first visit whose files come faster than the page reads them: the first ones shown, then the whole view, agreeing with the bundles', async () => {
  const endpoint = await startEndpoint();
  const context = await shared.browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' });
  try {
    const room = 2_000;
    const bundles = Array.from({ length: room }, (_, a) => bundleOf(a));
    for (let i = 0; i < room; i += 50) await Promise.all(bundles.slice(i, i + 50).map((b) => put(b, endpoint)));
    await untilCheckpoint(endpoint);
    const { page, errors } = await openPage(context, endpoint.url + '/map');
    // Some participants are shown while the rest are read.
    await untilSomeShown(page, room);
    await page.getByTestId('community-counts').filter({ hasText: `${n(room)} participants, ${n(room * 4)} resources` }).waitFor({ timeout: 30_000 });
    assert.deepEqual(await tableRows(page), expectedRows(bundles));
    // Gathered beside the view once they piled up, after some were shown.
    const gathered = await page.evaluate(() => performance.getEntriesByName('networkshop:index-gathered').length);
    assert.equal(gathered, 1, 'the files that piled up were gathered and indexed once');
    const newcomer = bundleOf(room);
    await put(newcomer, endpoint);
    await page.getByTestId('community-counts').filter({ hasText: `${n(room + 1)} participants` }).waitFor({ timeout: 15_000 });
    assert.deepEqual(await tableRows(page), expectedRows([...bundles, newcomer]));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await endpoint.stop();
  }
});

/**
 * A proxy in front of `endpoint` that sends checkpoints 1 KB every 100 ms (conference Wi-Fi);
 * `sent` says whether the last checkpoint has been sent whole.
 */
async function slowCheckpoints(endpoint) {
  const upstream = new URL(endpoint.url);
  const proxy = { sent: false };
  const server = http.createServer((request, response) => {
    const headers = { ...request.headers, host: upstream.host };
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      if (!request.url.startsWith('/bundles/checkpoints/')) return answer.pipe(response);
      proxy.sent = false;
      (async () => {
        for await (const chunk of answer) {
          for (let at = 0; at < chunk.length; at += 1024) {
            // The pause before each piece, none after the last: `sent` turns true in the same
            // turn as the last byte leaves, before the page can have read it.
            await new Promise((r) => setTimeout(r, 100));
            response.write(chunk.subarray(at, at + 1024));
          }
        }
        response.end();
        proxy.sent = true;
      })();
    });
    request.pipe(forward);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  proxy.close = () => new Promise((r) => { server.closeAllConnections(); server.close(r); });
  return proxy;
}

test('on a slow line, the map fills in while the checkpoint downloads, with how many are read of how many', async () => {
  const endpoint = await startEndpoint({ args: ['--checkpoint-changes', '20'] });
  const proxy = await slowCheckpoints(endpoint);
  const context = await shared.browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' });
  try {
    const bundles = Array.from({ length: AUTHORS }, (_, a) => bundleOf(a));
    for (let i = 0; i < AUTHORS; i += 30) await Promise.all(bundles.slice(i, i + 30).map((b) => put(b, endpoint)));
    await untilCheckpoint(endpoint);
    const { page, errors } = await openPage(context, proxy.url + '/map');
    // Some participants are on the map, not all, and the checkpoint is still arriving.
    await untilSomeShown(page, AUTHORS);
    assert.equal(proxy.sent, false, 'the map filled in before the checkpoint had arrived');
    await page.getByTestId('pull-status').filter({ hasText: /^Reading contributions: [\d,]+ of 300…$/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId('community-counts').filter({ hasText: `${n(AUTHORS)} participants, ${n(AUTHORS * 4)} resources` }).waitFor({ timeout: 60_000 });
    assert.equal(proxy.sent, true);
    assert.deepEqual(await tableRows(page), expectedRows(bundles));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await proxy.close();
    await endpoint.stop();
  }
});

test('a filtered map follows new bundles without making its copy again, and makes it again when a participant changes group; back to everyone, the feed lists who came meanwhile', async () => {
  const endpoint = await startEndpoint();
  const context = await shared.browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' });
  try {
    const bundles = Array.from({ length: 40 }, (_, a) => bundleOf(a));
    await Promise.all(bundles.map((b) => put(b, endpoint)));
    const civilOf = (all) => all.filter((b) => b.author.stakeholder_group === 'civil_society');
    const { page, errors } = await openPage(context, endpoint.url + '/map');
    await page.getByTestId('community-counts').filter({ hasText: `${n(40)} participants` }).waitFor({ timeout: 15_000 });
    const choose = (group) => page.evaluate((value) => {
      const select = document.getElementById('map-group');
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }, group);
    await choose('civil_society');
    const shows = async (all) => {
      await page.getByTestId('community-counts').filter({ hasText: `${n(civilOf(all).length)} participants, ${n(civilOf(all).length * 4)} resources` }).waitFor({ timeout: 15_000 });
      assert.deepEqual(await tableRows(page), expectedRows(civilOf(all)));
      assert.equal(await page.locator('.map-main').getAttribute('aria-busy'), null);
    };
    await shows(bundles);
    await page.getByTestId('pull-status').filter({ hasText: /Updated at/ }).waitFor({ timeout: 15_000 });
    const copiesMade = () => page.evaluate(() => performance.getEntriesByName('networkshop:filter').length);
    const made = await copiesMade();

    // A newcomer of the group and one of another: followed in place.
    const [government, civil] = [bundleOf(40), bundleOf(42)];
    await Promise.all([put(government, endpoint), put(civil, endpoint)]);
    const grown = [...bundles, government, civil];
    await shows(grown);
    assert.equal(await copiesMade(), made, 'the copy followed the new bundles, it was not made again');

    // A participant of the group now says they are from government: the copy is made again.
    const moved = { ...bundles[2], generated_at: '2005-01-11T12:00:00Z', author: { ...bundles[2].author, stakeholder_group: 'government' } };
    const url = `${endpoint.url}/bundles/${moved.author.id}.json`;
    const etag = (await fetch(url, { method: 'HEAD' })).headers.get('etag');
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${moved.author.id}-token`, 'if-match': etag },
      body: JSON.stringify(signBundle(moved)),
    });
    assert.ok([200, 204].includes(response.status), await response.text());
    await shows(grown.map((b) => (b.author.id === moved.author.id ? moved : b)));
    assert.ok(await copiesMade() > made, 'made again');

    // Back to everyone: the feed lists the newcomers, who came while the map was filtered.
    await choose('');
    await page.getByTestId('community-counts').filter({ hasText: `${n(42)} participants` }).waitFor({ timeout: 15_000 });
    const feed = await page.locator('.feed .feed-item').allInnerTexts();
    assert.equal(feed.length, 5);
    for (const item of feed) assert.match(item, /Participant 4[02]/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await endpoint.stop();
  }
});
