#!/usr/bin/env bash
# One entry point for the playground: installs what is missing (idempotently), then serves or tests.
#
#   scripts/dev.sh serve   build the page for release and serve it with trunk, printing the URL
#   scripts/dev.sh test    every check: fmt, clippy (native + wasm32), native tests (with the
#                          Redis oracle for differential tests), Redis's own test suite against
#                          `emulate` (scripts/redis-suite.sh), wasm tests in headless Chromium,
#                          and end-to-end browser tests against the page as `serve` serves it
#   scripts/dev.sh build   build the page for release into dist/ (wasm-opt -Oz included)
#   scripts/dev.sh tools   only install the tools
#
# Only package registries are used (crates.io, npm, Debian); nothing downloads at build time:
# trunk runs offline with the wasm-bindgen CLI installed here.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

TRUNK_VERSION=0.21.14
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

say() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

# The wasm-bindgen version in Cargo.lock: the CLI must be exactly this version.
bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  if [[ $apt_updated -eq 0 ]]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_rust() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
}

ensure_trunk() {
  if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
    say "installing trunk $TRUNK_VERSION (about 8 minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_bindgen() {
  [[ -f Cargo.lock ]] || cargo generate-lockfile
  local want
  want=$(bindgen_version)
  if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]] ||
    [[ "$(wasm-bindgen-test-runner --version 2>/dev/null)" != "wasm-bindgen-test-runner $want" ]]; then
    say "installing wasm-bindgen-cli $want (must equal Cargo.lock's wasm-bindgen)"
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

# The splitter that cuts the page's wasm into lazily loaded chunks (scripts/page-wasm.sh).
WASM_SPLIT_VERSION=0.2.4
ensure_splitter() {
  # (it has no --version: cargo's list of installed crates says which one is there)
  if ! command -v wasm-split-cli >/dev/null ||
    ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    say "installing wasm-split-cli $WASM_SPLIT_VERSION (about 2 minutes, once)"
    cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
  fi
}

ensure_browser() {
  apt_install chromium chromium-driver curl
}

ensure_redis() {
  # Debian's redis-server (7.0, with TLS) for the proxy's tests and the benchmarks;
  # the Redis 7.4 + RediSearch oracle comes from ../shared/oracle.
  apt_install redis-server redis-tools openssl
}

# tclsh for Redis's own test suite (../shared/redis-tests), which scripts/redis-suite.sh runs.
ensure_tcl() {
  apt_install tcl
}

# npm packages from package-lock.json: playwright-core for the browser tests, pyodide for the
# Python tab (static/pyodide, see ensure_python_assets) and binaryen, whose
# wasm-opt trunk runs on release builds (found on PATH through node_modules/.bin, version pinned
# in Trunk.toml; Debian's binaryen is too old to read this wasm).
ensure_node_modules() {
  local want
  want=$(node -p "require('./package.json').devDependencies.binaryen.split('.')[0]")
  if [[ ! -d node_modules/playwright-core ]] || [[ ! -d node_modules/pyodide ]] ||
    [[ "$(node_modules/.bin/wasm-opt --version 2>/dev/null)" != "wasm-opt version $want (version_$want)" ]]; then
    say "installing npm packages (playwright-core, binaryen's wasm-opt, pyodide)"
    npm ci --no-audit --no-fund --silent
  fi
}

# The Python tab's files (static/pyodide/, git-ignored, copied into dist/ by trunk): Pyodide's core
# from npm `pyodide` (package.json) and the redis-py wheel from PyPI (pure Python, imported in
# Pyodide unchanged), plus target/redis-py-venv, the same redis-py natively for the e2e test that
# compares the page's Python with the oracle's. Nothing downloads when they are already there.
REDIS_PY_VERSION=8.1.0
PYODIDE_FILES=(pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json)
ensure_python_assets() {
  local dir=static/pyodide venv=target/redis-py-venv f
  mkdir -p "$dir"
  for f in "${PYODIDE_FILES[@]}"; do
    cmp -s "node_modules/pyodide/$f" "$dir/$f" || cp "node_modules/pyodide/$f" "$dir/$f"
  done
  if [[ ! -f $dir/redis-$REDIS_PY_VERSION.whl ]] ||
    [[ "$("$venv/bin/python" -c 'import redis; print(redis.__version__)' 2>/dev/null)" != "$REDIS_PY_VERSION" ]]; then
    say "fetching redis-py $REDIS_PY_VERSION from PyPI (the Python tab's wheel and a native venv)"
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q "redis==$REDIS_PY_VERSION"
    rm -rf target/redis-wheel
    "$venv/bin/python" -m pip download -q --no-deps --only-binary=:all: -d target/redis-wheel "redis==$REDIS_PY_VERSION"
    cp target/redis-wheel/redis-"$REDIS_PY_VERSION"-py3-none-any.whl "$dir/redis-$REDIS_PY_VERSION.whl"
  fi
}

