#!/usr/bin/env bash
# Chooses the server's JVM flags by measurement: runs bench/e2e.sh once per flag set, alternating
# the sets over ROUNDS rounds (so drift in the machine hits every set alike), with a GC log per run,
# and prints each set's Recommend/no-op ratio, half-load p50/p99 and GC pause total per round.
# Reports go to reports/bench/jvm/. Usage: bench/jvm-flags.sh [duration, default 30s]
# ROUNDS (default 2) and HEAP (default 1g, the fixed-heap sets' -Xms/-Xmx) can be set.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-30s}"
ROUNDS="${ROUNDS:-2}"
HEAP="${HEAP:-1g}"
OUT="$PWD/reports/bench/jvm"
mkdir -p "$OUT"

FIXED="-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch"
declare -A SETS=(
  [default]=""
  [g1-fixed]="-XX:+UseG1GC $FIXED"
  [parallel-fixed]="-XX:+UseParallelGC $FIXED"
  [zgc-fixed]="-XX:+UseZGC $FIXED"
)
ORDER=(default g1-fixed parallel-fixed zgc-fixed)

for round in $(seq 1 "$ROUNDS"); do
  for name in "${ORDER[@]}"; do
    echo "== round $round: $name (${SETS[$name]:-JVM defaults})"
    SERVER_JAVA_OPTS="${SETS[$name]} -Xlog:gc,gc+phases:file=$OUT/$name-$round.gc.log" bench/e2e.sh "$DURATION" | tail -2
    cp reports/bench/summary.json "$OUT/$name-$round.json"
  done
done

python3 - "$OUT" "$ROUNDS" "${ORDER[@]}" <<'PY'
import json, re, sys
out, rounds, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def pauses(path):
    # Unified GC log lines end in "<ms>ms" for pauses (G1/Parallel/Serial) and ZGC's "Pause ..." phases.
    total, count = 0.0, 0
    for line in open(path):
        if "Pause" in line:
            m = re.search(r"([0-9.]+)ms\s*$", line)
            if m:
                total += float(m.group(1)); count += 1
    return total, count
rows = []
print(f"{'flags':16} {'round':>5} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'pauses':>7} {'pause ms':>9}")
for name in names:
    for r in range(1, rounds + 1):
        s = json.load(open(f"{out}/{name}-{r}.json"))
        total, count = pauses(f"{out}/{name}-{r}.gc.log")
        rows.append({"flags": name, "round": r, **s, "gc_pauses": count, "gc_pause_ms": total})
        print(f"{name:16} {r:>5} {s['ratio']:>6.1%} {s['half_load_p50_ms']:>7.2f} {s['half_load_p99_ms']:>7.2f} {count:>7} {total:>9.1f}")
json.dump(rows, open(f"{out}/summary.json", "w"), indent=2)
PY
