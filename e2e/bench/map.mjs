// Map benchmark (not a test): 2,000 authors and 20,000 resources served by the real endpoint,
// opened in headless Chromium; prints what the browser's Performance API measures.
//   node e2e/bench/map.mjs [--authors 2000] [--per-author 10] [--profile]
// `--profile` also prints where the main thread spent the first visit, one new bundle, the depth
// change, opening C7 and the second visit.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launchBrowser, startEndpoint } from '../lib.mjs';
import { signBundle } from '../signing.mjs';
import { profile } from './profile.mjs';

const { values } = parseArgs({
  options: {
    authors: { type: 'string', default: '2000' },
    'per-author': { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
  },
});
const AUTHORS = Number(values.authors);
const PER_AUTHOR = Number(values['per-author']);

const topics = JSON.parse(readFileSync(join(ROOT, 'crates/core/data/topics.json'), 'utf8'));
const topicIds = (Array.isArray(topics) ? topics : topics.topics).map((t) => t.id);
const GROUPS = ['government', 'private_sector', 'civil_society', 'academic_technical', 'international_organisation'];
const REGIONS = ['africa', 'americas', 'arab_states', 'asia_pacific', 'cis', 'europe', 'world'];
const KINDS = ['network', 'event', 'document', 'project', 'partnership'];

// A fixed pseudo-random sequence, so every run measures the same data.
let seed = 20051116;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(random() * list.length)];

function bundle(a) {
  const id = `author-${a}`;
  const records = [];
  for (let r = 0; r < PER_AUTHOR; r++) {
    const n = a * PER_AUTHOR + r;
    const kind = KINDS[n % KINDS.length];
    const record = {
      id: `00000000-0000-4000-8000-${String(n + 1).padStart(12, '0')}`,
      kind, title: `Ressource ${n} — ${kind}`, description: 'Une description de quelques mots.',
      topics: [...new Set([pick(topicIds), pick(topicIds), pick(topicIds)].slice(0, 1 + Math.floor(random() * 3)))],
      revision: 1, updated_at: '2005-06-01T12:00:00Z', author: id,
    };
    if (kind === 'event') {
      const day = 1 + Math.floor(random() * 28);
      record.event = { starts_on: `2005-11-${String(day).padStart(2, '0')}`, ends_on: `2005-11-${String(day).padStart(2, '0')}`, time_zone: 'Africa/Tunis' };
    }
    if (kind === 'partnership') {
      record.partnership = { partners: ['Partenaire A', 'Partenaire B'], objectives: 'Objectifs', funding: 'identified', agreement: 'mou' };
    }
    records.push(record);
  }
  return {
    format: 'networkshop.bundle', version: 1, generated_at: '2005-06-01T12:00:00Z',
    author: { id, display_name: `Participant ${a}`, organisation: `Organisation ${a}`, stakeholder_group: pick(GROUPS), region: pick(REGIONS) },
    records,
  };
}

