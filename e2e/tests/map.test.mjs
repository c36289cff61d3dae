// The facilitator's map: counts rolled up, gaps, one topic's network, filters in the address;
// how it pulls (every file at once on a first look, then only what changed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { openPage, publishBundle as publishTo, startEndpoint, useServerAndBrowser } from '../lib.mjs';

const shared = useServerAndBrowser();
const publishBundle = (...args) => publishTo(shared.endpoint, ...args);

async function row(page, topic) {
  const cells = await page.locator(`tr[data-topic="${topic}"] td`).allInnerTexts();
  return cells.slice(0, 2).map(Number);
}

test('three participants: rolled-up counts, gaps, a topic network with links, filters kept in the address', async () => {
  await publishBundle('alice', 'Alice', 'civil_society', 'africa', [
    [1, 'network', 'Réseau santé', ['C7.e-health.a']],
    [2, 'project', 'Formation', ['C4']],
  ]);
  await publishBundle('bob', 'Bob', 'government', 'europe', [[3, 'project', 'Télémédecine', ['C7.e-health.a', 'C4']]]);
  await publishBundle('chen', 'Chen', 'civil_society', 'asia_pacific', [[4, 'document', 'Rapport', ['C7.e-health.b']]]);

  const context = await shared.browser.newContext({ locale: 'en-GB' });
  // New contributions stay marked for 6 s here (3 minutes unless the address says).
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map?fade=6');
  await page.getByTestId('community-counts').filter({ hasText: '3 participants, 4 resources' }).waitFor();
  assert.deepEqual(await row(page, 'C7'), [3, 3]);
  assert.deepEqual(await row(page, 'C4'), [2, 2]);
  assert.deepEqual(await row(page, 'C9'), [0, 0]);
  assert.match(await page.locator('tr[data-topic="C9"] .gap-cell').innerText(), /no actor/);
  assert.equal(await page.getByTestId('news-count').innerText(), '', 'what the first look finds is not news');

  // A fourth participant publishes: the open map shows it within the polling interval, without
  // a reload, highlighted as new, in the table and in the feed.
  await publishBundle('dora', 'Dora', 'government', 'europe', [[5, 'network', 'Forum des médias', ['C9.a']]]);
  await page.getByTestId('news-count').filter({ hasText: '+1 contribution just now' }).waitFor({ timeout: 12_000 });
  assert.deepEqual(await row(page, 'C9'), [1, 1]);
  assert.match(await page.locator('tr[data-topic="C9"]').getAttribute('class'), /\bnew\b/);
  assert.doesNotMatch(await page.locator('tr[data-topic="C4"]').getAttribute('class'), /\bnew\b/);
  assert.equal(await page.locator('g.disc[data-topic="C9"] .fresh-mark').textContent(), '+1');
  assert.match(await page.locator('.feed .feed-item').first().innerText(), /Forum des médias\s+Dora\s+.*\(C9\.a\)/);
  // The mark fades by itself; the feed keeps the contribution.
  await page.locator('g.disc[data-topic="C9"] .fresh-mark').waitFor({ state: 'detached', timeout: 15_000 });
  assert.equal(await page.getByTestId('news-count').innerText(), '');
  assert.doesNotMatch(await page.locator('tr[data-topic="C9"]').getAttribute('class'), /\bnew\b/);
  assert.match(await page.locator('.feed').innerText(), /Forum des médias/);

  // Deeper: the e-application rows appear and roll up their sub-paragraphs.
  await page.getByLabel('Level of detail').selectOption('2');
  await page.locator('tr[data-topic="C7.e-health"]').waitFor();
  assert.deepEqual(await row(page, 'C7.e-health'), [3, 3]);

  // One topic's network: its actors and the links through shared topics.
  await page.locator('tr[data-topic="C4"] button').click();
  const network = page.getByTestId('topic-network');
  await network.waitFor();
  const text = await network.innerText();
  assert.match(text, /Alice/);
  assert.match(text, /Bob/);
  assert.doesNotMatch(text, /Chen/);
  assert.match(text, /Alice — Bob : Capacity building \(C4\), .*\(C7\.e-health\.a\)/);

  // Filters live in the address: a reload (or a shared link) shows the same view.
  await page.getByLabel('Stakeholder group').selectOption({ label: 'Civil society' });
  await page.getByTestId('community-counts').filter({ hasText: '2 participants, 3 resources' }).waitFor();
  const address = page.url();
  assert.match(address, /group=civil_society/);
  assert.match(address, /topic=C4/);
  assert.match(address, /depth=2/);
  await page.reload();
  await page.getByTestId('community-counts').filter({ hasText: '2 participants, 3 resources' }).waitFor();
  assert.deepEqual(await row(page, 'C7'), [2, 2]);
  assert.match(await page.locator('tr[data-topic="C4"] .gap-cell').innerText(), /one group only/);
  // The controls say what the address says, after a reload too.
  assert.equal(await page.getByLabel('Stakeholder group').inputValue(), 'civil_society');
  assert.equal(await page.getByLabel('Level of detail').inputValue(), '2');
  await page.getByLabel('Events from').fill('2005-11-16');
  await page.waitForURL(/from=2005-11-16/);
  await page.reload();
  await page.getByTestId('community-counts').waitFor();
  assert.equal(await page.getByLabel('Events from').inputValue(), '2005-11-16');
  assert.equal(await page.getByLabel('Stakeholder group').inputValue(), 'civil_society');

  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a first look at a busy map fetches every file in one request and shows them all', async () => {
  for (let i = 0; i < 10; i++) {
    await publishBundle(`busy-${i}`, `Busy ${i}`, 'academic_technical', 'americas', [[100 + i, 'project', `Projet ${i}`, ['C3']]]);
  }
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const requests = [];
  context.on('request', (r) => { if (r.url().includes('/bundles/')) requests.push(new URL(r.url()).pathname + new URL(r.url()).search); });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
  await page.getByTestId('community-counts').filter({ hasText: /^14 participant/ }).waitFor();
  // No checkpoint yet (the endpoint writes one every 500 changes): the changes since 0 are all.
  assert.ok(requests.some((r) => r.startsWith('/bundles/?since=0')), requests.join(' '));
  assert.deepEqual(requests.filter((r) => r.endsWith('.json')), [], 'no file fetched alone');
  assert.deepEqual(await row(page, 'C3'), [10, 10]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a map opened on a small room takes a change number, then asks only for what changed', async () => {
  const endpoint = await startEndpoint();
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  try {
    await publishTo(endpoint, 'early', 'Early', 'government', 'africa', [[200, 'project', 'Premier projet', ['C1']]]);
    const requests = [];
    context.on('request', (r) => { if (r.url().includes('/bundles/')) requests.push(new URL(r.url()).pathname + new URL(r.url()).search); });
    const { page, errors } = await openPage(context, endpoint.url + '/map');
    await page.getByTestId('community-counts').filter({ hasText: '1 participant, 1 resource' }).waitFor();
    // One file: the first pull compares the listing; the next, holding a file, takes the
    // endpoint's change number first.
    for (let t = 0; t < 40 && !requests.some((r) => r.startsWith('/bundles/?since=0')); t++) await page.waitForTimeout(500);
    assert.ok(requests.some((r) => r.startsWith('/bundles/?since=0')), requests.join(' '));
    await page.waitForTimeout(500);
    requests.length = 0;
    await publishTo(endpoint, 'later', 'Later', 'civil_society', 'europe', [[201, 'project', 'Projet suivant', ['C2']]]);
    await page.getByTestId('community-counts').filter({ hasText: '2 participants, 2 resources' }).waitFor({ timeout: 15_000 });
    assert.ok(requests.some((r) => /^\/bundles\/\?since=[1-9]/.test(r)), requests.join(' '));
    assert.deepEqual(requests.filter((r) => r === '/bundles/' || /^\/bundles\/[^/]+\.json$/.test(r)), [], 'no listing, no file alone');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await endpoint.stop();
  }
});
