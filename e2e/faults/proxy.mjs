// A fault-injecting HTTP proxy in front of the real endpoint (node:http only).
//
// Everything is forwarded (app shell, assets, bundles). Requests under /bundles/ can be answered
// with a fault instead, either armed by the test for the next matching request or drawn at random
// while random injection is on:
//   5xx        500/502/503 with the endpoint's JSON error shape, the request never forwarded
//   abort      the socket destroyed before forwarding, or (PUT) after the endpoint answered:
//              the write landed, the answer is lost
//   hung       no answer ever (optionally forwarded first: the write lands); the app must give up
//   stalled    the real answer's status and headers and part of its body, then nothing
//   conflict412 (PUT) "the participant's other device": the proxy GETs the current bundle, adds or
//              edits a complete record of its own, PUTs it with If-Match and the bearer token of
//              the intercepted request, then forwards the original PUT, which the endpoint
//              answers 412 for real
// A request can also be held (buffered, not forwarded) until the test releases it, so the test
// can act "during" a publish. heal() switches all injection off.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const KINDS = ['5xx', 'abort', 'hung', 'stalled', 'conflict412'];

/** Reads a whole request body. */
function readBody(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function matches(filter, req) {
  if (filter.method && filter.method !== req.method) return false;
  if (filter.path && !filter.path.test(req.url)) return false;
  return true;
}

/**
 * Starts the proxy on a free loopback port in front of `target` (the endpoint's base URL).
 * Resolves to a handle; see the methods below.
 */
export async function startFaultProxy(target, { seed = 1 } = {}) {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  // A small deterministic PRNG so a failing run can be replayed with the same seed.
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 0x100000000;
  };

  const counts = Object.fromEntries(KINDS.map((k) => [k, 0]));
  const detail = {}; // finer kinds: '500', 'abort_before', 'abort_after_write', ...
  const log = []; // every injected fault: { at, kind, variant, method, url }
  const armed = []; // { kind, filter, options, resolve }
  const holds = [];
  const parked = new Set(); // sockets of hung and stalled answers, destroyed by close()
  /** Records the "other device" published: id → { title, revision }. */
  const otherDevice = new Map();
  let otherCount = 0;
  let randomPlan = null; // { PUT: { p, weights }, GET: { p, weights } }
  let healed = false;
  const listeners = new Set();

  function note(kind, variant, req) {
    counts[kind] += 1;
    const key = variant ? `${kind}:${variant}` : kind;
    detail[key] = (detail[key] ?? 0) + 1;
    const entry = { at: Date.now(), kind, variant, method: req.method, url: req.url };
    log.push(entry);
    for (const listener of listeners) listener(entry);
  }

  function forwardRaw(req, body, { stripEncoding = false } = {}) {
    const headers = { ...req.headers, host: upstream.host };
    if (stripEncoding) delete headers['accept-encoding'];
    if (body) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (res) => resolve(res),
      );
      out.on('error', reject);
      out.end(body ?? undefined);
    });
  }

  async function forwardBuffered(req, body, options) {
    const res = await forwardRaw(req, body, options);
    const payload = await readBody(res);
    return { status: res.statusCode, headers: res.headers, body: payload };
  }

  function sendBuffered(res, answer) {
    if (res.destroyed || res.writableEnded) return;
    const headers = { ...answer.headers };
    delete headers.connection;
    delete headers['keep-alive'];
    delete headers['transfer-encoding'];
    headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  function errorAnswer(res, status) {
    const body = Buffer.from(JSON.stringify({ error: status === 503 ? 'unavailable' : 'injected_fault', detail: null }));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.end(body);
  }

  function park(res) {
    const socket = res.socket ?? res.req?.socket;
    if (socket) {
      parked.add(socket);
      socket.once('close', () => parked.delete(socket));
    }
  }

  /** Acts as the participant's other device; resolves to true if its write landed. */
  async function otherDeviceWrite(req, body) {
    const authorization = req.headers.authorization;
    const name = req.url.split('?')[0].split('/').pop();
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await fetch(`${target}/bundles/${name}`, { cache: 'no-store' });
      let bundle;
      const headers = { 'content-type': 'application/json' };
      if (authorization) headers.authorization = authorization;
      if (current.status === 200) {
        bundle = await current.json();
        headers['if-match'] = current.headers.get('etag');
      } else if (current.status === 404) {
        // Nothing published yet: the other device publishes first, with the same profile.
        let intercepted;
        try {
          intercepted = JSON.parse(body.toString('utf8'));
        } catch {
          return false;
        }
        bundle = { ...intercepted, records: [] };
        headers['if-none-match'] = '*';
      } else {
        return false;
      }
      const author = bundle.author.id;
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const mine = bundle.records.filter((r) => otherDevice.has(r.id) && !r.deleted);
      let record;
      if (mine.length > 0 && random() < 0.4) {
        // Edit one of its own records.
        const old = mine[Math.floor(random() * mine.length)];
        const n = ++otherCount;
        const base = old.title.replace(/ \(edit \d+\)$/, '');
        record = { ...old, title: `${base} (edit ${n})`, description: `Edited by the other device, change ${n}`, revision: old.revision + 1, updated_at: now };
      } else {
        const n = ++otherCount;
        record = {
          id: randomUUID(), kind: 'project', title: `Other device record ${n}`,
          description: `Added by the other device, change ${n}`, topics: ['C4'], languages: [],
          revision: 1, updated_at: now, author, deleted: false,
        };
      }
      bundle.records = bundle.records.filter((r) => r.id !== record.id).concat([record]);
      bundle.generated_at = now;
      const put = await fetch(`${target}/bundles/${name}`, { method: 'PUT', headers, body: JSON.stringify(bundle) });
      if (put.status === 200 || put.status === 201) {
        otherDevice.set(record.id, { title: record.title, description: record.description, revision: record.revision });
        return true;
      }
      if (put.status !== 412) return false; // a refusal: nothing landed
    }
    return false;
  }

  async function inject(kind, options, req, res) {
    const body = await readBody(req);
    const isPut = req.method === 'PUT';
    switch (kind) {
      case '5xx': {
        const status = options.status ?? [500, 502, 503][Math.floor(random() * 3)];
        note('5xx', String(status), req);
        return errorAnswer(res, status);
      }
      case 'abort': {
        const after = options.after ?? (isPut && random() < 0.5);
        if (after) {
          // The endpoint takes the write; the answer never reaches the browser.
          await forwardBuffered(req, body);
          note('abort', 'after_forward', req);
        } else {
          note('abort', 'before_forward', req);
        }
        return req.socket.destroy();
      }
      case 'hung': {
        const forward = options.forward ?? false;
        if (forward) await forwardBuffered(req, body);
        note('hung', forward ? 'after_forward' : 'never_forwarded', req);
        return park(res);
      }
      case 'stalled': {
        if (isPut && options.conflict) {
          // The other device writes first, so the real answer is a 412 whose body stalls.
          if (!(await otherDeviceWrite(req, body))) return passBuffered(req, res, body);
        }
        const answer = await forwardBuffered(req, body, { stripEncoding: true });
        const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
        delete headers.connection;
        delete headers['keep-alive'];
        delete headers['transfer-encoding'];
        res.writeHead(answer.status, headers);
        res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
        note('stalled', `${req.method}_${answer.status}`, req);
        return park(res);
      }
      case 'conflict412': {
        if (!isPut || !(await otherDeviceWrite(req, body))) return passBuffered(req, res, body);
        const answer = await forwardBuffered(req, body);
        if (answer.status === 412) note('conflict412', null, req);
        return sendBuffered(res, answer);
      }
      default:
        throw new Error(`unknown fault ${kind}`);
    }
  }

  async function passBuffered(req, res, body) {
    sendBuffered(res, await forwardBuffered(req, body));
  }

  function pass(req, res) {
    const headers = { ...req.headers, host: upstream.host };
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  }

  function drawRandom(req) {
    const plan = randomPlan?.[req.method];
    if (!plan || random() >= plan.p) return null;
    const entries = Object.entries(plan.weights);
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = random() * total;
    for (const [kind, weight] of entries) {
      x -= weight;
      if (x < 0) return kind;
    }
    return entries.at(-1)[0];
  }

  async function handle(req, res) {
    if (healed || !req.url.startsWith('/bundles')) return pass(req, res);
    const hold = holds.find((h) => !h.taken && matches(h.filter, req));
    if (hold) {
      hold.taken = true;
      const body = await readBody(req);
      let clientGone = false;
      res.on('close', () => { if (!res.writableFinished) clientGone = true; });
      hold.arrive({ method: req.method, url: req.url });
      const mode = await hold.released;
      if (holds.includes(hold)) holds.splice(holds.indexOf(hold), 1);
      if (mode === 'drop') {
        hold.answered({ status: null, clientGone: true });
        return req.socket.destroy();
      }
      const answer = await forwardBuffered(req, body);
      hold.answered({ status: answer.status, clientGone });
      return sendBuffered(res, answer);
    }
    const index = armed.findIndex((a) => matches(a.filter, req));
    if (index >= 0) {
      const [fault] = armed.splice(index, 1);
      const before = counts[fault.kind];
      await inject(fault.kind, fault.options, req, res);
      fault.resolve({ applied: counts[fault.kind] > before, method: req.method, url: req.url });
      return;
    }
    const kind = drawRandom(req);
    if (kind) return inject(kind, {}, req, res);
    return pass(req, res);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${error.message}`);
      } else {
        res.destroy();
      }
    });
  });
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;

  return {
    url,
    counts,
    detail,
    log,
    otherDevice,
    /** Total injected faults. */
    get total() {
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    /**
     * Random injection: `plan` maps a method to { p, weights: { kind: weight } }, e.g.
     * { PUT: { p: 0.8, weights: { '5xx': 3, abort: 2, conflict412: 3 } } }. null switches it off.
     */
    setRandom(plan) {
      randomPlan = plan;
    },
    /**
     * Arms one fault for the next request matching `filter` ({ method, path: RegExp }); resolves
     * once a request took it, with { applied } (false when it could not apply, e.g. the other
     * device's write was refused).
     */
    arm(kind, filter = {}, options = {}) {
      if (!KINDS.includes(kind)) throw new Error(`unknown fault ${kind}`);
      return new Promise((resolve) => armed.push({ kind, filter, options, resolve }));
    },
    /** Drops faults armed and not taken yet. */
    disarm() {
      armed.splice(0).forEach((a) => a.resolve({ applied: false }));
    },
    /**
     * Holds the next request matching `filter`: `arrived` resolves when it is in; release('forward')
     * sends it on (its answer to the browser, if the browser still listens), release('drop')
     * destroys the connection; `answered` resolves with { status, clientGone } after forwarding.
     */
    hold(filter = {}) {
      let arrive, release, answered;
      const h = {
        filter,
        taken: false,
        arrived: new Promise((r) => (arrive = r)),
        released: new Promise((r) => (release = r)),
        answeredPromise: new Promise((r) => (answered = r)),
      };
      h.arrive = arrive;
      h.answered = answered;
      holds.push(h);
      return {
        arrived: h.arrived,
        answered: h.answeredPromise,
        release: (mode = 'forward') => release(mode),
        /** Withdraws the hold if no request took it yet (else releases it). */
        cancel: () => {
          if (!h.taken && holds.includes(h)) holds.splice(holds.indexOf(h), 1);
          release('forward');
        },
      };
    },
    /** Calls `listener(entry)` for every fault injected from now on; returns an unsubscribe. */
    onFault(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Switches every kind of injection off (holds already taken still wait for release). */
    heal() {
      healed = true;
      randomPlan = null;
      armed.splice(0).forEach((a) => a.resolve({ applied: false }));
    },
    /** Summary line of the counts. */
    summary() {
      return KINDS.map((k) => `${k}=${counts[k]}`).join(' ');
    },
    async close() {
      for (const socket of [...parked, ...sockets]) socket.destroy();
      await new Promise((r) => server.close(r));
      agent.destroy();
    },
  };
}
