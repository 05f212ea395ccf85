#!/usr/bin/env bash
# Re-measures every quality table of docs/ranking-models.md and docs/rating-models.md with the honest
# protocol (every choice on validation carved from training; test figures computed once), writing raw
# output and JSON to docs/results/quality/. About 20 minutes on 2 cores.
#   RECSYS_DATA_DIR=../shared/data bench/quality.sh [outdir]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
[ -f trainer/target/recsys-trainer.jar ] || ./mvnw -q -B -DskipTests package
OUT=${1:-docs/results/quality}
mkdir -p "$OUT"
T=("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar trainer/target/recsys-trainer.jar)
PLANTED=$(mktemp -d)
trap 'rm -rf "$PLANTED"' EXIT

run() { # name, then trainer arguments; console tables to $OUT/name.txt (progress lines dropped)
  local name=$1; shift
  echo "== $name: ${*}" >&2
  "${T[@]}" "$@" 2> "$OUT/$name.progress.log" | tee "$OUT/$name.txt"
}

# Planted structure (2,000 users, 1,500 movies, 200k ratings, 7 segments), ml-1m-like density.
"${T[@]}" data synth --out "$PLANTED/planted" --ratings 200000 --users 2000 --movies 1500 --seed 11 2>/dev/null
cp "$PLANTED/planted/planted.json" "$OUT/planted-generator.json"

run ranking-ml-100k evaluate --data ml-100k --task ranking --protocol per-user:0.25 --repeats 3 --report "$OUT/ranking-ml-100k.json"
run ranking-planted evaluate --data "$PLANTED/planted" --task ranking --protocol per-user:0.25 --repeats 3 --report "$OUT/ranking-planted.json"
run ranking-ml-latest-small evaluate --data ml-latest-small --task ranking --protocol per-user:0.25 --report "$OUT/ranking-ml-latest-small.json"
run cold-start-ml-100k evaluate --data ml-100k --task cold-start --report "$OUT/cold-start-ml-100k.json"
run cold-start-ml-latest-small evaluate --data ml-latest-small --task cold-start --report "$OUT/cold-start-ml-latest-small.json"
run segments-planted evaluate --data "$PLANTED/planted" --task segments --report "$OUT/segments-planted.json"
run rating-ml-100k evaluate --data ml-100k --task rating --protocol kfold:5 --report "$OUT/rating-ml-100k.json"
echo "results in $OUT" >&2