async function put(endpoint, signed) {
  const response = await fetch(`${endpoint.url}/bundles/${signed.author.id}.json`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${signed.author.id}`, 'if-none-match': '*' },
    body: JSON.stringify(signed),
  });
  if (response.status !== 201) throw new Error(`${signed.author.id}: ${response.status} ${await response.text()}`);
}

/** Waits, inside the page, until the counts line says `text`; returns performance.now(). */
const countsSay = (page, text) => page.waitForFunction(
  (t) => document.querySelector('[data-testid=community-counts]')?.textContent.includes(t) && performance.now(),
  text, { timeout: 300_000, polling: 'raf' },
).then((handle) => handle.jsonValue());

/** When the counts first say something other than `before` (checked every frame). */
const countsLeave = (page, before) => page.waitForFunction(
  (b) => document.querySelector('[data-testid=community-counts]').textContent !== b && performance.now(),
  before, { polling: 'raf', timeout: 120_000 },
).then((handle) => handle.jsonValue());

/** Waits until a process has used under 3 % of a core for two seconds; how long that took. */
async function settled(pid) {
  const started = Date.now();
  const used = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0);
  let quiet = 0;
  let before = used();
  while (quiet < 4 && Date.now() - started < 180_000) {
    await new Promise((r) => setTimeout(r, 500));
    const now = used();
    quiet = now - before <= 1 ? quiet + 1 : 0;
    before = now;
  }
  return Date.now() - started;
}

/** Long tasks (over 50 ms on the main thread, Long Tasks API) between two page times. */
const longTasks = (page, from, to) => page.evaluate(([a, b]) => {
  // A task counts when it overlaps the window: a change handler's task starts before its event.
  const within = window.__longTasks.filter(([start, d]) => start + d >= a && start <= b);
  const tasks = within.map(([, d]) => d);
  // The three largest, each with the app's measures it overlaps: what to look at next.
  const measures = performance.getEntriesByType('measure');
  const largest = [...within].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([start, d]) => {
    const during = measures.filter((m) => m.startTime < start + d && m.startTime + m.duration > start)
      .map((m) => `${m.name.replace('networkshop:', '')} ${m.duration.toFixed(0)} ms`);
    return `${d.toFixed(0)} ms at ${start.toFixed(0)}${during.length ? ` (over ${[...new Set(during)].join(', ')})` : ''}`;
  });
  return { count: tasks.length, largest: Math.max(0, ...tasks), top: largest };
}, [from, to]);

/** Noted before any script of the page runs: every long task, and the wasm's memory. */
function watchPage() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail.wasm.memory; });
}

/** A count as the English page writes it ("10,000"). */
const n = (count) => count.toLocaleString('en-GB');

const measures = (page, name) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);

/** PouchDB's cold pull of the same bundles beside ours (first visit → everything drawn). */
async function peer(bundles, ours) {
  let pouchColdPull;
  try {
    ({ pouchColdPull } = await import('./peer/pouch.mjs'));
  } catch {
    console.log('PouchDB comparison skipped: its packages are installed by scripts/bench-map.sh');
    return;
  }
  const pouch = await pouchColdPull(browser, bundles);
  if (pouch.docs !== bundles.length) throw new Error(`PouchDB holds ${pouch.docs} of ${bundles.length} bundles`);
  console.log(`${'cold pull, ours: open → everything drawn (above)'.padEnd(66)} ${ours.toFixed(0).padStart(7)} ms`);
  console.log(`${'cold pull, PouchDB 9 from express-pouchdb (memory): replicate only'.padEnd(66)} ${pouch.ms.toFixed(0).padStart(7)} ms`);
  console.log(`${'  ratio PouchDB / ours'.padEnd(66)} ${(pouch.ms / ours).toFixed(2).padStart(7)}`);
}

const endpoint = await startEndpoint();
const browser = await launchBrowser();
try {
  let started = Date.now();
  const bundles = Array.from({ length: AUTHORS }, (_, a) => signBundle(bundle(a)));
  for (let i = 0; i < bundles.length; i += 32) await Promise.all(bundles.slice(i, i + 32).map((b) => put(endpoint, b)));
  const bytes = bundles.reduce((sum, b) => sum + JSON.stringify(b).length, 0);
  console.log(`data: ${AUTHORS} authors, ${AUTHORS * PER_AUTHOR} resources, ${(bytes / 1048576).toFixed(1)} MiB of bundles, published in ${Date.now() - started} ms`);
  // The endpoint writes its checkpoints (a gzip of every bundle) after a burst of publications:
  // on this two-core machine that would take a core from the browser being measured.
  console.log(`the endpoint settled (checkpoints written) ${(await settled(endpoint.pid) / 1000).toFixed(1)} s later`);

  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1600, height: 900 } });
  await context.addInitScript(watchPage);
  const page = await context.newPage();
  const tasks = [];
  const profiled = async (label) => (values.profile ? profile(context, page, label) : async () => {});
  let stopProfile = await profiled('the first visit');
  await page.goto(endpoint.url + '/map');
  // The map fills as files arrive: the first batch is on screen long before the last.
  const first = await page.waitForFunction(
    () => /^[1-9][\d,]* participant/.test(document.querySelector('[data-testid=community-counts]')?.textContent ?? '') && performance.now(),
    null, { timeout: 300_000, polling: 'raf' },
  ).then((h) => h.jsonValue());
  const drawn = await countsSay(page, `${n(AUTHORS)} participants, ${n(AUTHORS * PER_AUTHOR)} resources`);
  const bigTasks = (since = 0, over = 100) => page.evaluate(([from, least]) => window.__longTasks.filter(([s, d]) => d > least && s >= from)
    .map(([s, d]) => [performance.timeOrigin + s, d]), [since, over]);
  await stopProfile(values.profile ? await bigTasks() : []);
  const discs = await page.locator('g.disc').count();
  const figures = [];
  figures.push(['open the map → first contributions drawn (first visit)', first]);
  figures.push(['open the map → everything drawn (first visit, every bundle fetched)', drawn]);
  tasks.push(['first visit', await longTasks(page, 0, drawn)]);
  figures.push(['  of which merging the pulled bundles (networkshop:apply-bundles)', (await measures(page, 'networkshop:apply-bundles')).reduce((a, b) => a + b, 0)]);
  figures.push(['  of which the page waiting for the worker (networkshop:waiting-for-worker)', (await measures(page, 'networkshop:waiting-for-worker')).reduce((a, b) => a + b, 0)]);
  const [batches, files, span] = await page.evaluate(() => {
    const marks = performance.getEntriesByName('networkshop:believed-by-worker');
    const span = marks.length > 1 ? marks.at(-1).startTime - marks[0].startTime : 0;
    return [marks.length, marks.reduce((sum, mark) => sum + mark.detail, 0), span];
  });
  console.log(`first visit: ${n(files)} files checked by the believer worker in ${batches} batches (the page checked the rest)`);
  const ready = await page.evaluate(() => performance.getEntriesByName('networkshop:believer-ready')[0]?.startTime ?? NaN);
  console.log(`first visit: the believer worker ready at ${ready.toFixed(0)} ms`);
  const took = await page.evaluate(() => performance.getEntriesByName('networkshop:worker-checked-in-ms').map((m) => m.detail));
  const tookAll = took.reduce((a, b) => a + b, 0);
  console.log(`first visit: the worker checked for ${tookAll} ms in all (${(tookAll / Math.max(took.length, 1)).toFixed(0)} ms a batch, the first ${took[0] ?? 0} ms); its answers came every ${(span / Math.max(batches - 1, 1)).toFixed(0)} ms, first to last`);
  const waits = await measures(page, 'networkshop:waiting-for-worker');
  const afterFirst = waits.slice(1).reduce((a, b) => a + b, 0);
  console.log(`first visit: the page waited for the worker ${waits.length} times: the first ${(waits[0] ?? 0).toFixed(0)} ms, the others ${afterFirst.toFixed(0)} ms in all`);
  // When the bulk answers were asked, began and ended (ms after the page's start).
  const requests = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((r) => /[?&]since=0|checkpoints\//.test(r.name))
    .map((r) => [r.name.replace(/^.*\/bundles\/?/, ''), r.startTime, r.responseStart, r.responseEnd]));
  for (const [name, asked, first, last] of requests) {
    console.log(`first visit: ${name.padEnd(36)} asked at ${asked.toFixed(0)} ms, first byte at ${first.toFixed(0)}, last at ${last.toFixed(0)}`);
  }

  // One new participant publishes: the next poll merges it in place.
  const marksBefore = (await measures(page, 'networkshop:apply-bundles')).length;
  stopProfile = await profiled('one new bundle');
  const beforeNew = await page.evaluate(() => performance.now());
  await put(endpoint, signBundle(bundle(AUTHORS)));
  const afterNew = await countsSay(page, `${n(AUTHORS + 1)} participants`);
  await stopProfile(values.profile ? await bigTasks(beforeNew, 50) : []);
  tasks.push(['one new bundle (publish → counts)', await longTasks(page, beforeNew, afterNew)]);
  const applied = await page.evaluate(() => {
    const start = performance.getEntriesByName('networkshop:apply-bundles:start').at(-1).startTime;
    return performance.now() - start;
  });
  const applyOnly = (await measures(page, 'networkshop:apply-bundles')).slice(marksBefore);
  figures.push(['one new bundle: merge + index (networkshop:apply-bundles)', applyOnly.reduce((a, b) => a + b, 0)]);
  figures.push(['one new bundle: merge → map and table updated', applied]);

  // One more participant of the group the map is filtered by: the filtered copy follows the
  // merge (it is not made again).
  const newBundleFiltered = async (group) => {
    const copies = () => page.evaluate(() => performance.getEntriesByName('networkshop:filter').length);
    const [before, madeBefore] = [await page.locator('[data-testid=community-counts]').textContent(), await copies()];
    const t0 = await page.evaluate(() => performance.now());
    const newcomer = bundle(AUTHORS + 1);
    newcomer.author.stakeholder_group = group;
    await put(endpoint, signBundle(newcomer));
    const t1 = await countsLeave(page, before);
    const merged = await page.evaluate(() => performance.getEntriesByName('networkshop:apply-bundles:start').at(-1).startTime);
    figures.push(['one new bundle, map filtered: merge → map and table updated', t1 - merged]);
    tasks.push(['one new bundle, map filtered (publish → counts)', await longTasks(page, t0, t1)]);
    console.log(`one new bundle, map filtered: the filtered copy made again ${(await copies()) - madeBefore} times (0: followed)`);
  };

  // A filter change, from the change event to the new counts on screen.
  for (const [label, group] of [['filter change (stakeholder group)', 'civil_society'], ['filter back to everyone', '']]) {
    const before = await page.locator('[data-testid=community-counts]').textContent();
    stopProfile = await profiled(label);
    const t0 = await page.evaluate((value) => {
      const select = document.getElementById('map-group');
      select.value = value;
      const t = performance.now();
      select.dispatchEvent(new Event('change', { bubbles: true }));
      return t;
    }, group);
    const t1 = await countsLeave(page, before);
    await stopProfile(values.profile ? await bigTasks(t0 - 50, 50) : []);
    figures.push([label, t1 - t0]);
    tasks.push([label, await longTasks(page, t0, t1)]);
    if (group) await newBundleFiltered(group);
  }
  figures.push(['  of which filtered view + index (networkshop:filter)', (await measures(page, 'networkshop:filter'))[0]]);
  stopProfile = await profiled('the depth change');
  const depth = await page.evaluate(async () => {
    const select = document.getElementById('map-depth');
    select.value = '3';
    const t = performance.now();
    select.dispatchEvent(new Event('change', { bubbles: true }));
    while (document.querySelectorAll('g.disc').length < 155) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t;
  });
  await stopProfile([]);
  figures.push(['depth 1 → 3 (155 discs, 169 table rows)', depth]);

  // A facilitator (or the projector's tour) opens an action line: its network drawn and told.
  await page.evaluate(async () => {
    const select = document.getElementById('map-depth');
    select.value = '1';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    while (!document.querySelector('g.disc[data-topic="C7"]')) await new Promise((r) => requestAnimationFrame(r));
  });
  stopProfile = await profiled('opening C7');
  const t0 = await page.evaluate(() => {
    const t = performance.now();
    document.querySelector('g.disc[data-topic="C7"]').dispatchEvent(new MouseEvent('click', { bubbles: true }));
    return t;
  });
  const opened = await page.waitForFunction(
    () => document.querySelector('[data-testid=network-picture] svg') && document.querySelector('[data-testid=topic-network] .network-links, [data-testid=topic-network] p.hint') && performance.now(),
    null, { polling: 'raf', timeout: 300_000 },
  ).then((h) => h.jsonValue());
  await stopProfile(values.profile ? await bigTasks(t0 - 50) : []);
  figures.push(['open action line C7 → its network drawn and listed', opened - t0]);
  tasks.push(['open action line C7', await longTasks(page, t0, opened)]);

  // Wasm memory only grows: what the first page (a first visit, then every change above)
  // needed at its most.
  const firstPageMemory = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
  // Second visit: the bundles come from IndexedDB, the listing is unchanged.
  stopProfile = await profiled('opening again');
  await page.goto(endpoint.url + '/map');
  const again = await countsSay(page, `${n(AUTHORS + 2)} participants`);
  await stopProfile(values.profile ? await bigTasks() : []);
  figures.push(['open the map again → drawn (bundles kept in IndexedDB)', again]);
  const keptReadFrom = await page.evaluate(() => performance.getEntriesByName('networkshop:read-kept')[0]?.startTime ?? 0);
  figures.push(['  of which the app starting, up to reading the kept copies', keptReadFrom]);
  figures.push(['  of which reading the kept copies from IndexedDB (networkshop:read-kept)', (await measures(page, 'networkshop:read-kept'))[0] ?? 0]);
  figures.push(['  of which believing + merging the kept copies (networkshop:load-community)', (await measures(page, 'networkshop:load-community'))[0] ?? 0]);
  tasks.push(['open again', await longTasks(page, 0, again)]);
  // What the tab holds, not what awaits collection (the 58 MiB read from IndexedDB is garbage
  // once merged, collected whenever V8 decides).
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
  const wasmMemory = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);

  for (const [label, ms] of figures) console.log(`${label.padEnd(66)} ${ms.toFixed(0).padStart(7)} ms`);
  console.log(`${'discs drawn at depth 1'.padEnd(66)} ${String(discs).padStart(7)}`);
  console.log(`${'JS heap after the second visit and a GC (performance.memory)'.padEnd(66)} ${(heap / 1048576).toFixed(0).padStart(7)} MiB`);
  console.log(`${'wasm memory of the first page, at its most (first visit and changes)'.padEnd(66)} ${(firstPageMemory / 1048576).toFixed(0).padStart(7)} MiB`);
  console.log(`${'wasm memory after the second visit'.padEnd(66)} ${(wasmMemory / 1048576).toFixed(0).padStart(7)} MiB`);
  console.log(`${'tab total (JS heap + wasm memory)'.padEnd(66)} ${((heap + wasmMemory) / 1048576).toFixed(0).padStart(7)} MiB`);
  for (const [label, { count, largest, top }] of tasks) {
    console.log(`${`long tasks (> 50 ms): ${label}`.padEnd(66)} ${String(count).padStart(7)}   largest ${largest.toFixed(0)} ms`);
    if (top.length) console.log(`    the largest: ${top.join('; ')}`);
  }
  await context.close();
  await peer(bundles, drawn);
} finally {
  await browser.close();
  await endpoint.stop();
}
