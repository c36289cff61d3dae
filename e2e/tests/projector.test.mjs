// The picture and projector mode: the picture holds the table's numbers, keeps its places when
// counts change, and the projected view (large, high contrast, QR code, auto-tour) passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { openPage, publishBundle, useServerAndBrowser } from '../lib.mjs';

const shared = useServerAndBrowser();

async function disc(page, topic) {
  const g = page.locator(`g.disc[data-topic="${topic}"]`);
  const circle = g.locator('circle');
  return {
    count: Number(await g.locator('.disc-count').textContent()),
    cx: await circle.getAttribute('cx'),
    cy: await circle.getAttribute('cy'),
    r: Number(await circle.getAttribute('r')),
  };
}

async function tableResources(page, topic) {
  return Number((await page.locator(`tr[data-topic="${topic}"] td`).allInnerTexts())[1]);
}

async function noSeriousViolations(page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
}

test('the picture shows the table\'s numbers and a growing topic keeps its place', async () => {
  await publishBundle(shared.endpoint, 'ana', 'Ana', 'civil_society', 'africa', [
    [11, 'project', 'Écoles', ['C4']],
    [12, 'project', 'Atelier', ['C4.a']],
  ]);
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
  await page.getByTestId('community-counts').filter({ hasText: '1 participant, 2 resources' }).waitFor();
  const before = await disc(page, 'C4');
  assert.equal(before.count, 2);
  assert.equal(before.count, await tableResources(page, 'C4'));
  const c9Before = await disc(page, 'C9');
  assert.equal(c9Before.count, 0);
  assert.match(await page.locator('g.disc[data-topic="C9"]').getAttribute('class'), /\bempty\b/);

  await publishBundle(shared.endpoint, 'ben', 'Ben', 'government', 'europe', [
    [13, 'project', 'Radio', ['C9']], [14, 'document', 'Étude', ['C9.a']], [15, 'network', 'Réseau', ['C9.b']],
  ]);
  await page.getByTestId('community-counts').filter({ hasText: '2 participants, 5 resources' }).waitFor({ timeout: 12_000 });
  const c9After = await disc(page, 'C9');
  assert.equal(c9After.count, 3);
  assert.equal(c9After.count, await tableResources(page, 'C9'));
  assert.deepEqual([c9After.cx, c9After.cy], [c9Before.cx, c9Before.cy], 'C9 did not move');
  assert.ok(c9After.r > c9Before.r, 'C9 grew');
  const after = await disc(page, 'C4');
  assert.deepEqual([after.cx, after.cy, after.r], [before.cx, before.cy, before.r], 'C4 did not move or change');
  assert.match(await page.locator('g.disc[data-topic="C9"]').getAttribute('class'), /\bnew\b/);

  // Clicking a disc opens its network, as the table's button does.
  await page.locator('g.disc[data-topic="C9"] circle').click();
  await page.getByTestId('topic-network').filter({ hasText: 'Ben' }).waitFor();
  assert.match(page.url(), /topic=C9/);

  // Deeper levels place every sub-topic; the picture and the table still agree.
  await page.getByLabel('Level of detail').selectOption('3');
  await page.locator('g.disc[data-topic="C9.a"]').waitFor();
  assert.equal((await disc(page, 'C9.a')).count, await tableResources(page, 'C9.a'));
  assert.equal(await page.locator('g.disc').count(), 169 - 14);
  assert.deepEqual(errors, []);
  await context.close();
});

test('projector mode: full width, high contrast, the QR code of the participant page, an auto-tour, no axe violation', async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1920, height: 1080 } });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
  await page.getByTestId('community-counts').filter({ hasText: '2 participants' }).waitFor();
  await noSeriousViolations(page);

  await page.getByRole('button', { name: 'Mode projection' }).click();
  await page.waitForFunction(() => document.documentElement.classList.contains('projector'));
  assert.match(page.url(), /projector=1/);
  assert.equal(await page.locator('.site-header').isVisible(), false);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(0, 0, 0)');
  const code = page.getByTestId('join-code');
  assert.equal(await code.locator('.join-address').innerText(), shared.endpoint.url + '/');
  assert.ok((await code.locator('svg').count()) === 1, 'the QR code is drawn as SVG');
  // The picture takes most of a 1920 px screen.
  const box = await page.getByTestId('topic-picture').boundingBox();
  assert.ok(box.width > 1200, `picture ${box.width}px wide`);
  await noSeriousViolations(page);

  // Auto-tour: the open topic moves from one action line to the next.
  const url = new URL(page.url());
  url.searchParams.set('tour', '1');
  url.searchParams.set('tour_every', '3');
  await page.goto(url.toString());
  await page.waitForFunction(() => new URL(location.href).searchParams.get('topic') === 'B', null, { timeout: 8_000 });
  await page.waitForFunction(() => new URL(location.href).searchParams.get('topic') === 'C1', null, { timeout: 8_000 });
  await page.getByTestId('topic-network').waitFor();
  await noSeriousViolations(page);

  // Leaving projector mode brings the site back.
  await page.getByRole('button', { name: 'Quitter le mode projection' }).click();
  await page.waitForFunction(() => !document.documentElement.classList.contains('projector'));
  assert.equal(await page.locator('.site-header').isVisible(), true);
  assert.doesNotMatch(page.url(), /tour=1/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('sub-topic names under a line stay apart on a projector and a laptop', async () => {
  const c7 = ['e-government', 'e-business', 'e-learning', 'e-health', 'e-employment', 'e-environment', 'e-agriculture', 'e-science'];
  await publishBundle(shared.endpoint, 'chloe', 'Chloé', 'academic_technical', 'europe',
    c7.map((sub, i) => [30 + i, 'project', `Projet ${sub}`, [`C7.${sub}`]]));
  for (const viewport of [{ width: 1920, height: 1080 }, { width: 1280, height: 800 }]) {
    const context = await shared.browser.newContext({ locale: 'fr-FR', viewport });
    const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
    await page.goto(shared.endpoint.url + '/map?projector=1&depth=2');
    const named = page.locator('g.disc[data-topic^="C7."] .disc-label');
    await page.waitForFunction((n) => document.querySelectorAll('g.disc[data-topic^="C7."] .disc-label').length === n, c7.length);
    const labels = await named.evaluateAll((texts) => texts.map((t) => {
      const { x, y, width, height } = t.getBoundingClientRect();
      return { text: t.textContent, x, y, width, height };
    }));
    assert.equal(labels.length, c7.length);
    assert.equal(new Set(labels.map((l) => l.text)).size, c7.length, `each its own name: ${labels.map((l) => l.text)}`);
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) {
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        assert.ok(apart, `${viewport.width} px: “${a.text}” and “${b.text}” overlap`);
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
