#!/usr/bin/env bash
# bench.sh — side-by-side figures on this machine, in one run: digits vs PyTorch (epoch time) and vs
# NumPy/OpenBLAS (matrix multiply). Needs: pip install torch==2.13.0+cpu numpy; MNIST in $DIGITS_DATA.
# Usage: scripts/bench.sh [EPOCHS]     (prints JSON lines and GFLOP/s tables; quote ratios, not times)
set -euo pipefail
cd "$(dirname "$0")/.."
export DIGITS_DATA="${DIGITS_DATA:-$(cd .. && pwd)/shared/data/mnist}"
epochs="${1:-3}"
swift build -c release --product digits --product digits-bench >/dev/null
out=$(mktemp -d)
for preset in mlp mlp-large; do
  echo "== $preset, $epochs epochs, 2 threads"
  python3 ../shared/anchors/torch_mlp.py --preset "$preset" --epochs "$epochs" --threads 2 --data "$DIGITS_DATA"
  .build/release/digits train --preset "$preset" --epochs "$epochs" --threads 2 --output "$out/$preset.safetensors" --json 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"framework": "digits", "epoch_seconds": [round(s, 3) for s in d["epoch_seconds"]], "test_accuracy": d["test_accuracy"]}))'
done
for threads in 1 2; do
  echo "== matrix multiply, $threads thread(s): NumPy (OpenBLAS) then digits"
  OPENBLAS_NUM_THREADS=$threads python3 scripts/bench_numpy_gemm.py
  .build/release/digits-bench gemm --threads "$threads" | tail -n +3
done
