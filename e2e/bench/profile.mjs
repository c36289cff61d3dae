// Where the page's main thread spends a stretch of time: a CPU profile through CDP, summed by
// function. Only with `--profile` (sampling slows the page a little, so the figures of that
// run are not comparable with a run without it).

/** Starts sampling the page; the returned function stops and prints the top functions. */
export async function profile(context, page, label) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile: result } = await cdp.send('Profiler.stop');
    await cdp.detach();
    printTop(label, result);
  };
}

const IDLE = new Set(['(idle)', '(program)', '(root)']);

/** Prints how busy the main thread was and on what: the app's wasm (the release build keeps
 * no function names, so it is one line), the garbage collector, and the top JS functions. */
function printTop(label, { nodes, samples, timeDeltas }) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const where = (node) => {
    const { functionName, url } = node.callFrame;
    if (functionName.startsWith('wasm-function[') || url.startsWith('wasm://')) return 'the app (wasm)';
    return functionName || `(anonymous in ${url.split('/').pop() || 'page'})`;
  };
  const self = new Map();
  let busy = 0;
  samples.forEach((id, i) => {
    const ms = (timeDeltas[i + 1] ?? 0) / 1000;
    const own = where(byId.get(id));
    if (IDLE.has(own)) return;
    busy += ms;
    self.set(own, (self.get(own) ?? 0) + ms);
  });
  console.log(`profile of ${label}: main thread busy ${busy.toFixed(0)} ms, of which`);
  for (const [fn, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${fn.slice(0, 100)}`);
  }
}