ensure_oracle() {
  local script="$root/../shared/oracle/redis-stack"
  if [[ -x "$script" || -f "$script" ]]; then
    say "starting the Redis 7.4 + RediSearch oracle"
    # An oracle left running by an earlier checkout may be working in a folder since deleted, where
    # its SAVE fails (the differential SAVE test needs it): restart it then. It starts in a
    # scratch folder of its own, so a SAVE never writes into the repository.
    local dir
    if dir=$(bash "$script" cli 16379 CONFIG GET dir 2>/dev/null) && [[ $(sed -n 1p <<<"$dir") == dir ]] &&
      ! [[ -d $(sed -n 2p <<<"$dir") ]]; then
      bash "$script" stop 16379 >/dev/null 2>&1 || true
    fi
    # DEBUG (DIGEST, OBJECT, RELOAD, SET-ACTIVE-EXPIRE) is compared too: an oracle started
    # without it is restarted with it.
    if [[ $(bash "$script" cli 16379 DEBUG HELP 2>/dev/null | head -1) == *"ERR"* ]]; then
      bash "$script" stop 16379 >/dev/null 2>&1 || true
    fi
    mkdir -p "${TMPDIR:-/tmp}/redis-playground-oracle"
    (cd "${TMPDIR:-/tmp}/redis-playground-oracle" && bash "$script" start 16379 --debug >/dev/null)
    # A second oracle with RedisJSON too, for the JSON tests (common::json_oracle_port): the
    # first keeps search alone, as the tests comparing MODULE LIST and INFO modules expect.
    if [[ $(bash "$script" cli 16380 DEBUG HELP 2>/dev/null | head -1) == *"ERR"* ]]; then
      bash "$script" stop 16380 >/dev/null 2>&1 || true
    fi
    (cd "${TMPDIR:-/tmp}/redis-playground-oracle" && bash "$script" start 16380 --with json --debug >/dev/null)
  else
    echo "missing $script: differential tests need the shared Redis oracle" >&2
    exit 1
  fi
}

tools() {
  ensure_rust
  ensure_trunk
  ensure_bindgen
  ensure_splitter
  ensure_node_modules
  ensure_python_assets
}

build() {
  tools
  say "building the page (release) into dist/"
  trunk build --release --offline
}

# The release build, as the README's figures are measured (the debug build is 7.6 MB of wasm and
# answers in about a second); trunk rebuilds it when a watched file changes.
serve() {
  tools
  local port=${PORT:-8080}
  say "building the page (release) and serving it at http://127.0.0.1:$port/"
  exec trunk serve --release --offline --port "$port" --address 127.0.0.1
}

# A TCP port nobody listens on now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Why serving failed: the end of trunk's log (build errors are at its end) and the free disk, as a
# build that fills the disk fails the same way.
serve_failed() {
  local log=$1 message=$2
  grep -vE '^ +(Compiling|Blocking) ' "$log" | tail -n 60 >&2
  df -h "$root" >&2
  echo "$message (log: $log)" >&2
}

# Run the end-to-end tests against `scripts/dev.sh serve` itself (trunk serve with the proxy
# routes of Trunk.toml), so they test what a user gets from the README's serve command.
e2e_against_serve() {
  local port log pid
  port=$(free_port)
  log="$root/target/e2e-serve.log"
  mkdir -p "$root/target"
  say "scripts/dev.sh serve on port $port (release build), for the end-to-end tests"
  PORT=$port "$root/scripts/dev.sh" serve >"$log" 2>&1 &
  pid=$!
  # trunk serves once its first build is done: wait for the page that links the built wasm. A
  # failed build does not stop `trunk serve` (it waits for the next change), so watch its log too.
  local waited=0
  until curl -fsS "http://127.0.0.1:$port/" 2>/dev/null | grep -q '_bg.wasm'; do
    if ! kill -0 "$pid" 2>/dev/null; then
      serve_failed "$log" "scripts/dev.sh serve stopped before serving the page"
      return 1
    fi
    if grep -qE 'ERROR|error(\[E[0-9]+\])?:' "$log"; then
      kill "$pid"
      serve_failed "$log" "scripts/dev.sh serve could not build the page"
      return 1
    fi
    ((waited += 2))
    if ((waited > 1800)); then
      kill "$pid"
      serve_failed "$log" "scripts/dev.sh serve did not serve the page within 30 minutes"
      return 1
    fi
    sleep 2
  done
  say "end-to-end tests in headless Chromium, against http://127.0.0.1:$port/"
  local status=0
  E2E_URL="http://127.0.0.1:$port/" node --test --test-concurrency=1 tests/e2e/ || status=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return "$status"
}

run_tests() {
  tools
  ensure_browser
  ensure_redis
  ensure_tcl
  ensure_oracle

  say "format"
  cargo fmt --all --check

  say "clippy (native)"
  cargo clippy --workspace --all-targets --locked -- -D warnings

  say "clippy (wasm32: the app and the engine)"
  cargo clippy --target wasm32-unknown-unknown -p redis-playground -p playground-engine --lib --bins --locked -- -D warnings
  # The page's own build: the engine without the handlers its split-off chunks bring.
  cargo clippy --target wasm32-unknown-unknown -p redis-playground --features core-engine --bins --locked -- -D warnings

  say "native tests (engine with differential tests against Redis 7.4, proxy, app logic)"
  cargo test --workspace --locked
  # The engine as the page builds it: the lazily loaded groups marked until installed.
  cargo test --locked -p playground-engine --features core-only --test core_families

  say "Redis 7.4.1's own test suite against emulate (no new failures; tests/redis-suite/)"
  # The debug playground-proxy the native tests just built (see the script on why that build).
  REDIS_SUITE_PROXY="${CARGO_TARGET_DIR:-$root/target}/debug/playground-proxy" scripts/redis-suite.sh

  say "wasm tests in headless Chromium"
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
  export CHROMEDRIVER=/usr/bin/chromedriver
  export WASM_BINDGEN_TEST_TIMEOUT=120
  cargo test --locked --target wasm32-unknown-unknown -p playground-engine --test wasm
  if compgen -G "tests/*.rs" >/dev/null; then
    cargo test --locked --target wasm32-unknown-unknown -p redis-playground
  fi

  if compgen -G "tests/e2e/*.test.mjs" >/dev/null; then
    e2e_against_serve
  fi
  say "all checks passed"
}

case ${1:-} in
  serve) serve ;;
  test) run_tests ;;
  build) build ;;
  tools) tools ;;
  *)
    echo "usage: scripts/dev.sh serve|test|build|tools" >&2
    exit 2
    ;;
esac
