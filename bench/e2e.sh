#!/usr/bin/env bash
# End-to-end benchmark on one machine: a model trained on ml-latest-small (reused when present), the
# server, and the load generator. In one run it measures
#   1. the no-op baseline: gRPC health checks at saturation (closed loop),
#   2. Recommend at saturation (closed loop),
#   3. Recommend at half that rate (open loop, latency from intended send times),
#   4. Recommend for unknown users only, at saturation: the same RPC and reply shape, answered from
#      popularity (no model arithmetic), so it says how much of the gap to the no-op is the RPC's,
#   5. the no-op at the half-load rate of 3 (open loop): the latency floor of the transport and of
#      this machine at that rate, beside which the half-load p99 is read,
# and prints Recommend's throughput as a ratio of the no-op's and its p50/p99 at half load beside
# the no-op's at the same rate.
# Reports (JSON + plots) go to reports/bench/. Usage: bench/e2e.sh [duration, default 30s]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-30s}"
# 20 s: each phase's load client is a fresh JVM and the server meets the phase's RPC for the first
# time; with 10 s, Recommend's first 4 measured seconds ran at 65-80% of its steady rate (both JVMs'
# compilers still busy), with 20 s its first 2 at 85-90% (docs/benchmarks.md, run 26).
WARMUP="${WARMUP:-20s}"
CONCURRENCY="${CONCURRENCY:-32}"
PORT="${PORT:-50061}"
REGISTRY="${REGISTRY:-$PWD/bench-registry}"
OUT="$PWD/reports/bench"
mkdir -p "$OUT"
source bench/common.sh

trained_registry

# The result cache would answer repeated users without scoring: off, so Recommend is measured.
start_server "$OUT/server.log" --registry "$REGISTRY" --port "$PORT" --metrics-port -1 \
  --result-cache-size 0 --max-concurrent-calls 1024

run() { # name, extra args...
  local name=$1; shift
  echo "== $name"
  "${CLIENT[@]}" load --target "localhost:$PORT" --duration "$DURATION" --warmup "$WARMUP" --out "$OUT/$name.json" \
    --plot "$OUT/$name" "$@" 2>"$OUT/$name.progress" | tee "$OUT/$name.txt" | sed -n '1,9p'
}
rps() { json "$1" "d['summary']['requests_per_second']"; }

run noop-saturation --concurrency "$CONCURRENCY" --mix health=1
run recommend-saturation --concurrency "$CONCURRENCY" --mix recommend=1
NOOP=$(rps "$OUT/noop-saturation.json")
REC=$(rps "$OUT/recommend-saturation.json")
HALF=$(python3 -c "print(round($REC / 2))")
run recommend-half-load --rps "$HALF" --mix recommend=1
run recommend-cold-saturation --concurrency "$CONCURRENCY" --mix recommend=1 --unknown-share 1
COLD=$(rps "$OUT/recommend-cold-saturation.json")
run noop-half-load --rps "$HALF" --mix health=1

python3 - "$OUT" "$NOOP" "$REC" "$HALF" "$COLD" <<'PY'
import json, sys
out, noop, rec, half, cold = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
h = json.load(open(f"{out}/recommend-half-load.json"))
n = json.load(open(f"{out}/noop-half-load.json"))
summary = {"noop_rps": noop, "recommend_rps": rec, "ratio": rec / noop, "half_load_rps": half,
           "half_load_p50_ms": h["latency_ms"]["p50"], "half_load_p99_ms": h["latency_ms"]["p99"],
           "half_load_p99_9_ms": h["latency_ms"]["p99_9"], "errors": h["status_codes"],
           "cold_start_rps": cold, "cold_start_ratio": cold / noop,
           "noop_half_load_p50_ms": n["latency_ms"]["p50"], "noop_half_load_p99_ms": n["latency_ms"]["p99"],
           "noop_half_load_p99_9_ms": n["latency_ms"]["p99_9"],
           "half_load_client_send_lag_p99_ms": h.get("send_lag_ms", {}).get("p99"),
           "noop_half_load_client_send_lag_p99_ms": n.get("send_lag_ms", {}).get("p99")}
json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)
print(f"\nno-op saturation {noop:,.0f} req/s; Recommend saturation {rec:,.0f} req/s = {rec / noop:.0%} of the no-op")
print(f"Recommend at {half:,.0f} req/s (open loop): p50 {summary['half_load_p50_ms']:.3f} ms, p99 {summary['half_load_p99_ms']:.3f} ms;"
      f" the no-op at the same rate: p50 {summary['noop_half_load_p50_ms']:.3f} ms, p99 {summary['noop_half_load_p99_ms']:.3f} ms")
if summary["half_load_client_send_lag_p99_ms"] is not None:
    print(f"  the client's own send lag (intended to actual send time, in those latencies): p99 {summary['half_load_client_send_lag_p99_ms']:.3f} ms"
          f" (no-op run: {summary['noop_half_load_client_send_lag_p99_ms']:.3f} ms)")
print(f"Recommend for unknown users only (popularity, no model arithmetic) {cold:,.0f} req/s = {cold / noop:.0%} of the no-op")
PY
