#!/usr/bin/env bash
# Multi-user batching on the CPU, measured: the 1M-movie synthetic version of bench/scale.sh served
# exactly (--graph-index off) by the Java kernel one call at a time (one pass over the movie matrix
# per user) and in micro-batches (--batching on --device cpu: one pass per batch of up to 16 users),
# at 4 and 16 calls in flight, the two servers alternating over ROUNDS rounds (default 2).
# (Until 2026-11-30 13:45 --batching on --device cpu batched through DJL/libtorch: 0.4-0.7x.)
# Usage: bench/cpu-batching.sh [duration, default 20s]. Needs bench/scale.sh's bench-scale/indexed-movies-1000000
# (built by it on first run). Reports go to reports/cpu-batching/ (summary.tsv).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-20s}"
ROUNDS="${ROUNDS:-2}"
PORT="${PORT:-50072}"
REG="$PWD/bench-scale/indexed-movies-1000000"
OUT="$PWD/reports/cpu-batching"
mkdir -p "$OUT"
source bench/common.sh
[ -f "$REG/synth/aliases/production.json" ] || { echo "no $REG: run bench/scale.sh first" >&2; exit 1; }
SUMMARY="$OUT/summary.tsv"
printf 'round\tserver\tin_flight\tcalls_per_s\tp50_ms\tp99_ms\n' > "$SUMMARY"

for round in $(seq 1 "$ROUNDS"); do
  for server in java-kernel java-batched; do
    args=(--graph-index off)
    [ "$server" = java-batched ] && args+=(--batching on --device cpu --batch-size 16 --batch-delay-us 1000)
    SERVER_JAVA_OPTS="-XX:+UseG1GC -Xms6g -Xmx6g" \
      start_server "$OUT/server-$server-$round.log" --registry "$REG" --model synth --port "$PORT" --metrics-port -1 \
      --result-cache-size 0 "${args[@]}"
    for flight in 4 16; do
      name="$server-$flight-$round"
      echo "== round $round: $server, $flight in flight"
      "${CLIENT[@]}" load --target "localhost:$PORT" --concurrency "$flight" --duration "$DURATION" --warmup 5s --mix recommend=1 \
        --out "$OUT/$name.json" 2>/dev/null | sed -n '9p'
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$server" "$flight" \
        "$(json "$OUT/$name.json" "round(d['summary']['requests_per_second'])")" \
        "$(json "$OUT/$name.json" "d['latency_ms']['p50']")" "$(json "$OUT/$name.json" "d['latency_ms']['p99']")" >> "$SUMMARY"
    done
    stop_server
  done
done
column -t "$SUMMARY"
