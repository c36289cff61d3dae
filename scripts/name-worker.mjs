// After Trunk: names a worker's files (Trunk leaves a worker's JS and wasm unhashed, since a
// page must know their names) after their content, like Trunk's own files, so the endpoint
// serves them `immutable` and the service worker's cache-first rule never hands out an old
// build's worker; writes the worker's loader, and names it in index.html for the page
// (`<meta name="networkshop-<worker>" content=…>`) and for the service worker (`data-later`).
//
//   node scripts/name-worker.mjs <dist dir> <worker binary name> <public url>
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dist, name, base] = process.argv.slice(2);
if (!dist || !name || !base) {
  console.error('usage: name-worker.mjs <dist dir> <worker binary name> <public url>');
  process.exit(2);
}
const hex16 = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const hashedName = (bytes, suffix) => `${name}-${hex16(bytes)}${suffix}`;

const wasm = hashedName(readFileSync(join(dist, `${name}_bg.wasm`)), '_bg.wasm');
renameSync(join(dist, `${name}_bg.wasm`), join(dist, wasm));
const js = hashedName(readFileSync(join(dist, `${name}.js`)), '.js');
renameSync(join(dist, `${name}.js`), join(dist, js));
// wasm-bindgen's `no-modules` glue defines `wasm_bindgen`; started, the wasm runs its main.
const loader = `importScripts("./${js}");wasm_bindgen({module_or_path:"./${wasm}"});\n`;
const loaderName = `${name}-loader-${hex16(loader)}.js`;
writeFileSync(join(dist, loaderName), loader);

const indexPath = join(dist, 'index.html');
const html = readFileSync(indexPath, 'utf8');
const metas =
  `<meta name="networkshop-${name}" content="${base}${loaderName}" data-later="${base}${loaderName}">` +
  [js, wasm].map((file) => `<meta name="networkshop-later" data-later="${base}${file}">`).join('');
writeFileSync(indexPath, html.replace('</head>', `${metas}</head>`));
console.log(`worker: ${name} as ${loaderName}, ${js}, ${wasm}`);
