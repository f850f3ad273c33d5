#!/usr/bin/env bash
# Ablations of the long-horizon recipe (docs/META-TRAINING.md, "Ablations"): one short run per variant, all from
# the shipped rnnprop, on the same seed and budget, each differing from "full" in one trick, and "paper" (the
# paper's recipe continued, the control); then every result scored on the curriculum's validation tasks and
# seeds (never the evaluation's), next to the shipped rnnprop.
#
#   scripts/ablations.sh [--out DIR] [--iterations N] [--meta-lr LR] [--variants a,b,...] [--lengths L1,L2]
#                        [--runs R]
#
# Defaults: --out runs/ablations, 40 iterations, meta-learning rate 1e-3 (ten times the long run's: a short
# budget must move the weights for differences to show), every variant, score at 200 and 1,000 steps with
# 2 seeds per task. Stopping and rerunning resumes: each variant resumes from its checkpoint, a finished one
# is skipped. Writes DIR/VARIANT/ (the run), DIR/VARIANT.json (its final weights and card) and DIR/scores.txt.
# Environment: see scripts/lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rnnprop_require java mvn

out=runs/ablations
iterations=40
meta_lr=1e-3
variants=paper,full,base-mlp,last-loss,imitation,no-curriculum,no-clip
lengths=200,1000
runs=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    --meta-lr) meta_lr="$2"; shift 2 ;;
    --variants) variants="$2"; shift 2 ;;
    --lengths) lengths="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) rnnprop_die "unknown option '$1' (--help lists them)" ;;
  esac
done
[[ "$iterations" =~ ^[1-9][0-9]*$ ]] || rnnprop_die "--iterations must be a positive integer, got '$iterations'"

# The short budget's curriculum: three stages, a check every 1,000 training steps, patience 1.
loop=(--iterations "$iterations" --no-progress --checkpoint-every 1 --snapshot-every "$iterations"
  --validate-every 1000000)
variant_options() {
  local long="--recipe rnnprop-long --init rnnprop-metalr1e-3 --meta-lr $meta_lr --seed 11 --curriculum-every 1000 --patience 1"
  local stages="--curriculum 100,200,500"
  case "$1" in
    paper) echo "--recipe rnnprop --init rnnprop-metalr1e-3 --meta-lr $meta_lr --seed 11 --meta-clip 5" ;;
    full) echo "$long $stages --meta-clip 5" ;;
    base-mlp) echo "$long $stages --meta-clip 5 --optimizees base-mlp" ;;
    last-loss) echo "$long $stages --meta-clip 5 --objective last" ;;
    imitation) echo "$long $stages --meta-clip 5 --imitation 0.3" ;;
    no-curriculum) echo "$long --curriculum 100 --meta-clip 5" ;;
    no-clip) echo "$long $stages" ;;
    *) rnnprop_die "unknown variant '$1' (paper, full, base-mlp, last-loss, imitation, no-curriculum, no-clip)" ;;
  esac
}

meta_train="$RNNPROP_ROOT/scripts/meta-train.sh"
mkdir -p "$out"
weights=rnnprop
IFS=',' read -r -a names <<<"$variants"
for v in "${names[@]}"; do
  options="$(variant_options "$v")"
  if [[ ! -f "$out/$v.json" ]]; then
    if [[ -f "$out/$v/checkpoint.json" ]]; then
      "$meta_train" train --run-dir "$out/$v" --resume "${loop[@]}"
    else
      # shellcheck disable=SC2086 # options is a list of options
      "$meta_train" train --run-dir "$out/$v" "${loop[@]}" $options
    fi
    RNNPROP_SKIP_BUILD=1 "$meta_train" export --run-dir "$out/$v" --select latest --out "$out/$v.json"
  fi
  weights="$weights,$out/$v.json"
  export RNNPROP_SKIP_BUILD=1 # built once is enough
done
"$meta_train" score --weights "$weights" --lengths "$lengths" --runs "$runs" | tee "$out/scores.txt"
