// Exports: each format downloaded from the map's Export menu and read back by a parser that
// is not ours (csv-parse, ical.js, Chromium's XML parser, JSON.parse); the printable report
// prints to PDF; a participant exports her own records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import ICAL from 'ical.js';
import AxeBuilder from '@axe-core/playwright';
import { PUBLISH_NOISE, addProject, openPage, publishBundle, toBackupPage, useServerAndBrowser, waitSaved, fillProfileName } from '../lib.mjs';

const shared = useServerAndBrowser();

async function download(page, format) {
  const menu = page.locator('.export-menu');
  if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    menu.locator(`button[data-format="${format}"]`).click(),
  ]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

test('every export format of the map view parses back with an independent parser', async () => {
  await publishBundle(shared.endpoint, 'amina', 'Amina Diallo', 'civil_society', 'africa', [
    [1, 'event', 'Atelier régional: e-santé, formation', ['C4', 'C7.e-health'], {
      description: 'Deux jours\nà Tunis; ouvert à tous',
      url: 'https://example.org/atelier?x=1&y=2',
      event: { starts_on: '2005-11-16', ends_on: '2005-11-18', time_zone: 'Africa/Tunis', place: 'Kram, Tunis' },
    }],
    [2, 'document', 'Guide de la formation à distance', ['C4'], { document: { language: 'fr', year: 2004 } }],
    [3, 'project', '=HYPERLINK("http://evil")', ['C4']],
  ], { organisation: 'Réseau "Femmes, TIC"' });
  await publishBundle(shared.endpoint, 'jean', 'Jean Müller', 'government', 'europe', [
    [4, 'network', 'Réseau des écoles connectées', ['C2', 'C4']],
  ]);
  const context = await shared.browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map');
  await page.getByTestId('community-counts').filter({ hasText: '2 participants, 4 ressources' }).waitFor();

  // A French interface writes what a French-locale spreadsheet reads: semicolons, French headers.
  const csv = await download(page, 'csv');
  assert.match(csv.name, /^networkshop-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.match(csv.text, /^\uFEFFidentifiant;type;titre;/, 'a BOM, then semicolons');
  const rows = parseCsv(csv.text, { bom: true, columns: true, delimiter: ';' });
  assert.equal(rows.length, 4);
  assert.deepEqual(Object.keys(rows[0]), [
    'identifiant', 'type', 'titre', 'description', 'thèmes', 'intitulés des thèmes', 'grandes orientations', 'ODD',
    'identifiant de l\'auteur', 'auteur', 'organisation', 'groupe de parties prenantes', 'pays', 'région',
    'adresse web', 'langues', 'début', 'fin', 'fuseau horaire', 'lieu', 'mis à jour le',
    'dernière confirmation', 'format', 'intervenantes', 'intervenants', 'partenaires', 'signataires',
    'objectifs', 'résultats attendus', 'calendrier', 'entrée en vigueur', 'fin du partenariat', 'montant',
    'devise', 'financement', 'sources de financement', "type d'accord", 'régions bénéficiaires',
    "domaines d'activité", 'valeur ajoutée', 'déclaration de caractère volontaire', 'prêt à annoncer',
  ]);
  const event = rows.find((r) => r.type === 'event');
  assert.equal(event.titre, 'Atelier régional: e-santé, formation');
  assert.equal(event.description, 'Deux jours\nà Tunis; ouvert à tous');
  assert.equal(event.organisation, 'Réseau "Femmes, TIC"');
  assert.equal(event.auteur, 'Amina Diallo');
  assert.equal(event['groupe de parties prenantes'], 'civil_society');
  assert.equal(event.thèmes, 'C4; C7.e-health');
  assert.equal(event.début, '2005-11-16');
  assert.equal(event.fin, '2005-11-18');
  assert.equal(rows.find((r) => r.type === 'project').titre, '\'=HYPERLINK("http://evil")');

  const ics = await download(page, 'ics');
  const calendar = new ICAL.Component(ICAL.parse(ics.text));
  const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  assert.equal(events.length, 1);
  assert.equal(events[0].summary, 'Atelier régional: e-santé, formation');
  assert.equal(events[0].location, 'Kram, Tunis');
  assert.equal(events[0].startDate.toString(), '2005-11-16');
  assert.equal(events[0].endDate.toString(), '2005-11-19', 'the end is exclusive');
  assert.equal(events[0].component.getFirstPropertyValue('url'), 'https://example.org/atelier?x=1&y=2');

  const csl = await download(page, 'csl.json');
  const items = JSON.parse(csl.text);
  assert.deepEqual(items.map((i) => [i.type, i.title, i.issued['date-parts'][0][0]]), [['document', 'Guide de la formation à distance', 2004]]);

  const jsonld = JSON.parse((await download(page, 'jsonld')).text);
  assert.equal(jsonld['@context'], 'https://schema.org');
  const types = jsonld['@graph'].map((n) => n['@type']).sort();
  assert.deepEqual(types.filter((t) => t !== 'DefinedTerm'), ['CreativeWork', 'Event', 'Organization', 'Organization', 'Person', 'Project']);

  const collection = JSON.parse((await download(page, 'json')).text);
  assert.equal(collection.format, 'networkshop.collection');
  assert.deepEqual(collection.bundles.map((b) => [b.author.id, b.records.length]), [['amina', 3], ['jean', 1]]);

  const gexf = await download(page, 'gexf');
  const graph = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
    const nodes = [...doc.getElementsByTagName('node')].map((n) => n.getAttribute('id'));
    const edges = [...doc.getElementsByTagName('edge')].map((e) => [e.getAttribute('source'), e.getAttribute('target'), e.getAttribute('label')]);
    return { namespace: doc.documentElement.namespaceURI, nodes, edges };
  }, gexf.text);
  assert.equal(graph.error, undefined);
  assert.equal(graph.namespace, 'http://gexf.net/1.3');
  assert.ok(graph.nodes.includes('actor:amina') && graph.nodes.includes('topic:C7'));
  assert.ok(graph.edges.some(([s, t, l]) => s === 'actor:amina' && t === 'actor:jean' && l === 'share_topics'));
  for (const [s, t] of graph.edges) assert.ok(graph.nodes.includes(s) && graph.nodes.includes(t), `${s} → ${t}`);

  // A filtered view exports only what it shows, and says so in the file name.
  await page.getByLabel('Groupe de parties prenantes').selectOption({ label: 'Gouvernement' });
  await page.getByTestId('community-counts').filter({ hasText: '1 participant, 1 ressource' }).waitFor();
  const filtered = await download(page, 'csv');
  assert.match(filtered.name, /-government\.csv$/);
  assert.equal(parseCsv(filtered.text, { bom: true, columns: true, delimiter: ';' }).length, 1);
  // Nothing of a format in the view: said, and no empty file.
  const menu = page.locator('.export-menu');
  await menu.locator('button[data-format="ics"]').click();
  await menu.getByText('Rien à exporter dans ce format pour cette vue.').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the printable report lists each action line with its counts and prints to PDF', async () => {
  const context = await shared.browser.newContext({ locale: 'en-GB' });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map?group=civil_society');
  await page.getByTestId('community-counts').filter({ hasText: '1 participant, 3 resources' }).waitFor();
  await page.locator('.export-menu summary').click();
  await page.getByTestId('report-link').click();
  await page.waitForURL(/\/report\?group=civil_society/);
  const totals = page.getByTestId('report-totals');
  await totals.filter({ hasText: '1 actor · 3 resources' }).waitFor();
  const c4 = page.locator('.report-line[data-topic="C4"]');
  assert.match(await c4.innerText(), /1 actor · 3 resources/);
  assert.match(await c4.innerText(), /Civil society 1/);
  assert.match(await c4.innerText(), /Guide de la formation à distance/);
  assert.match(await page.locator('.report-line[data-topic="C1"]').innerText(), /Nothing identified yet/);
  // The same view by goal: capacity building (C4) leads to quality education (SDG 4).
  const goals = page.getByTestId('report-goals');
  assert.equal(await goals.locator('tbody tr').count(), 17);
  assert.match(await goals.locator('tr[data-sdg="4"] th').innerText(), /SDG 4 — Quality education/);
  assert.ok(Number((await goals.locator('tr[data-sdg="4"] td').allInnerTexts())[1]) >= 1);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => v.id), []);

  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.report-actions').isVisible(), false, 'buttons are not printed');
  assert.equal(await page.locator('.site-header').isVisible(), false);
  const pdf = await page.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 10_000, `a PDF of ${pdf.length} bytes`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a participant exports her own records, drafts included', async () => {
  const context = await shared.browser.newContext({ locale: 'en-GB', acceptDownloads: true });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/');
  await fillProfileName(page, 'Zoé');
  await waitSaved(page);
  await addProject(page, 'Bibliothèque numérique', 'bibliot');
  await toBackupPage(page);
  const csv = await download(page, 'csv');
  assert.match(csv.name, /-mine\.csv$/);
  const rows = parseCsv(csv.text, { bom: true, columns: true });
  assert.deepEqual(rows.map((r) => [r.title, r.author]), [['Bibliothèque numérique', 'Zoé']]);
  // Done published as she went; leaving for the backup page can cut a PUT (PUBLISH_NOISE).
  assert.deepEqual(errors.filter((e) => !PUBLISH_NOISE.test(e)), []);
  await context.close();
});

