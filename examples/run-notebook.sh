#!/usr/bin/env bash
# Runs a jshell notebook (a .jsh file) with a Maven module's classes and run-time dependencies on the class path.
#
#   examples/run-notebook.sh NOTEBOOK.jsh [MODULE]
#
# MODULE is the folder of the Maven module the notebook needs (e.g. examples). Without it, the notebook's own
# header line "// module: NAME" decides; without that, "examples". The module and the modules it depends on are
# built and installed first (quietly), so the notebook always sees the current sources. jshell runs in the
# current directory, like every script here (scripts/lib.sh).
#
# Environment: see scripts/lib.sh; MVN_FLAGS defaults to "-o" here (offline; set it empty to let Maven download
# what is missing). JSHELL_OPTS: extra jshell options, e.g. "-R-Xmx4g" for the JVM that runs the snippets.
# RNNPROP_NOTEBOOK_QUICK=1: the notebooks' short setting, what CI runs (docs/NOTEBOOKS.md).
# OMP_NUM_THREADS: ND4J's native threads, default 1 here: on a machine whose cores are busy, more threads waiting
# for work by spinning made a DL4J step of a small MLP ten times slower (Notebook.setUp() sets PyTorch's threads
# to 1 for the same reason).
set -euo pipefail
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

[[ $# -ge 1 && $# -le 2 ]] || rnnprop_die "usage: $0 NOTEBOOK.jsh [MODULE]"
[[ -f "$1" ]] || rnnprop_die "no notebook at $1"
notebook="$1"
module="${2:-}"
if [[ -z "$module" ]]; then
  module="$(sed -n 's#^//[[:space:]]*module:[[:space:]]*\([^[:space:]]*\).*#\1#p' "$notebook" | head -n 1)"
fi
module="${module:-examples}"

rnnprop_require jshell mvn
export MVN_FLAGS="${MVN_FLAGS--o}"
classpath="$(rnnprop_classpath "$module")"

out_file="$(mktemp "${TMPDIR:-/tmp}/run-notebook.XXXXXX")"
trap 'rm -f "$out_file"' EXIT
# jshell reports a failed snippet and carries on, exiting 0: read its output to fail the run instead.
# shellcheck disable=SC2046,SC2086 # the vector flag and JSHELL_OPTS are lists of options
jshell $(rnnprop_vector_flag -R) ${JSHELL_OPTS:-} --class-path "$classpath" "$notebook" 2>&1 | tee "$out_file"
if grep -qE '^(\|  )?(Exception [a-zA-Z.]+|Error:|Caused by:)' "$out_file"; then
  rnnprop_die "a snippet of $notebook failed (see above)"
fi
