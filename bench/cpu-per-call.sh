#!/usr/bin/env bash
# The server's CPU per call at a fixed rate: a finer gauge than saturation throughput for changes
# that save a few percent of the server's CPU (saturation moves ~10% from run to run on a shared VM).
# For each server JVM option set, alternating over ROUNDS rounds: start the server, drive Recommend
# in an open loop at RATE calls/s (a rate both processes sustain on this machine) for a warm-up and
# DURATION, and read the server process's CPU time (user + system, /proc/PID/stat) over the measured
# window only. Prints, per set and round, server CPU microseconds per call, the machine's
# (all processes') and the p99; the median per set at the end. Linux only.
# Usage: bench/cpu-per-call.sh [duration, default 20s] -- NAME='JVM options' NAME='JVM options' ...
# e.g.   bench/cpu-per-call.sh 20s -- leak-on='-Dio.grpc.netty.shaded.io.netty.leakDetection.level=simple' leak-off=''
# RATE (default 8000), ROUNDS (default 3), WARMUP (default 10s). Each set's options are added to the
# bench scripts' default server options (bench/common.sh). Reports go to reports/bench/cpu/.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-20s}"
shift || true
[ "${1:-}" = "--" ] && shift
[ $# -ge 1 ] || { echo "usage: bench/cpu-per-call.sh [duration] -- NAME='JVM options' ..." >&2; exit 2; }
RATE="${RATE:-8000}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-10s}"
PORT="${PORT:-50071}"
REGISTRY="${REGISTRY:-$PWD/bench-registry}"
OUT="$PWD/reports/bench/cpu"
mkdir -p "$OUT"
source bench/common.sh
BASE_OPTS="$SERVER_JAVA_OPTS"
TICKS=$(getconf CLK_TCK)

if [ ! -f "$REGISTRY/movielens/aliases/production.json" ]; then
  "${TRAINER[@]}" train --data ml-latest-small --registry "$REGISTRY" --promote production
fi

process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
seconds() { python3 -c "import sys,re; m=re.fullmatch(r'(\d+)(ms|s|m)', sys.argv[1]); print(int(m[1]) * {'ms': 0.001, 's': 1, 'm': 60}[m[2]])" "$1"; }
# The CPU is read over a window inside the load's measured one (2 s in from each end: the client's
# own start-up shifts its clock by a second or less), at the measured rate.
WARMUP_S=$(seconds "$WARMUP")
DURATION_S=$(seconds "$DURATION")
WINDOW_S=$(python3 -c "print($DURATION_S - 4)")
python3 -c "import sys; sys.exit(0 if $WINDOW_S >= 6 else 1)" || { echo "duration must be at least 10 s" >&2; exit 2; }

RESULTS="$OUT/results.tsv"
printf 'set\tround\tcalls\tserver_us_per_call\tmachine_us_per_call\tp99_ms\n' > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    name="${spec%%=*}"
    opts="${spec#*=}"
    SERVER_JAVA_OPTS="$BASE_OPTS $opts" start_server "$OUT/$name-$round.log" --registry "$REGISTRY" --port "$PORT" \
      --metrics-port -1 --result-cache-size 0
    "${CLIENT[@]}" load --target "localhost:$PORT" --rps "$RATE" --warmup "$WARMUP" --duration "$DURATION" --mix recommend=1 \
      --out "$OUT/$name-$round.json" > "$OUT/$name-$round.txt" 2>&1 &
    LOAD=$!
    sleep "$(python3 -c "print($WARMUP_S + 2)")"
    s0=$(process_ticks "$SERVER"); m0=$(machine_ticks)
    sleep "$WINDOW_S"
    s1=$(process_ticks "$SERVER"); m1=$(machine_ticks)
    wait "$LOAD"
    stop_server
    python3 - "$OUT/$name-$round.json" "$name" "$round" "$((s1 - s0))" "$((m1 - m0))" "$TICKS" "$WINDOW_S" >> "$RESULTS" <<'PY'
import json, sys
report, name, rnd, server, machine, ticks, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
d = json.load(open(report))
calls = d["summary"]["requests_per_second"] * seconds  # calls answered in the window the CPU was read over, at the measured rate
us = lambda t: t / ticks * 1e6 / calls
print(f"{name}\t{rnd}\t{calls:.0f}\t{us(server):.1f}\t{us(machine):.1f}\t{d['latency_ms']['p99']:.2f}")
PY
    tail -1 "$RESULTS"
  done
done
python3 - "$RESULTS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("median over rounds (server CPU us per call; machine CPU us per call):")
for name in dict.fromkeys(r["set"] for r in rows):
    mine = [r for r in rows if r["set"] == name]
    s = [float(r["server_us_per_call"]) for r in mine]
    m = [float(r["machine_us_per_call"]) for r in mine]
    print(f"  {name}: server {statistics.median(s):.1f} [{min(s):.1f}, {max(s):.1f}], machine {statistics.median(m):.1f} [{min(m):.1f}, {max(m):.1f}]")
PY
