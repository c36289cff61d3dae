// The big screen, with thirty participants: projector mode fits each common screen exactly
// with its QR code in view, is legible from the back, shows new work without moving, draws a
// topic's network where the room can see it; the middle depth has a disc for every action
// line; a topic-named export holds that topic only; the phone's table has no cut column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import AxeBuilder from '@axe-core/playwright';
import { openPage, publishBundle, useServerAndBrowser } from '../lib.mjs';

const shared = useServerAndBrowser();

const GROUPS = ['civil_society', 'government', 'private_sector', 'academic_technical', 'international_organisation'];
const REGIONS = ['africa', 'europe', 'asia_pacific', 'americas', 'arab_states', 'world'];
const TOPICS = ['C1', 'C2', 'C3.a', 'C4', 'C5.b', 'C6', 'C7.e-health.a', 'C7.e-learning', 'C8.c', 'C9', 'C10.a', 'C11', 'B.a', 'C4.b'];
const NAMES = ['Amina Diallo', 'Jean Müller', 'Chen Wei', 'Fatou Sow', 'Luis García', 'Olga Ivanova'];

async function room() {
  let n = 1;
  for (let i = 0; i < 30; i++) {
    const records = [];
    for (let k = 0; k <= i % 2; k++) {
      records.push([n++, k ? 'document' : 'project', `Ressource ${i}-${k}`, [TOPICS[(i * 3 + k * 5) % TOPICS.length]]]);
    }
    await publishBundle(shared.endpoint, `p${i}`, `${NAMES[i % NAMES.length]} ${i}`, GROUPS[i % GROUPS.length], REGIONS[i % REGIONS.length], records);
  }
}

async function noSeriousViolations(page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
}

/// Rendered sizes in CSS pixels: the picture's scale times the units of its text.
async function renderedSizes(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('[data-testid="topic-picture"]');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = (selector) => [...svg.querySelectorAll(selector)].map((t) => Number(t.getAttribute('font-size')) * scale);
    return { titles: sizes('.block-title'), counts: sizes('.disc-count'), picture: svg.getBoundingClientRect().toJSON() };
  });
}

function inside(box, viewport) {
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width + 1 && box.y + box.height <= viewport.height + 1;
}

