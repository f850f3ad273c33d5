#!/usr/bin/env bash
# The project's main job, in one command on a fresh machine (JDK 17+, Maven, npm, network):
#
#   scripts/demo.sh [--optimizer NAME] [--steps N] [--out DIR] [--seed S] [--frameworks djl,dl4j] [--help]
#
# 1. fetches MNIST (scripts/fetch-mnist.sh; nothing is downloaded if it is already there),
# 2. builds the examples module and the modules it needs (Maven downloads missing dependencies),
# 3. runs org.rnnprop.examples.Demo with the arguments given: the base MLP (784-20 sigmoid-10) trained on MNIST
#    with the shipped RNNprop and with Adam (2^-5 and 1e-3), in DJL and in DL4J, from the same initial
#    parameters on the same minibatches. It prints a table and writes loss-curves.png, loss-curves.csv and
#    summary.txt to --out (default: demo-output/ in the current directory).
#
# Exit status: the demo's (0 ok; 2 if --optimizer names an optimizer that is not shipped, or a bad option;
# 1 on other errors), or 1 if fetching or building fails.
#
# Environment: MVN_FLAGS (extra Maven flags, e.g. "-o" to build offline), JAVA_OPTS (extra JVM options),
# RNNPROP_DATA (data folder; MNIST goes to $RNNPROP_DATA/mnist, default ~/.cache/rnnprop/mnist),
# OMP_NUM_THREADS (ND4J's native threads; default 1 here: the tensors are tiny, extra threads only cost).
set -euo pipefail

die() { echo "demo: ERROR: $*" >&2; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

command -v java >/dev/null 2>&1 || die "java not found (JDK 17 or newer is needed)"
command -v mvn >/dev/null 2>&1 || die "mvn not found (Apache Maven is needed to build)"

# Quiet Maven; the sed drops the colour codes some Maven versions print even in batch mode.
# shellcheck disable=SC2086 # MVN_FLAGS is a list of flags
mvn_quiet() { mvn -q -B ${MVN_FLAGS:-} -f "$root/pom.xml" "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'; }

"$root/scripts/fetch-mnist.sh" || die "could not fetch MNIST (see the message above)"

echo "demo: building (mvn install -pl examples -am; the first build downloads dependencies) ..."
mvn_quiet install -DskipTests -pl examples -am \
  || die "the Maven build failed (see above)"

cp_file="$(mktemp "${TMPDIR:-/tmp}/demo-cp.XXXXXX")"
trap 'rm -f "$cp_file"' EXIT
mvn_quiet -pl examples dependency:build-classpath -Dmdep.outputFile="$cp_file" \
  || die "could not resolve the class path of the examples module"
classpath="$root/examples/target/classes:$(cat "$cp_file")"

export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# Run from the caller's directory, so a relative --out lands there. Not exec: the trap removes the temp file.
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
java ${JAVA_OPTS:-} -Dai.djl.offline=true -Djava.awt.headless=true -cp "$classpath" \
  org.rnnprop.examples.Demo "$@"
