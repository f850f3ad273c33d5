#!/usr/bin/env bash
# Benchmarks. Builds the benchmarks module and what it needs with Maven (a fresh machine downloads the
# dependencies; tests skipped), then runs in the current directory; the report is Markdown on stdout (progress on
# stderr), --out FILE also writes it to a file, --help lists every option.
#
# Optimizer step throughput (org.rnnprop.benchmarks.StepBenchmark): core ReferenceStep, FastStep and the Vector
# API kernel, the DJL plugin (core kernel and NdStep) and the DL4J plugin, and each framework's built-in Adam;
# the cases whose kernel depends on --add-modules jdk.incubator.vector run in a JVM with it and in one without.
#
#   scripts/benchmark.sh                                   # N = 15,910 and 1,000,000, every case
#   scripts/benchmark.sh --sizes 15910 --out bench.md      # also write the report to a file
#   scripts/benchmark.sh --cases fast-rnnprop,vector-rnnprop,dl4j-rnnprop --reps 20
#   scripts/benchmark.sh --sizes 2000 --reps 2 --warmup-seconds 1 --rep-seconds 0.2 --memory-steps 10   # a quick look
#
# Training iteration time (org.rnnprop.benchmarks.TrainingBenchmark): DL4J's LeNet-5 CNN and the base MLP on MNIST,
# RNNprop against Adam 1e-3, each with ND4J's default OpenMP threads and with OMP_NUM_THREADS=1:
#
#   scripts/benchmark.sh training                          # both networks, both optimizers, OMP default and 1
#   scripts/benchmark.sh training --models lenet --omp 1,2 --vector-module both
#   scripts/benchmark.sh training --quick                  # 3 iterations per run: checks that it all runs
#
# Run it on an otherwise idle machine; the reports record the load average (the step report warns otherwise).
# Thread knobs (docs/BENCHMARKS.md): -Drnnprop.threads=N in JAVA_OPTS (the core kernel's workers),
# OMP_NUM_THREADS (ND4J; the training benchmark sets it per run), -Dai.djl.pytorch.num_threads=N (PyTorch).
# Environment: see scripts/lib.sh. JAVA_OPTS: extra options for every benchmark JVM (default heap: -Xmx4g).
# RNNPROP_SKIP_BUILD=1 (or BENCH_SKIP_BUILD=1): reuse the last build. MVN: the Maven command.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rnnprop_require java mvn
main=org.rnnprop.benchmarks.StepBenchmark
if [[ "${1:-}" == "training" ]]; then
  shift
  main=org.rnnprop.benchmarks.TrainingBenchmark
  rnnprop_fetch_mnist
fi
RNNPROP_SKIP_BUILD="${RNNPROP_SKIP_BUILD:-${BENCH_SKIP_BUILD:-0}}"
classpath="$(rnnprop_classpath benchmarks)"
# shellcheck disable=SC2046,SC2086  # the vector flag and JAVA_OPTS are lists of options
exec java -Xmx4g $(rnnprop_vector_flag) ${JAVA_OPTS:-} \
  -Dai.djl.offline=true \
  -Dai.djl.default_engine=PyTorch \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -Djava.awt.headless=true \
  -cp "$classpath" "$main" "$@"
