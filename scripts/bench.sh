#!/usr/bin/env bash
# bench.sh — side-by-side figures on this machine, in one run: digits vs PyTorch (epoch time) and vs
# NumPy/OpenBLAS (matrix multiply). Needs: pip install torch==2.13.0+cpu numpy; MNIST in $DIGITS_DATA.
# Usage: scripts/bench.sh [EPOCHS]     (prints JSON lines and GFLOP/s tables; quote ratios, not times)
#        scripts/bench.sh cnn [ROUNDS] PyTorch's MNIST example CNN against the `torch-example-cnn` preset (same
#                                      layers, batch 64, 2 threads each), one epoch each, alternating, ROUNDS
#                                      times, with the ratio per round; then the step benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
export DIGITS_DATA="${DIGITS_DATA:-$(cd .. && pwd)/shared/data/mnist}"
swift build -c release --product digits --product digits-bench >/dev/null
out=$(mktemp -d)
if [ "${1:-}" = cnn ]; then
  for round in $(seq "${2:-2}"); do
    echo "== round $round: torch_mlp.py --preset cnn, then digits train --preset torch-example-cnn (1 epoch, 2 threads)"
    torch=$(python3 ../shared/anchors/torch_mlp.py --preset cnn --epochs 1 --threads 2 --data "$DIGITS_DATA")
    ours=$(.build/release/digits train --preset torch-example-cnn --epochs 1 --threads 2 --output "$out/cnn.safetensors" --json 2>/dev/null \
      | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"framework": "digits", "epoch_seconds": [round(s, 3) for s in d["epoch_seconds"]], "test_accuracy": d["test_accuracy"]}))')
    echo "$torch"; echo "$ours"
    python3 -c 'import json,sys; t=json.loads(sys.argv[1]); d=json.loads(sys.argv[2]); print("ratio digits/torch: %.2f" % (d["epoch_seconds"][0] / t["epoch_seconds"][0]))' "$torch" "$ours"
  done
  .build/release/digits-bench step --network torch --seconds 3
  exit 0
fi
epochs="${1:-3}"
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
