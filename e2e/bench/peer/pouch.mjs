// The map benchmark's peer: the same bundles replicated into the browser by PouchDB from a
// CouchDB-compatible server (express-pouchdb over PouchDB's in-memory adapter), one document per
// author's bundle as our endpoint holds one file per author. PouchDB replicates with its
// defaults (batches of 100 changes) into IndexedDB, as a page using it would.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-core';
import http from 'pouchdb-adapter-http';
import memory from 'pouchdb-adapter-memory';
import mapreduce from 'pouchdb-mapreduce';
import replication from 'pouchdb-replication';

const require = createRequire(import.meta.url);
const BROWSER_POUCHDB = readFileSync(require.resolve('pouchdb/dist/pouchdb.min.js'), 'utf8');

const ServerPouch = PouchDB.plugin(memory).plugin(http).plugin(mapreduce).plugin(replication)
  .defaults({ adapter: 'memory' });

/** Serves `bundles` as a CouchDB database on 127.0.0.1; returns its origin and a stop. */
async function serve(bundles) {
  const app = express();
  app.get('/peer', (_, res) => res.type('html').send('<!doctype html><title>peer</title><script src="/pouchdb.min.js"></script>'));
  app.get('/pouchdb.min.js', (_, res) => res.type('js').send(BROWSER_POUCHDB));
  app.use('/db', expressPouchDB(ServerPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: '/dev/null' }));
  const db = new ServerPouch('bundles');
  for (let i = 0; i < bundles.length; i += 500) {
    await db.bulkDocs(bundles.slice(i, i + 500).map((b) => ({ _id: b.author.id, ...b })));
  }
  const server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  return { origin: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

/**
 * Milliseconds for a fresh browser profile to replicate every bundle with PouchDB, from the
 * start of the replication to its end, and how many documents it then holds.
 */
export async function pouchColdPull(browser, bundles) {
  const peer = await serve(bundles);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${peer.origin}/peer`);
    return await page.evaluate(async (url) => {
      const db = new PouchDB('peer-bench');
      const started = performance.now();
      await db.replicate.from(url);
      const ms = performance.now() - started;
      return { ms, docs: (await db.info()).doc_count };
    }, `${peer.origin}/db/bundles`);
  } finally {
    await context.close();
    await peer.stop();
  }
}
