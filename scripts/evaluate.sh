#!/usr/bin/env bash
# The paper reproduction suite: every test of the paper (docs/SPEC.md, "Experiments") with tuned baselines and
# the learned optimizers, and the paper's ten claims, written to docs/RESULTS.md (+ docs/results/: CSV files,
# figures). Finished runs are cached (runs/evaluation/), so the same command resumes after a stop. All
# arguments go to org.rnnprop.evaluation.EvaluateCli; --help lists them.
#
#   scripts/evaluate.sh                                    # the full suite: hours
#   scripts/evaluate.sh --quick                            # every test, short, 2 runs: minutes
#   scripts/evaluate.sh --tests mnist-relu-100,lstm-* --runs 20
#   scripts/evaluate.sh --cifar ~/data/cifar-10-batches-bin --weights rnnprop=my-rnnprop.json
#   scripts/evaluate.sh --list
#   scripts/evaluate.sh --estimate --tests 'lenet5-*'          # cost of a test, from a few timed steps
#   scripts/evaluate.sh --tests 'mnist-relu128-*' --candidate v3=new.json --out DIR --report DIR/RESULTS.md
#   scripts/evaluate.sh --learned-only --candidate v3=new.json --out DIR --report DIR/RESULTS.md   # no baselines
#   (tests beyond the paper's, --candidate and --learned-only: docs/BEYOND-THE-PAPER.md)
#
# It runs in the current directory, like every script here (scripts/lib.sh): the default places (docs/,
# runs/evaluation/, runs/v2/) are the committed report's when run from the repository root.
# Environment: see scripts/lib.sh (JAVA_OPTS, default heap -Xmx6g, CIFAR-10 alone takes about 1.3 GB of it;
# RNNPROP_SKIP_BUILD=1, or EVAL_SKIP_BUILD=1, to reuse the last build; MVN_FLAGS, e.g. -o to stay offline).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rnnprop_require java mvn
RNNPROP_SKIP_BUILD="${RNNPROP_SKIP_BUILD:-${EVAL_SKIP_BUILD:-0}}"
[[ "$RNNPROP_SKIP_BUILD" == "1" ]] || rnnprop_fetch_mnist
classpath="$(rnnprop_classpath evaluation)"
# One PyTorch thread per worker: the suite runs one optimizee per worker thread (--threads), and the tensors
# are small, where PyTorch's own thread pool only adds overhead.
# shellcheck disable=SC2046,SC2086 # the vector flag and JAVA_OPTS are lists of options
exec java -Xmx6g $(rnnprop_vector_flag) ${JAVA_OPTS:-} \
  -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -Djava.awt.headless=true \
  -cp "$classpath" org.rnnprop.evaluation.EvaluateCli "$@"
