// The participant's page in two steps: the profile form comes with the first download, the
// rest (resources, publishing, the topics and about pages) in a wasm chunk fetched once the
// page is up. A participant can type before it arrives, is told when it cannot come, and has
// the whole page offline after one visit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startEndpoint, swControls, untilInPage } from '../lib.mjs';

const CHUNK = /-split_later-[0-9a-f]{16}\.wasm$/;

test('the profile form takes typing before the rest of the page has come; a rest that cannot come says so and comes on retry', async () => {
  const endpoint = await startEndpoint();
  const browser = await launchBrowser();
  try {
    // No service worker: every request of the page goes through the routes below.
    const context = await browser.newContext({ locale: 'fr-FR', serviceWorkers: 'block' });
    const page = await context.newPage();
    const held = [];
    let refuse = false;
    await page.route(CHUNK, (route) => (refuse ? route.abort('internetdisconnected') : held.push(route)));
    await page.goto(endpoint.url + '/');

    const name = page.locator('#profile-name');
    await name.fill('Awa Ndiaye');
    await untilInPage(page, () => document.getElementById('profile-name')?.value === 'Awa Ndiaye');
    await page.getByRole('status').filter({ hasText: 'Chargement…' }).waitFor();
    const addEvent = page.locator('button.add[data-kind="event"]');
    assert.equal(await addEvent.count(), 0, 'the record forms wait for their chunk');
    await untilInPage(page, () => document.querySelector('[data-testid="save-status"]')?.textContent.includes('Enregistré'));

    // The Wi-Fi drops while the chunk is on its way.
    refuse = true;
    for (const route of held.splice(0)) await route.abort('internetdisconnected');
    await page.getByRole('alert').filter({ hasText: 'Cette partie de la page n’a pas pu être chargée' }).waitFor();
    assert.equal(await name.inputValue(), 'Awa Ndiaye', 'what was typed stays');

    // Back online: "Réessayer" brings the rest of the page, and the drafts with it.
    await page.unroute(CHUNK);
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await addEvent.waitFor({ timeout: 15_000 });
    await addEvent.click();
    await page.locator('[id$="-title"]').first().fill('Atelier de Dakar');
    await untilInPage(page, () => document.querySelector('[data-testid="save-status"]')?.textContent.includes('Enregistré'));
    await page.reload();
    assert.equal(await name.inputValue(), 'Awa Ndiaye');
    await page.getByText('Atelier de Dakar').first().waitFor();
    await context.close();
  } finally {
    await browser.close();
    await endpoint.stop();
  }
});

test('after one visit, the whole participant page and its topics open offline', async () => {
  const endpoint = await startEndpoint();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(endpoint.url + '/');
    await page.locator('button.add[data-kind="event"]').waitFor();
    const chunk = await page.locator('meta[name="networkshop-later"]').getAttribute('data-later');
    assert.match(chunk, CHUNK, 'the shell names its chunk for the service worker');
    await page.waitForFunction(async (path) => {
      const cache = await caches.open('networkshop-shell-v4');
      return Boolean(await cache.match(path));
    }, chunk, { timeout: 30_000, polling: 250 });
    await swControls(page);

    await context.setOffline(true);
    await page.reload();
    await page.locator('button.add[data-kind="event"]').waitFor();
    await page.getByRole('link', { name: 'Thèmes', exact: true }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await page.getByRole('alert').filter({ hasText: 'n’a pas pu être chargée' }).count(), 0);
    await context.close();
  } finally {
    await browser.close();
    await endpoint.stop();
  }
});
