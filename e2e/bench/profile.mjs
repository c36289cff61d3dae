// Where the page's main thread spends a stretch of time: a CPU profile through CDP, summed by
// function. Only with `--profile` (sampling slows the page a little, so the figures of that
// run are not comparable with a run without it). With `PROFILE_DUMP=<folder>` in the
// environment each profile is also written there whole (`<label>.cpuprofile`, which Chromium's
// DevTools open), to see who calls what.

import { writeFileSync } from 'node:fs';

/** Starts sampling the page; the returned function stops and prints the top functions. */
export async function profile(context, page, label) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  // Wall-clock time at the start, so that samples can be matched with the page's long tasks
  // (whose times count from the document's own origin, a new one after a navigation).
  const startedAt = await page.evaluate(() => performance.timeOrigin + performance.now());
  /** Stops; `tasks` are [wall-clock start, duration] of long tasks to look into one by one. */
  return async (tasks = []) => {
    const { profile: result } = await cdp.send('Profiler.stop');
    if (process.env.PROFILE_DUMP) writeFileSync(`${process.env.PROFILE_DUMP}/${label.replace(/ /g, '_')}.cpuprofile`, JSON.stringify(result));
    await cdp.detach();
    printTop(label, result);
    for (const [start, duration] of tasks) {
      const within = { ...result, ...samplesBetween(result, start - startedAt, start - startedAt + duration) };
      printTop(`the ${duration.toFixed(0)} ms task ${(start - startedAt).toFixed(0)} ms in`, within, 8);
    }
  };
}

/** The samples (and their durations) taken between two times after the profile's start. */
function samplesBetween({ samples, timeDeltas }, from, to) {
  const kept = { samples: [], timeDeltas: [0] };
  let at = 0;
  samples.forEach((id, i) => {
    at += timeDeltas[i] / 1000;
    if (at >= from && at <= to) {
      kept.samples.push(id);
      kept.timeDeltas.push(timeDeltas[i + 1] ?? 0);
    }
  });
  return kept;
}

const IDLE = new Set(['(idle)', '(program)', '(root)']);

/** Prints how busy the main thread was and on what: the top functions by their own time and,
 * counting what they call, by their total. The release build's wasm keeps no function names
 * (its functions are one line, "the app (wasm)"); a build whose wasm-opt step keeps them
 * (Trunk's `data-keep-debug` with `data-wasm-opt="0"` on the facilitator's rust link) names
 * them. */
function printTop(label, { nodes, samples, timeDeltas }, count = 15) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const where = (node) => {
    const { functionName, url } = node.callFrame;
    if (functionName.startsWith('wasm-function[')) return 'the app (wasm)';
    return functionName || `(anonymous in ${url.split('/').pop() || 'page'})`;
  };
  const self = new Map();
  const total = new Map();
  let busy = 0;
  samples.forEach((id, i) => {
    const ms = (timeDeltas[i + 1] ?? 0) / 1000;
    const own = where(byId.get(id));
    if (IDLE.has(own)) return;
    busy += ms;
    self.set(own, (self.get(own) ?? 0) + ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const fn = where(byId.get(at));
      if (!seen.has(fn) && !IDLE.has(fn)) total.set(fn, (total.get(fn) ?? 0) + ms);
      seen.add(fn);
    }
  });
  const top = (map, count) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
  console.log(`profile of ${label}: main thread busy ${busy.toFixed(0)} ms`);
  console.log('  by own time:');
  for (const [fn, ms] of top(self, count)) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${fn.slice(0, 110)}`);
  if (self.size > 20) {
    console.log('  with what they call:');
    for (const [fn, ms] of top(total, count * 2 + 10)) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${fn.slice(0, 110)}`);
  }
}
