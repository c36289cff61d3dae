// What the source documents ask for beyond the first round (issue 16): a partnership filled to
// "ready to announce" (seed 000's principles) and found under that filter on the map; records
// that say how current they are; an action line's stakeholder team (seed 002); the report's
// charts agreeing with their tables (seed 003); the new fields in the CSV export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { PUBLISH_NOISE, fillProfileName, openPage, publishBundle, publishNow, untilInPage, useServerAndBrowser, waitSaved } from '../lib.mjs';

const shared = useServerAndBrowser();
const NOW = new Date().toISOString();
const THIS_YEAR = new Date().getFullYear();

async function chooseTopic(page, query) {
  const search = page.getByRole('combobox', { name: 'Find a topic' });
  await search.fill(query);
  await page.locator('.topic-results').getByRole('option').first().waitFor();
  await search.press('Enter');
}

test('a partnership filled to "ready to announce" says so on the form and is found under that filter on the map', async () => {
  const context = await shared.browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 780 } });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/');
  await fillProfileName(page, 'Amina Diallo', { group: 'civil_society', region: 'africa' });
  await page.getByRole('button', { name: '+ Partnership' }).click();
  await page.getByLabel('Title', { exact: true }).fill('Connected schools partnership');
  await chooseTopic(page, 'C4');
  const summary = page.getByTestId('readiness').locator('.readiness-summary');
  await summary.filter({ hasText: /of 7 principles met/ }).waitFor();

  await page.getByLabel('Partners (one per line)').fill('Ministry of Education\nNational operator');
  // Each partner's group is chosen beside its name: two groups besides the author's.
  await page.getByLabel('Ministry of Education', { exact: true }).selectOption({ label: 'Government' });
  await page.getByLabel('National operator', { exact: true }).selectOption({ label: 'Private sector' });
  await page.getByLabel('Objectives', { exact: true }).fill('Connect 200 schools');
  await page.getByLabel('Expected results', { exact: true }).fill('200 schools online, teachers trained');
  await page.getByLabel('Date of entry into force').fill(`${THIS_YEAR}-01-15`);
  await page.getByLabel('Planned end').fill('2028-12-31');
  await page.getByLabel('Funding', { exact: true }).selectOption({ label: 'Funding identified' });
  await page.getByLabel('It is a new partnership').check();
  await page.getByLabel('Africa').check();
  await page.getByLabel('Digital inclusion').check();
  await page.getByLabel('Signatories (one per line)').fill('The minister\nThe operator\'s director');
  await page.getByLabel('Funding sources, available or planned').fill('Universal service fund');

  // Identified is not secured, and the declaration is missing: two principles say what they lack.
  await summary.filter({ hasText: '5 of 7 principles met' }).waitFor();
  const checks = page.getByTestId('readiness').locator('li');
  assert.match(await checks.nth(1).innerText(), /Tick the partners' declaration/);
  assert.match(await checks.nth(6).innerText(), /initial funding must be secured/);
  await page.getByLabel('Funding', { exact: true }).selectOption({ label: 'Funding secured' });
  await page.getByLabel(/The partners declare this partnership voluntary/).check();
  await summary.filter({ hasText: 'Ready to announce' }).waitFor();
  assert.equal(await checks.locator('.check-mark').filter({ hasText: '✓' }).count(), 7);
  await waitSaved(page);
  await page.getByRole('button', { name: 'Done' }).click();
  await publishNow(page);

  // Another participant's partnership misses most principles.
  await publishBundle(shared.endpoint, 'jean', 'Jean Martin', 'government', 'europe', [
    [2, 'partnership', 'A partnership in the making', ['C4'], {
      updated_at: NOW,
      partnership: { partners: ['Someone'], objectives: '', expected_results: '', timeline: '', funding: 'none', agreement: 'mou' },
    }],
  ]);
  const map = await openPage(context, shared.endpoint.url + '/map');
  await map.page.getByTestId('community-counts').filter({ hasText: '2 participants, 2 resources' }).waitFor();
  await map.page.locator('#map-ready').selectOption({ label: 'Only those ready to announce' });
  await map.page.getByTestId('community-counts').filter({ hasText: '1 resource' }).waitFor();
  assert.match(map.page.url(), /ready=1/);

  // The CSV of that view carries the checklist's verdict and the new fields.
  const menu = map.page.locator('.export-menu');
  await menu.locator('summary').click();
  const [file] = await Promise.all([map.page.waitForEvent('download'), menu.locator('button[data-format="csv"]').click()]);
  const rows = parseCsv(await readFile(await file.path(), 'utf8'), { bom: true, columns: true });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].title, 'Connected schools partnership');
  assert.equal(rows[0].ready_to_announce, 'yes');
  assert.equal(rows[0].in_force_on, `${THIS_YEAR}-01-15`);
  assert.equal(rows[0].beneficiary_regions, 'africa');
  assert.equal(rows[0].domains, 'digital_inclusion');
  assert.match(rows[0].partners, /Ministry of Education/);
  assert.deepEqual([...errors, ...map.errors].filter((e) => !PUBLISH_NOISE.test(e)), []);
  await context.close();
});

