#!/usr/bin/env bash
# The paper reproduction suite: every test of RNNPROP.md section 4 with tuned baselines and the learned
# optimizers, the ten claims of section 5, written to docs/RESULTS.md (+ docs/results/: CSV files, figures).
# Finished runs are cached (runs/evaluation/), so the same command resumes after a stop. All arguments go to
# org.rnnprop.evaluation.EvaluateCli; --help lists them.
#
#   scripts/evaluate.sh                                    # the full suite: hours
#   scripts/evaluate.sh --quick                            # every test, short, 2 runs: minutes
#   scripts/evaluate.sh --tests mnist-relu-100,lstm-* --runs 20
#   scripts/evaluate.sh --cifar ~/data/cifar-10-batches-bin --weights rnnprop=my-rnnprop.json
#   scripts/evaluate.sh --list
#   scripts/evaluate.sh --estimate --tests 'lenet5-*'          # cost of a test, from a few timed steps
#   scripts/evaluate.sh --tests 'mnist-relu128-*' --candidate v3=new.json --out DIR --report DIR/RESULTS.md
#   (tests beyond the paper's and --candidate: docs/BEYOND-THE-PAPER.md)
#
# Environment:
#   JAVA_OPTS       extra JVM options (default heap -Xmx6g; CIFAR-10 alone takes about 1.3 GB of it)
#   EVAL_SKIP_BUILD=1  reuse the last build
#   MVN_FLAGS       extra Maven flags, e.g. -o to stay offline
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ "${EVAL_SKIP_BUILD:-0}" != "1" ]]; then
  scripts/fetch-mnist.sh >/dev/null
  # shellcheck disable=SC2086
  mvn -q -B ${MVN_FLAGS:-} install -DskipTests -pl evaluation -am >&2
  # shellcheck disable=SC2086
  mvn -q -B ${MVN_FLAGS:-} -pl evaluation dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt >&2
fi
# One PyTorch thread per worker: the suite runs one optimizee per worker thread (--threads), and the tensors
# are small, where PyTorch's own thread pool only adds overhead.
# shellcheck disable=SC2086
exec java -Xmx6g ${JAVA_OPTS:-} \
  -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -Djava.awt.headless=true \
  -cp "evaluation/target/classes:$(cat evaluation/target/classpath.txt)" \
  org.rnnprop.evaluation.EvaluateCli "$@"
