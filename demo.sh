#!/usr/bin/env bash
# The main job: build, then load the default data set (ml-latest-small) and report it.
# It grows with the project into: train, publish and promote, serve, show recommendations.
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q -B -DskipTests package
java -jar trainer/target/recsys-trainer.jar data info --data "${RECSYS_DATASET:-ml-latest-small}"
