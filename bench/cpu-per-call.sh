#!/usr/bin/env bash
# The server's CPU per call at a fixed rate: a finer gauge than saturation throughput for changes
# that save a few percent of the server's CPU (saturation moves ~10% from run to run on a shared VM).
# For each set, alternating over ROUNDS rounds: start the server, drive Recommend in an open loop at
# RATE calls/s for a warm-up and DURATION, and read the scheduler's accounting of every server thread
# (/proc/PID/task/*/schedstat: time on a CPU, time waiting in a run queue, timeslices) over a window
# inside the measured one. Prints per set and round: server CPU, run-queue wait and timeslices per
# call, and the client's p99; per thread group in reports/bench/cpu/NAME-ROUND.threads.txt; the median
# per set at the end. Linux only.
# Usage: bench/cpu-per-call.sh [duration, default 20s] -- NAME='[jar:PATH] [JVM options] [-- server flags]' ...
#   JVM options are added to the bench scripts' defaults (bench/common.sh); jar:PATH runs another
#   build of the server (a copy in server/target/, beside its lib/ folder); flags after " -- " go to
#   the server. E.g.
#   bench/cpu-per-call.sh 20s -- leak-on='-Dio.grpc.netty.shaded.io.netty.leakDetection.level=simple' leak-off=''
#   bench/cpu-per-call.sh 20s -- before='jar:server/target/before.jar' after=''
#   bench/cpu-per-call.sh 20s -- workers-4='' workers-2='-- --worker-threads 2'
# RATE (default 3000: about half of what this 2-core VM sustains with the client on it), ROUNDS
# (default 3), WARMUP (default 10s). Reports go to reports/bench/cpu/.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-20s}"
shift || true
[ "${1:-}" = "--" ] && shift
[ $# -ge 1 ] || { echo "usage: bench/cpu-per-call.sh [duration] -- NAME='[jar:PATH] [JVM options] [-- server flags]' ..." >&2; exit 2; }
RATE="${RATE:-3000}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-10s}"
PORT="${PORT:-50071}"
REGISTRY="${REGISTRY:-$PWD/bench-registry}"
OUT="$PWD/reports/bench/cpu"
mkdir -p "$OUT"
source bench/common.sh
BASE_OPTS="$SERVER_JAVA_OPTS"
BASE_JAR="$SERVER_JAR"

trained_registry

seconds() { python3 -c "import sys,re; m=re.fullmatch(r'(\d+)(ms|s|m)', sys.argv[1]); print(int(m[1]) * {'ms': 0.001, 's': 1, 'm': 60}[m[2]])" "$1"; }
# Per thread group: nanoseconds on a CPU, nanoseconds waiting to run, timeslices (JSON).
threads() { python3 bench/thread-cpu.py snapshot "$1"; }
# The accounting is read over a window inside the load's measured one (2 s in from each end: the
# client's own start-up shifts its clock by a second or less), at the measured rate.
WARMUP_S=$(seconds "$WARMUP")
DURATION_S=$(seconds "$DURATION")
WINDOW_S=$(python3 -c "print($DURATION_S - 4)")
python3 -c "import sys; sys.exit(0 if $WINDOW_S >= 6 else 1)" || { echo "duration must be at least 10 s" >&2; exit 2; }

RESULTS="$OUT/results.tsv"
printf 'set\tround\tcalls\tserver_cpu_us_per_call\trun_queue_wait_us_per_call\ttimeslices_per_call\tp99_ms\n' > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    name="${spec%%=*}"
    opts="${spec#*=}"
    jar="$BASE_JAR"
    flags=""
    if [[ " $opts" == *" -- "* ]]; then
      flags="${opts#*-- }"
      opts="${opts%%-- *}"
    fi
    if [[ "$opts" == jar:* ]]; then
      jar="${opts%% *}"; jar="${jar#jar:}"
      [[ "$opts" == *" "* ]] && opts="${opts#* }" || opts=""
    fi
    SERVER_JAR="$jar" SERVER_JAVA_OPTS="$BASE_OPTS $opts" start_server "$OUT/$name-$round.log" --registry "$REGISTRY" --port "$PORT" \
      --metrics-port -1 --result-cache-size 0 $flags  # unquoted: the set's flags, split into words
    "${CLIENT[@]}" load --target "localhost:$PORT" --rps "$RATE" --warmup "$WARMUP" --duration "$DURATION" --mix recommend=1 \
      --out "$OUT/$name-$round.json" > "$OUT/$name-$round.txt" 2>&1 &
    LOAD=$!
    sleep "$(python3 -c "print($WARMUP_S + 2)")"
    threads "$SERVER" > "$OUT/$name-$round.before"
    sleep "$WINDOW_S"
    threads "$SERVER" > "$OUT/$name-$round.after"
    wait "$LOAD"
    stop_server
    python3 - "$OUT/$name-$round" "$name" "$round" "$WINDOW_S" >> "$RESULTS" <<'PY'
import json, sys
base, name, rnd, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
before, after = json.load(open(base + ".before")), json.load(open(base + ".after"))
d = json.load(open(base + ".json"))
calls = d["summary"]["requests_per_second"] * seconds  # answered in the window read, at the measured rate
per = {g: [(after[g][i] - before.get(g, [0, 0, 0])[i]) / calls for i in range(3)] for g in after}
with open(base + ".threads.txt", "w") as out:
    out.write("thread group\tcpu us/call\trun-queue wait us/call\ttimeslices/call\n")
    for g, (cpu, wait, slices) in sorted(per.items(), key=lambda kv: -kv[1][0]):
        if cpu > 100 or wait > 100:  # nanoseconds per call
            out.write(f"{g}\t{cpu / 1e3:.1f}\t{wait / 1e3:.1f}\t{slices:.2f}\n")
total = [sum(v[i] for v in per.values()) for i in range(3)]
print(f"{name}\t{rnd}\t{calls:.0f}\t{total[0] / 1e3:.1f}\t{total[1] / 1e3:.1f}\t{total[2]:.2f}\t{d['latency_ms']['p99']:.2f}")
PY
    tail -1 "$RESULTS"
  done
done
python3 - "$RESULTS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("median [range] over rounds, per call: server CPU us; run-queue wait us; timeslices")
for name in dict.fromkeys(r["set"] for r in rows):
    mine = [r for r in rows if r["set"] == name]
    cols = []
    for c in ("server_cpu_us_per_call", "run_queue_wait_us_per_call", "timeslices_per_call"):
        v = [float(r[c]) for r in mine]
        cols.append(f"{statistics.median(v):.2f} [{min(v):.2f}, {max(v):.2f}]")
    print(f"  {name}: " + "; ".join(cols))
PY