test('a record nobody confirmed for a year is listed for its author, confirmed in one tap, and shown faded on the map', async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.clock.install({ time: new Date('2025-01-10T10:00:00Z') });
  await page.goto(shared.endpoint.url + '/');
  await page.locator('#profile-name').waitFor();
  await fillProfileName(page, 'Claire Dubois', { group: 'academic_technical', region: 'europe' });
  await page.getByRole('button', { name: '+ Projet' }).click();
  await page.getByLabel('Titre', { exact: true }).fill('Observatoire des télécentres');
  const search = page.getByRole('combobox', { name: 'Chercher un thème (français ou anglais)' });
  await search.fill('C3');
  await page.locator('.topic-results').getByRole('option').first().waitFor();
  await search.press('Enter');
  await page.getByRole('button', { name: 'Terminer' }).click();
  await page.getByRole('button', { name: 'Publier maintenant' }).click();
  await page.getByTestId('confirmed-line').waitFor();
  assert.equal(await page.getByTestId('confirm-reminder').count(), 0, 'nothing to confirm on the day it was published');

  // Fourteen months later the record is stale: the page lists it and one tap confirms it.
  await page.clock.setSystemTime(new Date('2026-03-10T10:00:00Z'));
  await page.reload();
  const reminder = page.getByTestId('confirm-reminder');
  await reminder.filter({ hasText: '1 fiche à confirmer' }).waitFor();
  assert.match(await page.getByTestId('confirmed-line').innerText(), /Confirmée le 10 janv\. 2025/);
  await reminder.getByRole('button', { name: /Observatoire des télécentres est toujours d'actualité/ }).click();
  await reminder.waitFor({ state: 'detached' });
  // The button pressed is gone: the focus goes on to the list, not to the page's top.
  await untilInPage(page, () => document.activeElement?.id === 'resources-heading');
  await page.getByTestId('confirmed-line').filter({ hasText: /Confirmée le 10 mars 2026/ }).waitFor();
  await page.getByTestId('publish-status').filter({ hasText: /Publié/ }).waitFor();

  // On the map, a record last confirmed in 2005 is faded with its date; the confirmed one is not.
  await publishBundle(shared.endpoint, 'old', 'Ancien Réseau', 'civil_society', 'africa', [
    [3, 'project', 'Projet de 2005', ['C3']],
  ]);
  // The map on the same fake clock, so "this year" and "a year ago" do not move with the date
  // the suite runs.
  const mapPage = await context.newPage();
  await mapPage.clock.install({ time: new Date('2026-03-10T11:00:00Z') });
  await mapPage.goto(shared.endpoint.url + '/map?topic=C3');
  const map = { page: mapPage };
  const resources = map.page.getByTestId('topic-network').locator('.network-resource');
  await resources.filter({ hasText: 'Projet de 2005' }).waitFor();
  const old = resources.filter({ hasText: 'Projet de 2005' });
  assert.match(await old.getAttribute('class'), /\bstale\b/);
  assert.match(await old.innerText(), /non confirmée depuis le 10 janv\. 2005/);
  // The network's heading and an actor's group and region, in French.
  const network = map.page.getByTestId('topic-network');
  assert.match(await network.locator('h2').innerText(), /^Réseau thématique C3 — /);
  assert.match(await network.locator('.network-actors').innerText(), /Ancien Réseau \(Société civile, Afrique\)/);
  const fresh = resources.filter({ hasText: 'Observatoire des télécentres' });
  assert.doesNotMatch(await fresh.getAttribute('class'), /\bstale\b/);
  // "Confirmed this year" keeps only the current one.
  await map.page.locator('#map-confirmed').selectOption({ index: 1 });
  await old.waitFor({ state: 'detached' });
  assert.equal(await fresh.count(), 1);
  await context.close();
});

test("an action line's team page lists its actors, facilitators and meetings; the report's charts agree with their tables", async () => {
  await publishBundle(shared.endpoint, 'fatou', 'Fatou Sow', 'civil_society', 'africa', [
    [10, 'event', 'Formation aux télécentres', ['C3'], {
      updated_at: NOW, event: { starts_on: `${THIS_YEAR}-03-10`, ends_on: `${THIS_YEAR}-03-11`, time_zone: 'Africa/Dakar', format: 'training', speakers_women: 3, speakers_men: 2 },
    }],
    [11, 'partnership', 'Alliance des bibliothèques', ['C3'], {
      updated_at: NOW,
      partnership: { partners: ['Bibliothèque nationale'], objectives: 'x', expected_results: 'y', timeline: '', funding: 'secured', agreement: 'mou', in_force_on: `${THIS_YEAR}-02-01`, beneficiary_regions: ['africa', 'arab_states'], domains: ['capacity_building'] },
    }],
  ], { contact: 'fatou@example.org', organisation: 'Réseau des télécentres' });
  await publishBundle(shared.endpoint, 'ivan', 'Ivan Petrov', 'government', 'cis', [
    [12, 'event', 'Atelier national sur l’accès', ['C3'], {
      updated_at: NOW, event: { starts_on: `${THIS_YEAR}-01-20`, ends_on: `${THIS_YEAR}-01-20`, time_zone: 'UTC', format: 'country_workshop', speakers_women: 1, speakers_men: 4 },
    }],
  ]);
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const { page, errors } = await openPage(context, shared.endpoint.url + `/team?line=C3&year=${THIS_YEAR}`);
  const members = page.getByTestId('team-members');
  await members.locator('[data-author="fatou"]').waitFor();
  assert.match(await members.locator('[data-author="fatou"]').innerText(), /Fatou Sow, Réseau des télécentres.*fatou@example\.org/);
  await members.locator('[data-author="ivan"]').waitFor();
  assert.match(await page.getByTestId('facilitators').innerText(), /\(designated in 2006\)/);
  const meetings = await page.getByTestId('team-meetings').locator('.meeting').allInnerTexts();
  assert.equal(meetings.length, 2);
  assert.match(meetings[0], /Atelier national.*Country workshop.*speakers: women 1, men 4/);
  assert.match(meetings[1], /Formation aux télécentres.*Training/);
  // This year's contribution: what was held, updated or confirmed this year, not 2005's project.
  const contribution = page.getByTestId('team-contribution');
  await contribution.filter({ hasText: 'Alliance des bibliothèques' }).waitFor();
  assert.match(await contribution.innerText(), /Formation aux télécentres/);
  assert.doesNotMatch(await contribution.innerText(), /Projet de 2005/);

  // The report: the speakers' balance and each chart's table twin, read as numbers.
  await page.goto(shared.endpoint.url + '/report');
  await page.getByTestId('speaker-balance').filter({ hasText: /in the 2\/2 events that gave the numbers: women 4, men 6/ }).waitFor();
  // The inventory's table greys what nobody confirmed for a year, with its date.
  const oldRow = page.locator('.report-line[data-topic="C3"] tr', { hasText: 'Projet de 2005' });
  assert.match(await oldRow.getAttribute('class'), /\bstale\b/);
  assert.match(await oldRow.innerText(), /not confirmed since Jan 10, 2005/);
  assert.equal(await page.locator('.report-line[data-topic="C3"] tr.stale').count(), 1);
  const twin = async (id) => page.getByTestId(id).locator('table.chart-twin').evaluate((table) =>
    [...table.rows].map((row) => [...row.cells].map((cell) => cell.textContent.trim())));
  const regions = await twin('chart-partnerships-region');
  const header = regions[0];
  const year = regions.find((row) => row[0] === String(THIS_YEAR));
  // Fatou's partnership benefits Africa and the Arab States: in both cells, once in the total
  // (every partnership of this year in this file benefits Africa).
  assert.equal(year[header.indexOf('Arab States')], '1');
  assert.equal(year[header.length - 1], year[header.indexOf('Africa')], 'each partnership counted once in the total');
  // The picture draws one bar segment per non-empty cell.
  assert.equal(await page.getByTestId('chart-partnerships-region').locator('svg.chart-bars rect').count(), 2);
  const months = await twin('chart-events-month');
  assert.equal(months.at(-1).at(-1), '2', 'two events in the month table');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the projector shows one chart at a time in the picture\'s place, legible from the back, without scrolling', async () => {
  const context = await shared.browser.newContext({ locale: 'fr-FR', viewport: { width: 1920, height: 1080 } });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
  await page.goto(shared.endpoint.url + '/map?projector=1&chart=4');
  const picture = page.getByTestId('chart-picture');
  await picture.getByTestId('chart-lines-groups').locator('svg.chart-bars rect').first().waitFor();
  const sizes = await page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    caption: parseFloat(getComputedStyle(document.querySelector('.chart-picture figcaption')).fontSize),
    label: document.querySelector('.chart-picture svg.chart-bars text').getBoundingClientRect().height,
  }));
  assert.equal(sizes.height, 1080, 'no scrolling');
  assert.ok(sizes.caption >= 24, `caption ${sizes.caption}px`);
  assert.ok(sizes.label >= 16, `row labels ${sizes.label}px`);
  await picture.getByRole('button', { name: 'Graphique suivant' }).click();
  await page.waitForURL(/chart=5/);
  await picture.getByTestId('chart-events-month').waitFor();
  await picture.getByRole('button', { name: 'Graphique suivant' }).click();
  await page.waitForURL(/chart=1/);
  await picture.getByRole('button', { name: 'Revenir aux thèmes' }).click();
  await page.locator('.topic-picture').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
