// After Trunk: puts one app's wasm chunks (cut out by scripts/split/wasm-bindgen) next to its
// main part in dist, each optimised by wasm-opt and named after its content like Trunk's own
// files (so the endpoint serves them `immutable` and the service worker's cache-first rule
// holds), with their loader; then points the main JS at the loader by its new name, updates
// that JS's integrity in index.html, and lists the chunks there for the service worker.
// The main JS is minified by terser on the way (Trunk 0.21's own minifier fails on
// wasm-bindgen's output and leaves it as it is).
//
//   node scripts/split/finish.mjs <dist dir> <binary name> <wasm-bindgen out dir>
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dist, name, bindgenOut] = process.argv.slice(2);
if (!dist || !name || !bindgenOut) {
  console.error('usage: finish.mjs <dist dir> <binary name> <wasm-bindgen out dir>');
  process.exit(2);
}
const splitDir = join(bindgenOut, `split-${name}`);
const LINK = '__wasm_split.js';
if (!existsSync(join(splitDir, LINK))) {
  console.log(`split: ${name} has no chunk`);
  process.exit(0);
}

const hex16 = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const sri = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');

const mainJs = readdirSync(dist).find((f) => new RegExp(`^${name}-[0-9a-f]+\\.js$`).test(f));
if (!mainJs) throw new Error(`split: no ${name}-<hash>.js in ${dist}`);

let loader = readFileSync(join(splitDir, LINK), 'utf8');
const mainImport = `"./${name}.js"`;
if (!loader.includes(mainImport)) throw new Error(`split: the loader does not import ${mainImport}`);
loader = loader.replace(mainImport, `"./${mainJs}"`);

const chunks = [];
for (const file of readdirSync(splitDir).filter((f) => f.endsWith('.wasm') && f !== `${name}.wasm`)) {
  const optimised = join(splitDir, `${file}.opt`);
  execFileSync('wasm-opt', [`--output=${optimised}`, '-Oz', join(splitDir, file)], { stdio: 'inherit' });
  const bytes = readFileSync(optimised);
  const hashed = `${name}-${file.replace(/\.wasm$/, '')}-${hex16(bytes)}.wasm`;
  const reference = `"./${file}"`;
  if (!loader.includes(reference)) throw new Error(`split: the loader does not name ${file}`);
  loader = loader.replaceAll(reference, `"./${hashed}"`);
  writeFileSync(join(dist, hashed), bytes);
  chunks.push([hashed, bytes.length]);
}
const loaderName = `wasm-split-${hex16(loader)}.js`;
writeFileSync(join(dist, loaderName), loader);

// The main JS imports the loader by the name the splitter gave it; nothing else in it changes.
const mainPath = join(dist, mainJs);
const before = readFileSync(mainPath);
const js = before.toString('utf8');
const importLine = new RegExp(`(from\\s*)(["'])\\./${LINK.replace('.', '\\.')}\\2`);
if (!importLine.test(js)) throw new Error(`split: ${mainJs} does not import ./${LINK}`);
writeFileSync(mainPath, js.replace(importLine, `$1$2./${loaderName}$2`));
execFileSync('terser', [mainPath, '--module', '--compress', '--mangle', '--output', mainPath], { stdio: 'inherit' });
const after = readFileSync(mainPath);

const indexPath = join(dist, 'index.html');
let html = readFileSync(indexPath, 'utf8');
const oldIntegrity = sri(before);
if (!html.includes(oldIntegrity)) throw new Error(`split: index.html has no integrity for ${mainJs}`);
html = html.replace(oldIntegrity, sri(after));
const base = html.match(new RegExp(`href="([^"]*)${mainJs.replace('.', '\\.')}"`))[1];
// The loader is fetched with the main JS (it is a static import of it); the chunks only when
// first called, and by the service worker, which reads `data-later` as it reads `href`.
const links =
  `<link rel="modulepreload" href="${base}${loaderName}" crossorigin="anonymous" integrity="${sri(loader)}">` +
  chunks.map(([file]) => `<meta name="networkshop-later" data-later="${base}${file}">`).join('');
html = html.replace('</head>', `${links}</head>`);
writeFileSync(indexPath, html);
console.log(`split: ${name} main ${mainJs}, loader ${loaderName}, ${chunks.map(([f, n]) => `${f} ${n} B`).join(', ')}`);
