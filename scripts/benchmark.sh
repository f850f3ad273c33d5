#!/usr/bin/env bash
# Optimizer step throughput (coordinates/s): core ReferenceStep/FastStep, the DJL and DL4J plugins, and each
# framework's built-in Adam. Builds the benchmarks module and what it needs with Maven (online, so a fresh
# machine downloads the dependencies; tests skipped), then runs org.rnnprop.benchmarks.StepBenchmark, which
# prints a Markdown report on stdout (progress on stderr). All arguments go to StepBenchmark; --help lists them.
#
#   scripts/benchmark.sh                                   # N = 15,910 and 1,000,000, every case
#   scripts/benchmark.sh --sizes 15910 --out bench.md      # also write the report to a file
#   scripts/benchmark.sh --cases fast-rnnprop,djl-adam,dl4j-adam --reps 20
#
# Run it on an otherwise idle machine; the report records the load average and warns otherwise.
# Environment:
#   JAVA_OPTS          extra JVM options for every benchmark JVM, e.g. "-Dai.djl.pytorch.num_threads=1"
#                      (default heap: -Xmx4g; PyTorch and ND4J use their own thread defaults: all cores)
#   BENCH_SKIP_BUILD=1 reuse the last build
#   MVN                Maven command (default: mvn)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$ROOT/benchmarks"
MVN="${MVN:-mvn}"

if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
  echo "benchmark.sh: building (mvn -pl benchmarks -am package -DskipTests) ..." >&2
  (cd "$ROOT" && "$MVN" -q -B -pl benchmarks -am package -DskipTests) >&2
fi

CP_FILE="$MODULE/target/classpath.txt"
CLASSES="$MODULE/target/classes"
if [[ ! -s "$CP_FILE" || ! -d "$CLASSES" ]]; then
  echo "benchmark.sh: ERROR: $CP_FILE or $CLASSES missing; run without BENCH_SKIP_BUILD=1" >&2
  exit 1
fi

# shellcheck disable=SC2086  # JAVA_OPTS is a list of options
exec java -Xmx4g ${JAVA_OPTS:-} \
  -Dai.djl.offline=true \
  -Dai.djl.default_engine=PyTorch \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -Djava.awt.headless=true \
  -cp "$CLASSES:$(cat "$CP_FILE")" \
  org.rnnprop.benchmarks.StepBenchmark "$@"
