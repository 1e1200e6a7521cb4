#!/usr/bin/env bash
# Benchmarks of the studio (issue 3's numbers):
#   1. POST /api/predict with strokes over loopback, wrk at 16 connections (requests/s, p50/p99 latency);
#   2. preprocessing + inference in-process per drawing (digits-bench predict);
#   3. studio start to first answer, with an existing model.
# usage: scripts/bench_studio.sh [MODEL]   (default: trains the mlp preset for 2 epochs into a temp file)
# Needs: wrk (apt-get install wrk), DIGITS_DATA or the user cache for the default model.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product digits >/dev/null
swift build -c release --product digits-bench >/dev/null
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
model=${1:-}
if [[ -z "$model" ]]; then
  model="$work/model.safetensors"
  .build/release/digits train --preset default --epochs 2 --output "$model" >/dev/null 2>&1
fi

echo "== in-process: preprocessing + inference per drawing"
.build/release/digits-bench predict --model "$model"

echo "== studio start to first answer"
python3 - "$model" "$work" <<'PY'
import sys
sys.path.insert(0, "scripts")
from studio_server import StudioServer
times = []
for attempt in range(5):
    server = StudioServer(".build/release/digits", sys.argv[1], f"{sys.argv[2]}/start{attempt}.sqlite")
    times.append(server.start_seconds)
    server.stop()
print("start to first prediction: " + ", ".join(f"{t * 1000:.0f} ms" for t in times))
PY

echo "== wrk: POST /api/predict (strokes), 16 connections, 2 threads, 15 s"
.build/release/digits serve --model "$model" --database "$work/studio.sqlite" --port 0 > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 100); do grep -q "digits studio:" "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
url=$(grep -o "http://[^ ]*" "$work/serve.out" | head -1)
wrk -t2 -c16 -d3s -s scripts/wrk_predict.lua "${url}api/predict" >/dev/null   # warm-up
wrk -t2 -c16 -d15s --latency -s scripts/wrk_predict.lua "${url}api/predict"
