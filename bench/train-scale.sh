#!/usr/bin/env bash
# How `train` grows with the data: synthetic MovieLens-shaped sets with planted structure (so every
# run is also a quality run) at 100k, 1M, 5M and 25M ratings; wall time and peak memory per stage,
# the models' validation quality, the planted segments' recovery and the generator's noise floor.
# Writes docs/results/scale/ (scale.md, scale.json, scale-stages.png).
#   bench/train-scale.sh [sizes...]     e.g. bench/train-scale.sh 100k 1m 5m   (default: 100k 1m 5m 25m)
# Heap: 8 GB (the issue's limit), override with HEAP=12g. The 25M run takes a long time on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
[ -f trainer/target/recsys-trainer.jar ] || ./mvnw -q -B -DskipTests package
HEAP="${HEAP:-8g}"
WORK="${WORK:-$PWD/bench-train-scale}"
OUT="${OUT:-docs/results/scale}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100k 1m 5m 25m)
# A snapshot of the trainer: a rebuild while a long run is going does not pull the jars from under it.
SNAP="$WORK/trainer-jar"
rm -rf "$SNAP"; mkdir -p "$SNAP"; cp trainer/target/recsys-trainer.jar "$SNAP/"; cp -r trainer/target/lib "$SNAP/"
T=("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$SNAP/recsys-trainer.jar")
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time (/usr/bin/time) for peak memory: apt-get install time" >&2; exit 1; }
mkdir -p "$WORK/runs" "$OUT"
GIT_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

shape() { # size -> generator arguments (ml-100k, ml-1m and ml-25m shapes; 5M in between)
  case "$1" in
    100k) echo "--ratings 100000 --users 943 --movies 1682" ;;
    1m) echo "--ratings 1000000 --users 6040 --movies 3706" ;;
    5m) echo "--ratings 5000000 --users 32508 --movies 20000" ;;
    25m) echo "--ratings 25000000 --users 162541 --movies 59047" ;;
    *) echo "unknown size $1 (100k, 1m, 5m, 25m)" >&2; exit 1 ;;
  esac
}

for SIZE in "${SIZES[@]}"; do
  shape "$SIZE" > /dev/null || exit 1   # refuse an unknown size before any run starts
done

for SIZE in "${SIZES[@]}"; do
  DATA="$WORK/data-$SIZE"
  [ -f "$DATA/ratings.csv" ] || "${T[@]}" data synth --out "$DATA" $(shape "$SIZE") --seed 42 2>/dev/null
  RUN="$WORK/runs/$SIZE"
  rm -rf "$RUN" "$WORK/registry-$SIZE"; mkdir -p "$RUN"
  echo "== train on $SIZE ($(shape "$SIZE")), heap $HEAP" >&2
  "$TIME" -v -o "$RUN/time.txt" "$JAVA" -Xmx"$HEAP" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$SNAP/recsys-trainer.jar" \
    train --data "$DATA" --registry "$WORK/registry-$SIZE" --name "synth-$SIZE" --timings "$RUN/timings.json" \
    > "$RUN/train.txt" 2> "$RUN/progress.log"
  grep -E "Elapsed|Maximum resident" "$RUN/time.txt" >&2
done
MACHINE="commit $GIT_COMMIT, $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(date -u +%Y-%m-%d)"
"${T[@]}" data scale-report --runs "$WORK/runs" --out "$OUT" --machine "$MACHINE"
