#!/usr/bin/env bash
# Builds the library example against the installed sit artifacts and runs a short experiment
# through the public engine API. Needs `mvn -q install -DskipTests` once in the sit repository.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="$(cat target/classpath.txt)"
cd "$ROOT"
OMP_WAIT_POLICY=PASSIVE exec java -cp "$HERE/target/sit-library-example-1.0.jar:$CP" \
  dev.sit.example.library.RunExperiment experiments/quickstart.yaml \
  "${@:-train.max_steps=20}" train.log_every=5 "results_dir=$HERE/target/results" "loggers=[metrics-file]" \
  "sample=[{mode: ODE, method: euler, num_steps: 5, labels: [0, 1, 2, 3]}]"
