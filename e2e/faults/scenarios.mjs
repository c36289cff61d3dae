// The faults the browser side plays (offline, reload or close mid-publish, two tabs, typing during
// a publish, hung or stalled requests), each a short story the participant lives through.
import { PUBLISHING, clickPublish, loaded, reloadPage, settle, statusText, within } from './session.mjs';

/** The cheap faults, injected at random on most requests under /bundles/. */
export const RANDOM = {
  PUT: { p: 0.85, weights: { '5xx': 4, abort: 3, conflict412: 3 } },
  GET: { p: 0.45, weights: { '5xx': 3, abort: 2 } },
};
/** How long a hung or stalled request may keep the page at "Publishing…": the app's own
 * deadline (15 s today) plus a margin. */
const SLOW_DEADLINE_MS = 25_000;

export async function cheapRound(s, p) {
  if (s.rnd() < 0.6) await s.someEdit(p);
  if (await clickPublish(p)) await settle(p);
  await s.checkClaims(p, 'after a publish');
}

async function offline(s) {
  await s.context.setOffline(true);
  s.browserFaults.offline += 1;
  await s.someEdit(s.page);
  if (await clickPublish(s.page)) {
    await within(s.page.getByTestId('publish-status').filter({ hasText: 'does not answer' }).waitFor(), 10_000);
  }
  await s.someEdit(s.page);
  await s.context.setOffline(false);
  await settle(s.page);
}

/** Holds the next PUT at the proxy, then reloads or closes the tab while it waits. */
async function interruptPublish(s, how) {
  const held = s.proxy.hold({ method: 'PUT' });
  await s.someEdit(s.page);
  // A retry of the page's own may be the PUT that gets held; either way the tab is publishing.
  await clickPublish(s.page);
  if (!(await within(held.arrived, 10_000))) {
    held.cancel();
    s.incidents.push(`${how}: no PUT came to interrupt`);
    return;
  }
  if (how === 'reload') {
    s.browserFaults.reload += 1;
    await s.page.reload();
  } else {
    s.browserFaults.closed += 1;
    await s.page.close({ runBeforeUnload: false });
    s.page = await s.openTab();
  }
  // The request the tab left behind reaches the endpoint, or dies at the proxy.
  held.release(s.rnd() < 0.5 ? 'forward' : 'drop');
  await loaded(s.page);
  // The pending publish resumes by itself after the reload.
  await settle(s.page);
}

async function twoTabs(s) {
  const second = await s.newTab();
  const a = await s.someEdit(s.page);
  await s.someEdit(second, [a]);
  s.browserFaults.twotabs += 1;
  await Promise.all([clickPublish(s.page), clickPublish(second)]);
  await Promise.all([settle(s.page), settle(second)]);
  await s.checkClaims(second, 'two tabs (second tab)');
  await second.close();
}

async function editDuringPublish(s) {
  // The fault here is the participant typing while the PUT is in flight, so the proxy injects
  // nothing else meanwhile: a clean publish first (the page knows the endpoint's version), then
  // a record with unpublished changes goes out and is edited again before the answer comes.
  s.proxy.setRandom(null);
  try {
    await settle(s.page);
    if (await clickPublish(s.page)) await settle(s.page);
    const id = s.pick([...s.expected.keys()]);
    await s.editOne(s.page, id, { title: true });
    await settle(s.page);
    const held = s.proxy.hold({ method: 'PUT' });
    await clickPublish(s.page);
    if (!(await within(held.arrived, 10_000))) {
      held.cancel();
      s.incidents.push('edit during publish: no PUT came');
      return;
    }
    s.browserFaults.edit_during_publish += 1;
    await s.editOne(s.page, id, { title: s.rnd() < 0.5, description: true });
    held.release('forward');
    await within(held.answered, 10_000);
    await settle(s.page);
    await s.checkClaims(s.page, 'after an edit during a publish');
  } finally {
    s.proxy.setRandom(RANDOM);
  }
}

/**
 * A hung or stalled request on the publish path: the page must leave "Publishing…" by itself.
 * Meanwhile a second tab keeps editing and publishing (the time is not wasted).
 */
async function slowFault(s, spec) {
  const { proxy } = s;
  await settle(s.page);
  let taken;
  if (spec.kind === 'stalled-get') {
    // A real 412 from the other device, then the app's GET of its own bundle stalls mid-body.
    proxy.arm('conflict412', { method: 'PUT' });
    taken = proxy.arm('stalled', { method: 'GET', path: /^\/bundles\/[^/?]+\.json/ });
  } else if (spec.kind === 'stalled-put') {
    taken = proxy.arm('stalled', { method: 'PUT' }, { conflict: true });
  } else {
    taken = proxy.arm('hung', { method: 'PUT' }, { forward: spec.forward });
  }
  await s.someEdit(s.page);
  await clickPublish(s.page);
  const result = await within(taken, 10_000);
  if (!result?.applied) {
    proxy.disarm();
    s.incidents.push(`${spec.kind}: not applied`);
    return;
  }
  const since = Date.now();
  const second = await s.newTab();
  let recovered = false;
  while (Date.now() - since < SLOW_DEADLINE_MS) {
    if ((await statusText(s.page)) !== PUBLISHING) {
      recovered = true;
      break;
    }
    await cheapRound(s, second);
  }
  recovered ||= (await statusText(s.page)) !== PUBLISHING;
  proxy.disarm();
  await second.close();
  if (!recovered) {
    s.stuckMidRun += 1;
    s.incidents.push(`${spec.kind}${spec.forward ? ' (after the write)' : ''}: still "${PUBLISHING}" ${Math.round((Date.now() - since) / 1000)} s after the fault; reloaded`);
    await reloadPage(s.page);
  }
}

/** The scenarios of one run, each once (some several times), in an order drawn from the seed. */
export function shuffledScenarios(s) {
  const scenarios = [
    ...Array(3).fill('offline'), ...Array(3).fill('reload'), ...Array(3).fill('closed'),
    ...Array(3).fill('twotabs'), ...Array(5).fill('edit_during_publish'),
    'hung-before', 'hung-after', 'stalled-put', 'stalled-get',
  ];
  for (let i = scenarios.length - 1; i > 0; i--) {
    const j = Math.floor(s.rnd() * (i + 1));
    [scenarios[i], scenarios[j]] = [scenarios[j], scenarios[i]];
  }
  return scenarios;
}

export async function runScenario(s, name) {
  switch (name) {
    case 'offline': return offline(s);
    case 'reload': return interruptPublish(s, 'reload');
    case 'closed': return interruptPublish(s, 'closed');
    case 'twotabs': return twoTabs(s);
    case 'edit_during_publish': return editDuringPublish(s);
    case 'hung-before': return slowFault(s, { kind: 'hung', forward: false });
    case 'hung-after': return slowFault(s, { kind: 'hung', forward: true });
    default: return slowFault(s, { kind: name });
  }
}
