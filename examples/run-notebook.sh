#!/usr/bin/env bash
# Runs a jshell notebook (a .jsh file) with a Maven module's classes and dependencies on the class path.
#
#   examples/run-notebook.sh NOTEBOOK.jsh [MODULE]
#
# MODULE is the folder of the Maven module the notebook needs (e.g. dl4j-plugin). Without it, the notebook's
# own header line "// module: NAME" decides; without that, "examples". The module and the modules it depends on
# are built and installed first (quietly, offline), so the notebook always sees the current sources.
#
# Environment: MVN_FLAGS (default "-o": offline; set it empty to let Maven download what is missing),
# JSHELL_OPTS (extra jshell options, e.g. "-R-Xmx4g" for the JVM that runs the snippets),
# RNNPROP_NOTEBOOK_BUILD=0 (skip the build when the modules were just installed, as scripts/test.sh does),
# RNNPROP_NOTEBOOK_QUICK=1 (the notebooks' short setting, what CI runs), OMP_NUM_THREADS (ND4J's native threads;
# default 1 here: on a machine whose cores are busy, more threads waiting for work by spinning made a DL4J step of
# a small MLP ten times slower. Notebook.setUp() sets PyTorch's threads to 1 for the same reason).
set -euo pipefail
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

die() { echo "run-notebook: ERROR: $*" >&2; exit 1; }

[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 NOTEBOOK.jsh [MODULE]"
[[ -f "$1" ]] || die "no notebook at $1"
notebook="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="${2:-}"
if [[ -z "$module" ]]; then
  module="$(sed -n 's#^//[[:space:]]*module:[[:space:]]*\([^[:space:]]*\).*#\1#p' "$notebook" | head -n 1)"
fi
module="${module:-examples}"
[[ -f "$root/$module/pom.xml" ]] || die "no Maven module '$module' under $root"

command -v jshell >/dev/null 2>&1 || die "jshell not found (it comes with JDK 17+)"
command -v mvn >/dev/null 2>&1 || die "mvn not found"

mvn_flags="${MVN_FLAGS--o}"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT

cd "$root"
if [[ "${RNNPROP_NOTEBOOK_BUILD:-1}" != 0 ]]; then
  # shellcheck disable=SC2086 # MVN_FLAGS is a list of flags
  mvn -q $mvn_flags -pl "$module" -am install -DskipTests \
    || die "building $module failed (offline? try MVN_FLAGS= $0 ...)"
fi
# shellcheck disable=SC2086
mvn -q $mvn_flags -pl "$module" dependency:build-classpath -Dmdep.outputFile="$cp_file" \
  || die "could not resolve the class path of $module"

classpath="$root/$module/target/classes:$(cat "$cp_file")"
out_file="$(mktemp)"
trap 'rm -f "$cp_file" "$out_file"' EXIT
# jshell reports a failed snippet and carries on, exiting 0: read its output to fail the run instead.
# shellcheck disable=SC2086 # JSHELL_OPTS is a list of options
jshell ${JSHELL_OPTS:-} --class-path "$classpath" "$notebook" 2>&1 | tee "$out_file"
if grep -qE '^(\|  )?(Exception [a-zA-Z.]+|Error:|Caused by:)' "$out_file"; then
  die "a snippet of $notebook failed (see above)"
fi