test('the partnership, event and confirmation fields reach every format, and each still parses', async () => {
  await publishBundle(shared.endpoint, 'rosa', 'Rosa Lima', 'international_organisation', 'americas', [
    [20, 'partnership', 'Alliance for connected schools', ['C4'], {
      updated_at: new Date().toISOString(),
      partnership: {
        partners: ['Ministry of Education', 'Telco & Co'], partner_groups: { 'Ministry of Education': 'government', 'Telco & Co': 'private_sector' },
        objectives: 'Connect schools', expected_results: '200 schools', timeline: 'two phases', funding: 'secured', agreement: 'cooperation_agreement',
        signatories: ['The minister'], in_force_on: '2026-02-01', ends_on: '2028-12-31', amount: 2500000, currency: 'USD',
        funding_sources: 'Universal service fund', beneficiary_regions: ['americas'], domains: ['digital_inclusion', 'infrastructure'],
        value_added: ['another_region'], voluntary_declaration: true,
      },
    }],
    [21, 'event', 'Connected schools hackathon', ['C4'], {
      event: { starts_on: '2026-05-04', ends_on: '2026-05-05', time_zone: 'America/Lima', format: 'hackathon', speakers_women: 4, speakers_men: 3 },
    }],
  ]);
  const context = await shared.browser.newContext({ locale: 'en-GB', acceptDownloads: true });
  const { page, errors } = await openPage(context, shared.endpoint.url + '/map?group=international_organisation');
  await page.getByTestId('community-counts').filter({ hasText: '1 participant, 2 resources' }).waitFor();

  const rows = parseCsv((await download(page, 'csv')).text, { bom: true, columns: true });
  const partnership = rows.find((r) => r.kind === 'partnership');
  assert.equal(partnership.ready_to_announce, 'yes');
  assert.equal(partnership.amount, '2500000');
  assert.equal(partnership.currency, 'USD');
  assert.equal(partnership.domains, 'digital_inclusion; infrastructure');
  assert.match(partnership.partners, /Telco & Co/);
  const event = rows.find((r) => r.kind === 'event');
  assert.deepEqual([event.event_format, event.speakers_women, event.speakers_men], ['hackathon', '4', '3']);
  assert.equal(event.last_confirmed, '2005-01-10T12:00:00Z', 'never confirmed: its last update');

  const calendar = new ICAL.Component(ICAL.parse((await download(page, 'ics')).text));
  const vevent = calendar.getFirstSubcomponent('vevent');
  assert.equal(vevent.getFirstPropertyValue('x-networkshop-format'), 'hackathon');

  const jsonld = JSON.parse((await download(page, 'jsonld')).text);
  const project = jsonld['@graph'].find((n) => n.name === 'Alliance for connected schools');
  assert.equal(project.foundingDate, '2026-02-01');
  assert.deepEqual(project.member.map((m) => m.name), ['Ministry of Education', 'Telco & Co']);

  const collection = JSON.parse((await download(page, 'json')).text);
  assert.deepEqual(collection.readiness.map((r) => r.ready_to_announce), [true]);

  const gexf = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
    return { nodes: [...doc.getElementsByTagName('node')].map((n) => n.getAttribute('id')) };
  }, (await download(page, 'gexf')).text);
  assert.equal(gexf.error, undefined);
  assert.ok(gexf.nodes.includes('partner:Telco & Co'), gexf.nodes.join(', '));
  assert.deepEqual(errors, []);
  await context.close();
});
