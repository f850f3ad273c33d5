#!/usr/bin/env bash
# Meta-training command line (train / validate / export); see docs/META-TRAINING.md.
#   scripts/meta-train.sh train --recipe rnnprop --run-dir runs/rnnprop [--resume] ...
#   scripts/meta-train.sh validate --weights FILE --runs 20
#   scripts/meta-train.sh export --run-dir runs/rnnprop --out rnnprop.json --select ema
#   scripts/meta-train.sh benchmark --recipe rnnprop --iterations 5
# Environment: MVN_FLAGS (e.g. -o to stay offline), JAVA_OPTS (e.g. -Dai.djl.pytorch.num_threads=1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/fetch-mnist.sh >/dev/null
# shellcheck disable=SC2086
mvn -q ${MVN_FLAGS:-} install -DskipTests -pl meta-training -am
# shellcheck disable=SC2086
mvn -q ${MVN_FLAGS:-} -pl meta-training dependency:build-classpath -Dmdep.outputFile="$root/meta-training/target/classpath.txt"
# shellcheck disable=SC2086
exec java -Xmx6g -Djava.awt.headless=true -Dai.djl.offline=true ${JAVA_OPTS:-} \
  -cp "meta-training/target/classes:$(cat meta-training/target/classpath.txt)" org.rnnprop.meta.MetaTrainCli "$@"
