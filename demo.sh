#!/usr/bin/env bash
# The main job: build, train on the default data set (ml-latest-small), publish and promote the
# version, then show what it learned. Grows with the server into: serve, and show recommendations
# through the client.
set -euo pipefail
cd "$(dirname "$0")"
DATASET="${RECSYS_DATASET:-ml-latest-small}"
REGISTRY="${RECSYS_REGISTRY:-$PWD/registry}"
MODEL="${RECSYS_MODEL:-movielens}"
./mvnw -q -B -DskipTests package
java -jar trainer/target/recsys-trainer.jar train --data "$DATASET" --registry "$REGISTRY" --name "$MODEL" \
  --promote production --out "$PWD/reports/train"
java -jar trainer/target/recsys-trainer.jar registry list --registry "$REGISTRY" --name "$MODEL"
java -jar trainer/target/recsys-trainer.jar similar --registry "$REGISTRY" --name "$MODEL" --k 5 "Toy Story" "The Matrix"
