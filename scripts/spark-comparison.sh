#!/usr/bin/env bash
# RNNprop and Adam on one machine and on Spark in local mode (parameter averaging, gradient sharing): loss per
# round on MNIST (docs/SPARK.md). Needs `mvn install` at the root first. Arguments go to the program, e.g.
# --rounds 20 --workers 2 --frequency 5 --thresholds 1e-3,1e-2 (--help lists them).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rnnprop_require java mvn
rnnprop_fetch_mnist
# ND4J's native ops on one thread (steadier numbers on a shared machine); Spark on the loopback interface only.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086 # MVN_FLAGS is a list of flags
mvn -q ${MVN_FLAGS:-} -f "$RNNPROP_ROOT/examples/spark/pom.xml" compile exec:exec -Dcomparison.args="$*" \
  -Dvector.flag="$(rnnprop_vector_flag)"
