#!/usr/bin/env bash
# Benchmark: does the studio keep answering while it trains a network? POST /api/predict with wrk at 16
# connections for 10 s while a new network trains from scratch (the Train page's job, the `default`
# preset), then 10 s with the studio idle, on the same server. Training runs on one thread, so the event
# loop keeps a core; the target is p99 ≤ 20 ms during training.
# usage: scripts/bench_predict_during_training.sh [MODEL]   (default: the default preset, 2 epochs, trained first)
# Needs: wrk (apt-get install wrk) and MNIST in $DIGITS_DATA (or the user cache).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product digits >/dev/null
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
model=${1:-}
if [[ -z "$model" ]]; then
  model="$work/model.safetensors"
  .build/release/digits train --preset default --epochs 2 --output "$model" >/dev/null 2>&1
fi
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
.build/release/digits serve --model "$model" --database "$work/studio.sqlite" --port 0 > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 200); do grep -q "digits studio:" "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
url=$(grep -o "http://[^ ]*" "$work/serve.out" | head -1)
state() { curl -s "${url}api/training" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["state"], j["phase"], j["step"], j["steps"])'; }

wrk -t2 -c16 -d3s -s scripts/wrk_predict.lua "${url}api/predict" >/dev/null   # warm-up
curl -s -X POST -H 'Content-Type: application/json' "${url}api/training" -d '{"kind": "new", "preset": "default", "epochs": 3}' >/dev/null
for _ in $(seq 200); do [[ "$(state)" == "running training"* ]] && break; sleep 0.1; done
if [[ "$(state)" != "running training"* ]]; then
  echo "the training job did not start: $(curl -s "${url}api/training")" >&2
  exit 1
fi
echo "== during training ($(state))"
wrk -t2 -c16 -d10s --latency -s scripts/wrk_predict.lua "${url}api/predict" | grep -E "Requests/sec|p50|non-2xx"
echo "   job after the run: $(state) (must still be running for the figure to count)"
curl -s -X DELETE "${url}api/training" >/dev/null
for _ in $(seq 100); do [[ "$(state)" != running* ]] && break; sleep 0.1; done
echo "== idle ($(state))"
wrk -t2 -c16 -d10s --latency -s scripts/wrk_predict.lua "${url}api/predict" | grep -E "Requests/sec|p50|non-2xx"
