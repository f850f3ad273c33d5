#!/usr/bin/env bash
# Meta-training command line (train / validate / export / benchmark / inspect); see docs/META-TRAINING.md.
#   scripts/meta-train.sh train --recipe rnnprop --run-dir runs/rnnprop [--resume] ...
#   scripts/meta-train.sh validate --weights FILE --runs 20
#   scripts/meta-train.sh export --run-dir runs/rnnprop --out rnnprop.json --select ema
#   scripts/meta-train.sh benchmark --recipe rnnprop --iterations 5
#   scripts/meta-train.sh --help
# Fetches MNIST, builds the meta-training module, then runs org.rnnprop.meta.MetaTrainCli in the current
# directory (relative paths are yours). Environment: see scripts/lib.sh (MVN_FLAGS, e.g. -o to stay offline;
# JAVA_OPTS, e.g. -Dai.djl.pytorch.num_threads=1; RNNPROP_SKIP_BUILD=1); OMP_WAIT_POLICY (default PASSIVE).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rnnprop_require java mvn
rnnprop_fetch_mnist
classpath="$(rnnprop_classpath meta-training)"
# PyTorch's OpenMP threads otherwise spin-wait (GNU OpenMP's default) after each optimizee gradient, holding a
# core the optimizer's kernel needs next; sleeping instead changes no result.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# shellcheck disable=SC2046,SC2086 # the vector flag and JAVA_OPTS are lists of options
exec java -Xmx6g $(rnnprop_vector_flag) -Djava.awt.headless=true -Dai.djl.offline=true ${JAVA_OPTS:-} \
  -cp "$classpath" org.rnnprop.meta.MetaTrainCli "$@"
