# Sourced by scripts/run.sh and scripts/test.sh: puts the project's tools on PATH and installs
# whatever is missing, skipping what is already there (a second run does no install).
#   setup_build   wasm32 target, Trunk, wasm-bindgen-cli (the Cargo.lock version), wasm-opt
#   setup_test    the above, plus Debian's chromium, chromium-driver and nginx with WebDAV (a test
#                 peer), Ceph's ceph-mon, ceph-osd and radosgw (the S3 store's tests, see
#                 scripts/ceph.sh), and the e2e npm packages

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# wasm-split-cli, which must understand the `wasm_split_helpers` (0.2) that leptos brings.
WASM_SPLIT_VERSION="0.2.4"
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

# shellcheck source=ceph.sh
source "$ROOT/scripts/ceph.sh"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

# npm ci when node_modules is missing or older than the lock file.
npm_install() {
  local dir="$ROOT/$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    step "installing npm packages in $1/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

setup_build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    step "installing Trunk $TRUNK_VERSION (about 15 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  local bindgen
  bindgen="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  if ! grep -q "^wasm_bindgen = \"$bindgen\"" "$ROOT/Trunk.toml"; then
    echo "Trunk.toml [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen ($bindgen)" >&2
    return 1
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen" ]; then
    step "installing wasm-bindgen-cli $bindgen (about 5 minutes)"
    # Not --locked: its lock file names a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$bindgen" --force
  fi
  # Cuts the participant's later parts into a chunk of their own (scripts/split/); it has no
  # --version, so cargo's list of installed crates says which one is there.
  if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    step "installing wasm-split-cli $WASM_SPLIT_VERSION (about 1 minute)"
    cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
  fi
  npm_install tools
}

setup_test() {
  setup_build
  apt_install chromium chromium-driver nginx libnginx-mod-http-dav-ext
  ceph_install
  npm_install e2e
}
