#!/usr/bin/env bash
# How Recommend's cost grows: latency against catalogue size (10k, 100k, 1M synthetic movies) and,
# with a million users, the Caffeine user-vector cache's hit ratio under Zipf-skewed traffic.
# Synthetic versions are untrained (random embeddings) but served exactly like trained ones.
# Usage: bench/scale.sh [duration, default 20s]. Reports go to reports/scale/.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-20s}"
PORT="${PORT:-50071}"
METRICS="${METRICS:-9171}"
BASE="$PWD/bench-scale"
OUT="$PWD/reports/scale"
mkdir -p "$OUT"
source bench/common.sh

serve() { # registry
  SERVER_JAVA_OPTS=-Xmx10g start_server "$OUT/server.log" --registry "$1" --model synth --port "$PORT" --metrics-port "$METRICS" \
    --result-cache-size 0
}

for MOVIES in 10000 100000 1000000; do
  REG="$BASE/movies-$MOVIES"
  if [ ! -f "$REG/synth/aliases/production.json" ]; then
    "$JAVA" -Xmx12g -jar trainer/target/recsys-trainer.jar data synth-version --registry "$REG" --name synth \
      --movies "$MOVIES" --users 10000 --ratings-per-user 20 --dim 64 --promote production
  fi
  serve "$REG"
  "${CLIENT[@]}" load --target "localhost:$PORT" --concurrency 4 --duration "$DURATION" --warmup 5s --mix recommend=1 \
    --out "$OUT/movies-$MOVIES.json" 2>/dev/null | sed -n '2,9p;/Latency distribution/,/99.9/p'
  stop_server
done

REG="$BASE/users-1m"
if [ ! -f "$REG/synth/aliases/production.json" ]; then
  "$JAVA" -Xmx12g -jar trainer/target/recsys-trainer.jar data synth-version --registry "$REG" --name synth \
    --movies 10000 --users 1000000 --ratings-per-user 5 --dim 64 --promote production
fi
serve "$REG"
"${CLIENT[@]}" load --target "localhost:$PORT" --concurrency 4 --duration "$DURATION" --warmup 5s --mix recommend=1 \
  --users zipf:1.1 --user-sample 100000 --unknown-share 0 --out "$OUT/users-1m.json" 2>/dev/null | sed -n '2,9p'
curl -s "localhost:$METRICS/metrics" | grep -E '^caffeine_cache_(hit|miss|eviction)_total\{cache="user_vectors"' | tee "$OUT/users-1m-cache.txt"
stop_server
