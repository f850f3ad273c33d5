#!/usr/bin/env bash
# RNNprop with its LSTM state stored in 16 bits (float16, bfloat16), or in a simulated blockwise 8 bits (int8-h,
# int8-hc: evaluation's Int8StateStep), against float32 state: trains each test with paired seeds under every
# precision and writes OUT/REPORT.md (final-loss differences with standard errors,
# bytes of state per parameter, kernel throughput), OUT/TEST-curves.csv, OUT/TEST-final.csv, OUT/TEST.png and OUT/TEST-difference.png.
# Finished runs are cached (runs/state-precision/TEST.csv, or --work DIR): the same command resumes after a stop.
# All arguments go to org.rnnprop.evaluation.StatePrecisionCli; --help lists them.
#
#   scripts/state-precision.sh                                   # base MLP 10,000 steps, MNIST CNNs, LSTMs: hours
#   scripts/state-precision.sh --tests lstm-sine-100 --runs 2 --steps 20 --out /tmp/sp   # a check: seconds
#   scripts/state-precision.sh --threads 2 --out docs/state-precision
#   scripts/state-precision.sh --precisions float32,float16,int8-h,int8-hc --out /tmp/sp8   # the 8-bit experiment
#
# The largest DL4J network each precision trains: scripts/benchmark.sh --largest-dl4j (see its --help).
# Environment: see scripts/lib.sh (JAVA_OPTS, default heap -Xmx4g; RNNPROP_SKIP_BUILD=1 to reuse the last
# build; MVN_FLAGS, e.g. -o to stay offline).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rnnprop_require java mvn
[[ "${RNNPROP_SKIP_BUILD:-0}" == "1" ]] || rnnprop_fetch_mnist
classpath="$(rnnprop_classpath evaluation)"
# One PyTorch thread per run: the optimizees are small, and --threads runs several at once.
# shellcheck disable=SC2046,SC2086 # the vector flag and JAVA_OPTS are lists of options
exec java -Xmx4g $(rnnprop_vector_flag) ${JAVA_OPTS:-} \
  -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -Djava.awt.headless=true \
  -cp "$classpath" org.rnnprop.evaluation.StatePrecisionCli "$@"
