#!/usr/bin/env bash
# The main job, from a fresh clone: build; train every model on the default data set
# (ml-latest-small), publish the version into ./registry and promote it to production; start the
# gRPC server on it (left running); show recommendations and similar movies through the client.
set -euo pipefail
cd "$(dirname "$0")"
DATASET="${RECSYS_DATASET:-ml-latest-small}"
REGISTRY="${RECSYS_REGISTRY:-$PWD/registry}"
MODEL="${RECSYS_MODEL:-movielens}"
PORT="${RECSYS_PORT:-50051}"
METRICS_PORT="${RECSYS_METRICS_PORT:-9091}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! "$JAVA" -version 2>&1 | grep -q 'version "2[5-9]'; then
  echo "demo.sh needs a JDK 25: set JAVA_HOME (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  exit 1
fi
CLIENT=("$JAVA" -jar client/target/recsys-client.jar)
# Model changes through the server (promote, rollback) need this token: made once, kept private.
ADMIN_TOKEN_FILE="${RECSYS_ADMIN_TOKEN_FILE:-$PWD/.recsys/admin-token}"

echo "== build"
./mvnw -q -B -DskipTests package

echo "== train on $DATASET, publish and promote"
"$JAVA" --add-modules jdk.incubator.vector -jar trainer/target/recsys-trainer.jar train --data "$DATASET" --registry "$REGISTRY" --name "$MODEL" \
  --promote production --out "$PWD/reports/train"

echo "== start the server on port $PORT (metrics on $METRICS_PORT)"
if [ -f .recsys-server.pid ] && kill -0 "$(cat .recsys-server.pid)" 2>/dev/null; then
  echo "stopping the server started by an earlier run (pid $(cat .recsys-server.pid))"
  kill "$(cat .recsys-server.pid)"; sleep 2
fi
mkdir -p reports "$(dirname "$ADMIN_TOKEN_FILE")"
if [ ! -s "$ADMIN_TOKEN_FILE" ]; then
  (umask 077; head -c 32 /dev/urandom | base64 > "$ADMIN_TOKEN_FILE")
fi
nohup "$JAVA" --add-modules jdk.incubator.vector -jar server/target/recsys-server.jar --registry "$REGISTRY" --model "$MODEL" --port "$PORT" \
  --metrics-port "$METRICS_PORT" --admin-token-file "$ADMIN_TOKEN_FILE" --allow-plaintext-tokens > reports/server.log 2>&1 &
echo $! > .recsys-server.pid
for _ in $(seq 1 120); do
  if "${CLIENT[@]}" health --target "localhost:$PORT" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$(cat .recsys-server.pid)" 2>/dev/null; then echo "the server exited; see reports/server.log"; exit 1; fi
  sleep 1
done
"${CLIENT[@]}" health --target "localhost:$PORT"

echo "== recommendations for user 1, and for a new user who rates three movies"
"${CLIENT[@]}" recommend --target "localhost:$PORT" --user 1 --k 10
"${CLIENT[@]}" rate --target "localhost:$PORT" --k 5 "Toy Story=5" "Finding Nemo=4.5" "The Matrix=2"
echo "== similar movies"
"${CLIENT[@]}" similar --target "localhost:$PORT" --title "The Matrix" --k 5
"${CLIENT[@]}" models status --target "localhost:$PORT"
echo
echo "The server is still running (pid $(cat .recsys-server.pid), log reports/server.log, metrics http://localhost:$METRICS_PORT/metrics)."
echo "Try: java -jar client/target/recsys-client.jar shell      Stop it: kill \$(cat .recsys-server.pid)"
echo "Promote or roll back through the server with the admin token: ... models promote --version N --token-file $ADMIN_TOKEN_FILE"
