#!/usr/bin/env bash
# Optimizer step throughput (coordinates/s): core ReferenceStep/FastStep, the DJL and DL4J plugins, and each
# framework's built-in Adam. Builds the benchmarks module and what it needs with Maven (a fresh machine
# downloads the dependencies; tests skipped), then runs org.rnnprop.benchmarks.StepBenchmark in the current
# directory, which prints a Markdown report on stdout (progress on stderr). All arguments go to StepBenchmark;
# --help lists them.
#
#   scripts/benchmark.sh                                   # N = 15,910 and 1,000,000, every case
#   scripts/benchmark.sh --sizes 15910 --out bench.md      # also write the report to a file
#   scripts/benchmark.sh --cases fast-rnnprop,djl-adam,dl4j-adam --reps 20
#
# Run it on an otherwise idle machine; the report records the load average and warns otherwise.
# Environment: see scripts/lib.sh. JAVA_OPTS: extra options for every benchmark JVM, e.g.
# "-Dai.djl.pytorch.num_threads=1" (default heap: -Xmx4g; PyTorch and ND4J use their own thread defaults: all
# cores). RNNPROP_SKIP_BUILD=1 (or BENCH_SKIP_BUILD=1): reuse the last build. MVN: the Maven command.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rnnprop_require java mvn
RNNPROP_SKIP_BUILD="${RNNPROP_SKIP_BUILD:-${BENCH_SKIP_BUILD:-0}}"
classpath="$(rnnprop_classpath benchmarks)"
# shellcheck disable=SC2086  # JAVA_OPTS is a list of options
exec java -Xmx4g ${JAVA_OPTS:-} \
  -Dai.djl.offline=true \
  -Dai.djl.default_engine=PyTorch \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -Djava.awt.headless=true \
  -cp "$classpath" org.rnnprop.benchmarks.StepBenchmark "$@"
