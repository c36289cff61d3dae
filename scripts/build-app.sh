#!/usr/bin/env bash
# Builds the two apps with Trunk: the participant's (index.html → dist/) and the facilitator's
# (map.html, generated from index.html → dist/map/, assets under /map/), and a copy of the
# facilitator's shell for each of its other routes.
# The endpoint serves `<first segment>/index.html` for a route when it exists, else index.html.
# The participant's build empties dist/, so it goes first.
# Each app's later parts (functions marked `wasm_split`) are cut into chunks by the
# wasm-bindgen stand-in in scripts/split/ and placed next to the app by scripts/split/finish.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
bindgen_out="$(cargo metadata --format-version 1 --no-deps | node -pe 'JSON.parse(require("fs").readFileSync(0)).target_directory')/wasm-bindgen/release"
split_path="$PWD/scripts/split:$PATH"
# Turns on `cfg(wasm_split)` (build.rs): only these builds cut the later chunk.
export NETWORKSHOP_WASM_SPLIT=1
PATH="$split_path" trunk build index.html --release --offline
node scripts/split/finish.mjs dist networkshop "$bindgen_out"
# The facilitator's page is the participant's with the other binary, the map's stylesheet,
# its worker (the believer, crates/believer), and without the files the first build
# already copied; made here so the two pages cannot drift apart.
sed -e 's/data-bin="networkshop"/data-bin="facilitator"/' -e '/rel="copy-file"/d' \
    -e 's|^\( *\)\(<link data-trunk rel="css" href="style/main.css" />\)|\1\2\n\1<link data-trunk rel="css" href="style/map.css" />|' \
    -e 's|^\( *\)\(<link data-trunk rel="rust" data-bin="facilitator".*\)$|\1\2\n\1<link data-trunk rel="rust" href="crates/believer" data-bin="believer" data-type="worker" data-wasm-opt="z" />|' \
    index.html >map.html
PATH="$split_path" trunk build map.html --release --offline --dist dist/map --public-url /map/
node scripts/split/finish.mjs dist/map facilitator "$bindgen_out"
node scripts/name-worker.mjs dist/map believer /map/
# Its other routes get a copy of its shell, so the endpoint (and any static server) serves it
# at each of them.
for route in report team partners backup; do
    mkdir -p "dist/$route"
    cp dist/map/index.html "dist/$route/index.html"
done
