#!/usr/bin/env bash
# How Recommend's cost grows with the catalogue: 10k, 100k, 1M and 10M synthetic movies (factor-like
# embeddings, as trained models have), Recommend in a closed loop of 4, result cache off. From 100k
# movies the versions carry a graph index (HNSW, --ann-min-movies): each of those sizes is served
# twice, through the index and with --graph-index off (exact scoring, the baseline of the same run),
# and `registry index-recall` measures the index's recall@10 against exact scoring with and without
# filters, on users the index was not tuned on. 10M movies (dim 32) are served exactly, to show that
# they fit the stated heap. Then 10k movies with a million users under Zipf traffic (known users' rows are read from
# the model, no cache: the step measures a million-user model's cost per call).
# Usage: bench/scale.sh [duration, default 20s]. Reports go to reports/scale/ (summary in summary.tsv).
# Synthetic versions are kept in bench-scale/ and reused (a 1M-movie index, two graphs, takes ~20 min to build on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-20s}"
PORT="${PORT:-50071}"
METRICS="${METRICS:-9171}"
BASE="$PWD/bench-scale"
OUT="$PWD/reports/scale"
mkdir -p "$OUT"
source bench/common.sh
SUMMARY="$OUT/summary.tsv"
printf 'case\tmovies\tdim\tcalls_per_s\tp50_ms\tp99_ms\theap_mb\trss_mb\n' > "$SUMMARY"

synth() { # registry movies dim users ratings-per-user heap [extra trainer args]
  local reg=$1 movies=$2 dim=$3 users=$4 rpu=$5 heap=$6; shift 6
  if [ ! -f "$reg/synth/aliases/production.json" ]; then
    "$JAVA" "-Xmx$heap" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar trainer/target/recsys-trainer.jar \
      data synth-version --registry "$reg" --name synth --movies "$movies" --users "$users" --ratings-per-user "$rpu" --dim "$dim" \
      --promote production "$@"
  fi
}

metric() { # name-and-labels regex -> value in MB
  # No early exit: with pipefail, curl killed by SIGPIPE would fail the script.
  curl -s "localhost:$METRICS/metrics" | awk -v re="$1" '!done && $0 ~ re {printf "%.0f", $2 / 1048576; done = 1}'
}

measure() { # case-name movies dim registry heap [server args]
  local name=$1 movies=$2 dim=$3 reg=$4 heap=$5; shift 5
  SERVER_JAVA_OPTS="-Xmx$heap -Xms$heap" \
    start_server "$OUT/server-$name.log" --registry "$reg" --model synth --port "$PORT" --metrics-port "$METRICS" --result-cache-size 0 "$@"
  echo "== $name"
  "${CLIENT[@]}" load --target "localhost:$PORT" --concurrency 4 --duration "$DURATION" --warmup 5s --mix recommend=1 \
    --out "$OUT/$name.json" 2>/dev/null | sed -n '2,9p;/Latency distribution/,/99.9/p'
  local heap_mb rss_mb
  heap_mb=$(metric '^jvm_memory_bytes_used\{area="heap"')
  rss_mb=$(metric '^process_resident_memory_bytes')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$movies" "$dim" \
    "$(json "$OUT/$name.json" "round(d['summary']['requests_per_second'])")" \
    "$(json "$OUT/$name.json" "d['latency_ms']['p50']")" "$(json "$OUT/$name.json" "d['latency_ms']['p99']")" \
    "$heap_mb" "$rss_mb" >> "$SUMMARY"
  stop_server
}

for MOVIES in 10000 100000 1000000; do
  REG="$BASE/indexed-movies-$MOVIES"
  synth "$REG" "$MOVIES" 64 10000 20 12g
  measure "movies-$MOVIES" "$MOVIES" 64 "$REG" 6g
  if [ "$MOVIES" -ge 100000 ]; then
    measure "movies-$MOVIES-exact" "$MOVIES" 64 "$REG" 6g --graph-index off
    "${TRAINER[@]}" registry index-recall --registry "$REG" --name synth --users 300 --json "$OUT/recall-$MOVIES.json" | tee "$OUT/recall-$MOVIES.txt"
  fi
done

# 10M movies, 32 dimensions, exact scoring (a graph over 10M movies takes about an hour to build on 2
# cores): the heap it is served in is the point.
REG="$BASE/movies-10000000-dim32"
synth "$REG" 10000000 32 1000 5 16g --ann-min-movies 0 --neighbors 2
measure "movies-10000000" 10000000 32 "$REG" 12g

REG="$BASE/users-1m"
synth "$REG" 10000 64 1000000 5 12g
SERVER_JAVA_OPTS=-Xmx10g start_server "$OUT/server.log" --registry "$REG" --model synth --port "$PORT" --metrics-port "$METRICS" \
  --result-cache-size 0
"${CLIENT[@]}" load --target "localhost:$PORT" --concurrency 4 --duration "$DURATION" --warmup 5s --mix recommend=1 \
  --users zipf:1.1 --user-sample 100000 --unknown-share 0 --out "$OUT/users-1m.json" 2>/dev/null | sed -n '2,9p'
# The fold-in cache (profile_vectors) is for rating profiles; this load sends known users only, so it
# normally shows no lookups: kept for the record, and an empty match must not stop the script.
curl -s "localhost:$METRICS/metrics" | grep -E '^caffeine_cache_(hit|miss|eviction)_total\{cache="profile_vectors"' | tee "$OUT/users-1m-cache.txt" || true
stop_server
column -t "$SUMMARY"