test('projector mode fits four screen sizes, legible, and new work changes counts without moving the picture', async () => {
  await room();
  for (const [width, height] of [[1920, 1080], [1280, 720], [3840, 2160], [1024, 768]]) {
    const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width, height } });
    const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
    await page.goto(shared.endpoint.url + '/map?projector=1');
    await page.getByTestId('community-counts').filter({ hasText: /^3\d participants/ }).waitFor();
    const tall = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(tall <= height, `${width}×${height}: the page is ${tall} px tall`);
    const qr = await page.getByTestId('join-code').locator('svg').boundingBox();
    assert.ok(qr && inside(qr, { width, height }), `${width}×${height}: QR code in view ${JSON.stringify(qr)}`);
    const sizes = await renderedSizes(page);
    // From the back of the room: titles ≥ 24 px and counts ≥ 32 px at 1080p, in proportion to
    // the height elsewhere; a 4:3 screen is narrower than the picture's proportions, so there it
    // is three quarters of that.
    const least = (px) => (px * height) / 1080 - 0.5;
    assert.ok(Math.min(...sizes.titles) >= least(24) * (width / height < 1.5 ? 0.75 : 1), `${width}×${height}: titles ${Math.min(...sizes.titles)} px`);
    assert.ok(Math.min(...sizes.counts) >= least(32) * (width / height < 1.5 ? 0.75 : 1), `${width}×${height}: counts ${Math.min(...sizes.counts)} px`);
    if (width === 1920) {
      await noSeriousViolations(page);
      // Three more publish: the counts change within the polling interval, nothing moves.
      const before = sizes.picture;
      const c4 = await page.locator('g.disc[data-topic="C4"] .disc-count').textContent();
      for (let j = 0; j < 3; j++) {
        await publishBundle(shared.endpoint, `late${j}`, `Arrivée ${j}`, GROUPS[j], REGIONS[j], [[900 + j, 'project', `Tardif ${j}`, ['C4']]]);
      }
      await page.getByTestId('community-counts').filter({ hasText: '33 participants' }).waitFor({ timeout: 12_000 });
      await page.waitForFunction((old) => document.querySelector('g.disc[data-topic="C4"] .disc-count')?.textContent === String(Number(old) + 3), c4, { timeout: 12_000 });
      assert.equal(await page.locator('g.disc[data-topic="C4"] .fresh-mark').textContent(), '+3');
      assert.match(await page.getByTestId('news-count').innerText(), /\+3 contributions/);
      assert.deepEqual((await renderedSizes(page)).picture, before, 'the picture did not move');
      assert.ok((await page.evaluate(() => document.documentElement.scrollHeight)) <= height);

      // Opening a topic draws its network in the picture's place, in view.
      await page.locator('g.disc[data-topic="C4"] circle').click();
      const network = page.getByTestId('network-picture');
      await network.locator('g.node').first().waitFor();
      const box = await network.locator('svg').boundingBox();
      assert.ok(inside(box, { width, height }), `network in view ${JSON.stringify(box)}`);
      assert.ok((await network.locator('g.node').count()) >= 3);
      assert.ok((await page.evaluate(() => document.documentElement.scrollHeight)) <= height);
      await noSeriousViolations(page);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the middle depth shows a disc for every action line with resources, and a topic export holds that topic only', async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 768 } });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map?depth=2');
  await page.getByTestId('community-counts').filter({ hasText: /^3\d participants/ }).waitFor();
  for (const line of ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10', 'C11', 'B']) {
    const resources = Number((await page.locator(`tr[data-topic="${line}"] td`).allInnerTexts())[1]);
    assert.ok(resources > 0, `${line} has resources`);
    const discs = page.locator(`g.disc[data-topic="${line}"], g.disc[data-topic^="${line}."]`);
    assert.ok((await discs.count()) > 0, `${line} has a disc at the middle depth`);
  }
  const c9 = Number((await page.locator('tr[data-topic="C9"] td').allInnerTexts())[1]);

  // On a laptop the open topic's network is drawn beside the picture, in view.
  await page.locator('g.disc[data-topic="C9"] circle').click();
  const network = page.getByTestId('network-picture');
  await network.locator('g.node').first().waitFor();
  const box = await network.locator('svg').boundingBox();
  assert.ok(box.y < 768 && box.x > 600, `network beside the picture ${JSON.stringify(box)}`);
  // An actor's page: from the network, what they registered by action line.
  await network.locator('g.node').first().click();
  const actor = page.getByTestId('actor-panel');
  await actor.waitFor();
  assert.match(page.url(), /actor=p\d+/);
  assert.match(await actor.innerText(), /C9 Médias/);
  await actor.getByRole('button', { name: 'Fermer' }).click();
  await actor.waitFor({ state: 'detached' });

  const menu = page.locator('.export-menu');
  await menu.locator('summary').click();
  const [file] = await Promise.all([page.waitForEvent('download'), menu.locator('button[data-format="csv"]').click()]);
  const name = file.suggestedFilename();
  assert.match(name, /^networkshop-\d{4}-\d\d-\d\d-C9\.csv$/);
  const rows = parseCsv(await readFile(await file.path(), 'utf8'), { bom: true, columns: true, delimiter: ';' });
  assert.equal(rows.length, c9, 'only the topic\'s rows');
  assert.ok(rows.every((r) => Object.values(r).some((v) => /\bC9\b/.test(v))), 'every row is on C9');
  await noSeriousViolations(page);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the map by Sustainable Development Goal: the same picture and table by goal, and a goal filters the map', async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 768 } });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
  await page.getByTestId('community-counts').filter({ hasText: /^3\d participants/ }).waitFor();
  const everyone = await page.getByTestId('community-counts').innerText();
  await page.getByLabel('Voir par').selectOption('sdg');
  await page.getByTestId('sdg-picture').waitFor();
  assert.match(page.url(), /view=sdg/);
  assert.equal(await page.locator('tr[data-sdg]').count(), 17);
  // C9 (médias) leads to goal 16, e-health to goal 3: the table and the picture agree.
  const goal3 = Number((await page.locator('tr[data-sdg="3"] td').allInnerTexts())[1]);
  assert.ok(goal3 > 0);
  assert.equal(await page.locator('g.sdg-block[data-sdg="3"] .disc-count').textContent(), String(goal3));
  assert.match(await page.locator('tr[data-sdg="3"] th').innerText(), /ODD 3 — Bonne santé et bien-être/);
  // Touching a goal filters the map to the resources leading to it.
  await page.locator('g.sdg-block[data-sdg="3"] rect.frame').click();
  await page.waitForURL(/sdg=3/);
  await page.getByTestId('community-counts').filter({ hasText: new RegExp(`${goal3} ressources?$`) }).waitFor();
  assert.notEqual(await page.getByTestId('community-counts').innerText(), everyone);
  assert.equal(await page.getByLabel('Objectif de développement durable').inputValue(), '3');
  // Back to the action lines, still filtered: the picture is the action lines', the numbers goal 3's.
  await page.getByLabel('Voir par').selectOption('');
  await page.getByTestId('topic-picture').waitFor();
  const c9 = Number((await page.locator('tr[data-topic="C9"] td').allInnerTexts())[1]);
  assert.equal(c9, 0, 'media does not lead to goal 3');
  const menu = page.locator('.export-menu');
  await menu.locator('summary').click();
  const [file] = await Promise.all([page.waitForEvent('download'), menu.locator('button[data-format="csv"]').click()]);
  assert.match(file.suggestedFilename(), /-sdg-3\.csv$/);
  const rows = parseCsv(await readFile(await file.path(), 'utf8'), { bom: true, columns: true, delimiter: ';' });
  assert.equal(rows.length, goal3);
  assert.ok(rows.every((r) => r.ODD.split('; ').includes('3')), 'every row leads to goal 3');
  await noSeriousViolations(page);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a 360 px phone the map and its table fit the width', async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 740 } });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
  await page.getByTestId('community-counts').filter({ hasText: /^3\d participants/ }).waitFor();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `the page is ${wide} px wide`);
  const table = await page.locator('.topic-table').boundingBox();
  assert.ok(table.width <= 360, `the table is ${table.width} px wide`);
  // Each number keeps its heading beside it once the columns are gone.
  assert.equal(await page.locator('tr[data-topic="C4"] td').first().getAttribute('data-label'), 'Acteurs');
  const cell = await page.locator('tr[data-topic="C4"] td').first().boundingBox();
  assert.ok(cell.x + cell.width <= 360);
  assert.deepEqual(errors, []);
  await context.close();
});
