// Forms made for people (French, phone-sized, Europe/Paris): Done puts a record on the map,
// errors wait until a field is touched and then sit at their field, words instead of codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { openPage, useServerAndBrowser, fillProfileName } from '../lib.mjs';

const shared = useServerAndBrowser();
const PHONE = { locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 360, height: 740 } };

async function phone() {
  const context = await shared.browser.newContext(PHONE);
  const { page, errors } = await openPage(context, shared.endpoint.url + '/');
  await page.locator('#profile-name').waitFor();
  return { context, page, errors };
}

async function chooseTopic(page, query) {
  const search = page.getByRole('combobox', { name: 'Chercher un thème' });
  await search.fill(query);
  await page.locator('.topic-results').getByRole('option').first().waitFor();
  await search.press('Enter');
}

test('a participant who only presses Done appears on another browser\'s map', async () => {
  const { context, page, errors } = await phone();
  await page.getByTestId('save-status').filter({ hasText: 'Rien d\'enregistré pour l\'instant' }).waitFor();
  // Group and region start unchosen: the profile is incomplete until the participant answers.
  for (const select of ['#profile-group', '#profile-region']) {
    assert.equal(await page.locator(select).evaluate((e) => e.selectedOptions[0]?.textContent), 'Choisir…', select);
  }
  await fillProfileName(page, 'Awa Ndiaye');
  await page.getByRole('button', { name: '+ Projet' }).click();
  // A new record shows no error before anything is typed.
  assert.equal(await page.locator('.editor .field-error:not(:empty)').count(), 0);
  await page.getByLabel('Titre', { exact: true }).fill('Cliniques connectées');
  await chooseTopic(page, 'télémédecine');
  await page.getByRole('button', { name: 'Terminer' }).click();
  const state = page.locator('.resource', { hasText: 'Cliniques connectées' }).getByTestId('record-state');
  await state.filter({ hasText: 'Sur la carte' }).waitFor({ timeout: 15_000 });
  // The time shown is the phone's (Europe/Paris), not UTC.
  const shown = (await page.getByTestId('publish-status').innerText()).match(/(\d{2}):(\d{2})/);
  const paris = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(new Date());
  const minutes = ([h, m]) => Number(h) * 60 + Number(m);
  assert.ok(Math.abs(minutes(shown.slice(1)) - minutes(paris.split(':'))) <= 1, `${shown[0]} vs ${paris}`);

  const facilitator = await shared.browser.newContext({ locale: 'fr-FR' });
  const { page: map } = await openPage(facilitator, shared.endpoint.url + '/map');
  await map.locator('.people-list summary').click();
  await map.locator('.community-resource', { hasText: 'Cliniques connectées' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
  await facilitator.close();
  await context.close();
});

test('an event: the zone is preselected, words become codes, errors sit at their field and Done names what is missing', async () => {
  const { context, page } = await phone();
  await fillProfileName(page, 'Jean Mbaye');
  await page.getByRole('button', { name: '+ Événement' }).click();
  assert.equal(await page.locator('.editor .field-error:not(:empty)').count(), 0, 'no error before a field is touched');
  assert.equal(await page.locator('input[id$="-zone"]').inputValue(), 'Europe/Paris');
  await page.getByLabel('Titre', { exact: true }).fill('Atelier cybersanté');
  const web = page.locator('input[id$="-url"]');
  await web.fill('www.exemple.org');
  await web.blur();
  await page.waitForFunction(() => document.querySelector('input[id$="-url"]').value === 'https://www.exemple.org/');
  const languages = page.locator('input[id$="-languages"]');
  await languages.fill('français, klingon');
  await languages.blur();
  // "français" became a code shown by its name; "klingon" is no language: said at the field.
  const languagesError = page.locator('.field', { has: languages }).locator('.field-error');
  await languagesError.filter({ hasText: /./ }).waitFor();
  assert.match(await languages.inputValue(), /^français, klingon$/);
  const zone = page.locator('input[id$="-zone"]');
  await zone.fill('Dakar');
  await zone.blur();
  await page.waitForFunction(() => document.querySelector('input[id$="-zone"]').value === 'Africa/Dakar');

  await page.getByRole('button', { name: 'Terminer' }).click();
  const missing = page.locator('.done-missing');
  await missing.filter({ hasText: 'Pas encore sur la carte' }).waitFor();
  for (const field of ['Langues', 'Thèmes du Plan d\'action', 'Début', 'Fin']) assert.match(await missing.innerText(), new RegExp(field));
  await page.getByRole('button', { name: 'Garder en brouillon et fermer' }).click();
  const held = page.getByTestId('held-back');
  await held.filter({ hasText: 'Atelier cybersanté' }).waitFor();
  assert.match(await held.innerText(), /Langues/);
  assert.match(await page.locator('.resource', { hasText: 'Atelier cybersanté' }).innerText(), /Incomplet/);
  await context.close();
});

test('topic search puts e-health first however it is typed, and the open editor passes axe', async () => {
  const { context, page } = await phone();
  await page.getByRole('button', { name: '+ Document' }).click();
  const search = page.getByRole('combobox', { name: 'Chercher un thème' });
  for (const query of ['e-health', 'ehealth', 'télémédecine', 'cybersante']) {
    await search.fill(query);
    const first = page.locator('.topic-results').getByRole('option').first();
    await first.waitFor();
    assert.equal(await first.locator('code').innerText(), 'C7.e-health', query);
  }
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
  await context.close();
});
