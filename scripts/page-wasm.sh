#!/usr/bin/env bash
# The page's own wasm, split into lazily loaded chunks: trunk's post_build hook (Trunk.toml).
#
# Trunk built `src/main.rs` (feature `core-engine`: the engine's `core-only`) and staged its
# wasm-bindgen output, `redis-playground-<hash>.js` and `_bg.wasm`. This script replaces that
# wasm with a split one:
#   1. cargo links `src/main.rs` again with the same features, keeping relocations
#      (`--emit-relocs`, which the splitter needs; only the link is redone);
#   2. wasm-split-cli (crate wasm_split_cli_support) moves what only the split points of
#      `src/main.rs` reach (RediSearch's handlers; the rarely used families') into chunks of
#      their own, and writes `__wasm_split.js`, which fetches them on first use;
#   3. wasm-bindgen turns the main module into the staged files, under trunk's names, so the
#      loader trunk wrote into index.html starts it unchanged (keeping the exports the linker
#      made, `__indirect_function_table` among them, which the chunks import);
#   4. for release builds, binaryen's wasm-opt -Oz shrinks the main module and every chunk;
#   5. the chunks and `__wasm_split.js` go to `split-<hash>/`, named by the build's content.
#
# Trunk 0.21 cannot run a step between cargo and wasm-bindgen, hence this hook. Needs:
# wasm-split-cli, wasm-bindgen (Cargo.lock's version) and, for release, npm's wasm-opt on PATH
# (scripts/dev.sh tools installs them).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

profile=${TRUNK_PROFILE:-release}
staging=${TRUNK_STAGING_DIR:?run by trunk (post_build hook), which sets TRUNK_STAGING_DIR}
target_dir=${CARGO_TARGET_DIR:-$root/target}
work="$target_dir/page-split"

shopt -s nullglob
staged=("$staging"/redis-playground-*_bg.wasm)
[[ ${#staged[@]} -eq 1 ]] || { echo "page-wasm.sh: expected one staged redis-playground wasm, found ${#staged[@]}" >&2; exit 1; }
name=$(basename "${staged[0]}" _bg.wasm)

release_flag=()
[[ $profile == release ]] && release_flag=(--release)
cargo rustc "${release_flag[@]}" --target wasm32-unknown-unknown --bin redis-playground \
  --features core-engine -- -C link-arg=--emit-relocs

rm -rf "$work"
mkdir -p "$work"
# Quiet unless it fails (it logs a warning per split export otherwise).
RUST_LOG=${RUST_LOG:-error} wasm-split-cli --target web --out-name "$name" \
  "$target_dir/wasm32-unknown-unknown/$profile/redis-playground.wasm" "$work"

# A wasm linked without relocations splits into nothing, silently: say so instead.
for group in search rare; do
  [[ -f "$work/split_$group.wasm" ]] || { echo "page-wasm.sh: no split_$group.wasm: the split found no split point" >&2; exit 1; }
done

wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$staging" --out-name "$name" "$work/$name.wasm"
chunks=()
for wasm in "$work"/*.wasm; do
  [[ $(basename "$wasm") == "$name.wasm" ]] && continue
  chunks+=("$wasm")
done

if [[ $profile == release ]]; then
  # The features rustc emits (as index.html passes them to trunk's wasm-opt for the workers).
  features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
    --enable-mutable-globals --enable-reference-types --enable-multivalue)
  for wasm in "${staged[0]}" "${chunks[@]}"; do
    wasm-opt -Oz "${features[@]}" "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
  done
fi

# The chunks and their loader go to a folder named by a hash of the build, as trunk names the
# main module by its hash: a browser's cache can never pair a new main module with an old chunk.
# The main module imports the loader from there, and the loader imports the main module back.
hash=$(cat "${staged[0]}" "${chunks[@]}" | sha256sum | cut -c1-16)
dir="split-$hash"
mkdir -p "$staging/$dir"
cp "${chunks[@]}" "$staging/$dir/"
sed "s#^import { initSync } from \"./$name.js\";#import { initSync } from \"../$name.js\";#" \
  "$work/__wasm_split.js" > "$staging/$dir/__wasm_split.js"
# Only the module specifiers: the import object's keys are the wasm's own import names.
sed -i "s#^import \* as \(import[0-9]*\) from \"./__wasm_split.js\"#import * as \1 from \"./$dir/__wasm_split.js\"#" \
  "$staging/$name.js"
grep -q "from \"../$name.js\"" "$staging/$dir/__wasm_split.js" &&
  grep -q "from \"./$dir/__wasm_split.js\"" "$staging/$name.js" ||
  { echo "page-wasm.sh: could not point the main module and the chunks' loader at each other" >&2; exit 1; }
