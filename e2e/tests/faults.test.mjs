// Fault injection, end to end and bounded in time: a participant keeps editing and publishing
// while a proxy in front of the real endpoint answers 5xx, drops connections (before and after
// the write landed), hangs, stalls bodies and plays the participant's other device (real 412s),
// and the browser goes offline, reloads or closes the tab mid-publish, publishes from two tabs
// and edits during a publish. Afterwards every edit must be on screen, in IndexedDB and, once
// healed, on the endpoint; nothing may be shown as published that the endpoint lacks.
// The participant lives in faults/session.mjs, the scenarios in faults/scenarios.mjs and the
// final checks in faults/verdict.mjs; this file sets up, runs the faulty phase and asserts.
//
//   FAULTS_SEED=7 FAULTS_BUDGET_MS=150000 node --test --test-reporter=spec tests/faults.test.mjs
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, readIndexedDb, startEndpoint, waitSaved, fillProfileName } from '../lib.mjs';
import { startFaultProxy } from '../faults/proxy.mjs';
import { Session, clickPublish, loaded } from '../faults/session.mjs';
import { RANDOM, cheapRound, runScenario, shuffledScenarios } from '../faults/scenarios.mjs';
import { verdict } from '../faults/verdict.mjs';

const SEED = Number(process.env.FAULTS_SEED ?? 20051116);
/** Time for the faulty phase; the setup and the final checks come on top (about a minute). */
const BUDGET_MS = Number(process.env.FAULTS_BUDGET_MS ?? 165_000);
const TARGET_FAULTS = 220;

const resources = [];
after(async () => {
  for (const close of resources.reverse()) await close().catch(() => {});
});

test('at least 200 injected faults while a participant keeps editing: nothing lost, nothing stuck', { timeout: 295_000 }, async () => {
  const started = Date.now();
  const endpoint = await startEndpoint();
  resources.push(() => endpoint.stop());
  const proxy = await startFaultProxy(endpoint.url, { seed: SEED });
  resources.push(() => proxy.close());
  const browser = await launchBrowser();
  resources.push(() => browser.close());
  const context = await browser.newContext({ locale: 'en-GB' });
  const s = new Session({ endpoint, proxy, context, seed: SEED, started });
  s.page = await s.openTab();

  await fillProfileName(s.page, 'Fatou Sow');
  await s.page.getByLabel('Stakeholder group').selectOption({ label: 'Civil society' });
  await waitSaved(s.page);
  for (let i = 0; i < 4; i++) await s.addOne(s.page);
  await clickPublish(s.page);
  await s.page.getByTestId('publish-status').filter({ hasText: 'Published at' }).waitFor({ timeout: 15_000 });
  const ids = await readIndexedDb(s.page);
  s.authorId = ids.meta.profile.id;
  assert.ok(s.authorId, 'the profile has an author id');

  proxy.setRandom(RANDOM);
  const scenarios = shuffledScenarios(s);
  const phaseStart = Date.now();
  let sinceScenario = 0;
  while (Date.now() - phaseStart < BUDGET_MS && (scenarios.length > 0 || s.totalFaults() < TARGET_FAULTS)) {
    try {
      if (scenarios.length > 0 && (sinceScenario >= 3 || s.totalFaults() >= TARGET_FAULTS)) {
        sinceScenario = 0;
        const next = scenarios.shift();
        s.progress(next);
        await runScenario(s, next);
      } else {
        sinceScenario += 1;
        await cheapRound(s, s.page);
      }
    } catch (error) {
      // The participant's page misbehaved under a fault: note it, bring the page back, go on.
      s.incidents.push(`${error.message.split('\n')[0]}`);
      await context.setOffline(false);
      await s.page.close().catch(() => {});
      s.page = await s.openTab();
      await loaded(s.page).catch(() => {});
    }
  }
  const faultPhaseMs = Date.now() - phaseStart;

  // Every check at once, so one run tells all that is wrong.
  const failed = await verdict(s, { faultPhaseMs });
  assert.deepEqual(failed, []);
});
