#!/usr/bin/env bash
# Build both Lambda layers without SAM (CI, size checks, `sam build` alternative).
#   layers/build/deps/python    third-party wheels for python3.11 / x86_64 (manylinux)
#   layers/build/common/python  the bitten package from common/bitten
# `sam build` does the same through the BuildMethod metadata in template.yaml.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/layers/build}"
PY="${PYTHON:-python3}"
# Lambda python3.11 runs on Amazon Linux 2 (glibc 2.26): manylinux_2_28 wheels will not load.
# pip does not widen a --platform to older glibc tags, so list them.
PLATFORMS="${LAYER_PLATFORMS:-manylinux2014_x86_64 manylinux_2_17_x86_64 manylinux_2_24_x86_64 manylinux_2_26_x86_64}"
PLATFORM_FLAGS=()
for p in $PLATFORMS; do PLATFORM_FLAGS+=(--platform "$p"); done

rm -rf "$OUT/deps" "$OUT/common"
mkdir -p "$OUT/deps/python" "$OUT/common/python"

# Wheels only, for the Lambda platform, whatever machine runs this script.
"$PY" -m pip install --quiet --no-compile \
  "${PLATFORM_FLAGS[@]}" --implementation cp --python-version 3.11 --only-binary=:all: \
  --target "$OUT/deps/python" -r "$ROOT/requirements.txt"

cp -R "$ROOT/common/bitten" "$OUT/common/python/bitten"
find "$OUT" -name "__pycache__" -type d -prune -exec rm -rf {} +

du -sh "$OUT/deps/python" "$OUT/common/python"
