# Shared by the bench scripts (sourced): the JDK, the jars, a server that is started and awaited.
# shellcheck shell=bash
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! "$JAVA" -version 2>&1 | grep -q 'version "2[5-9]'; then
  echo "these scripts need a JDK 25: set JAVA_HOME (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  exit 1
fi
# SERVER_CPUS / CLIENT_CPUS (taskset lists, e.g. 0 and 1): pin the server and the load client to
# their own cores, so that neither takes the other's CPU (on a 2-core machine, the server then runs as
# in the chart's default 1-CPU pod, and the JVM sizes its pools for one core). Unset: not pinned.
CLIENT=(${CLIENT_CPUS:+taskset -c "$CLIENT_CPUS"} "$JAVA" -jar client/target/recsys-client.jar)
TRAINER=("$JAVA" --add-modules jdk.incubator.vector -jar trainer/target/recsys-trainer.jar)
[ -f server/target/recsys-server.jar ] && [ -f client/target/recsys-client.jar ] || ./mvnw -q -B -DskipTests package

# The server's JVM options: by default the heap the measurements chose for the chart (G1, fixed and
# pre-touched; bench/jvm-flags.sh), at 1 GB; SERVER_JAVA_OPTS replaces them (empty: the JVM's defaults).
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS-"-XX:+UseG1GC -Xms1g -Xmx1g -XX:+AlwaysPreTouch"}"

# The server's jar; another build's (copied into server/target/, beside the lib/ folder its manifest
# names) for a before/after of a code change.
SERVER_JAR="${SERVER_JAR:-server/target/recsys-server.jar}"

# start_server LOG ARGS...: starts recsys-server ($SERVER_JAR, JVM options from $SERVER_JAVA_OPTS)
# in the background, pid in $SERVER, and waits until it answers health checks; stopped when the
# script exits.
start_server() {
  local log=$1; shift
  # shellcheck disable=SC2086
  # The vector module, as in the Jib images (whose flags the trainer shares: its ALS kernels run 4.7x
  # faster with it). For the server's graph search it measured a tie here (docs/benchmarks.md).
  ${SERVER_CPUS:+taskset -c "$SERVER_CPUS"} "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED ${SERVER_JAVA_OPTS:-} \
    -jar "$SERVER_JAR" "$@" > "$log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  local port
  port=$(printf '%s\n' "$@" | grep -A1 -x -- '--port' | tail -1)
  for _ in $(seq 1 300); do
    "${CLIENT[@]}" health --target "localhost:$port" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER" 2>/dev/null || { echo "the server exited; see $log" >&2; exit 1; }
    sleep 1
  done
  echo "the server did not become healthy; see $log" >&2
  exit 1
}

stop_server() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}

# trained_registry: trains the default model on ml-latest-small into $REGISTRY and promotes it,
# unless the registry already has a production version (the e2e, soak and per-call benchmarks
# measure the same model).
trained_registry() {
  if [ ! -f "$REGISTRY/movielens/aliases/production.json" ]; then
    "${TRAINER[@]}" train --data ml-latest-small --registry "$REGISTRY" --promote production
  fi
}

# json FILE EXPR: a value out of a JSON report (EXPR indexes the parsed object `d`).
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
