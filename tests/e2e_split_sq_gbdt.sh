#!/bin/bash
# SQ jobs with the boosted minimal model and MR from the last resample
# (SQ.minimal_model=gbdt, SQ.mr_fit=last_resample, the published linear runs'
# settings of docs/FIDELITY.md §7.5) split into tasks over 3 ranks: the
# deterministic fields of the results file are byte-identical to a
# --no-split run on 1 rank.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

cat > sqg.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 2
models = SQ
SQ.n_resampling = 10
SQ.n_trees = 25
SQ.minimal_model = gbdt
SQ.mr_fit = last_resample
SQ.test = lower
SQ.fpr = 1e-4
SQ.feature_fraction = 0.1
SQ.min_child_rows = 20
SQ.num_leaves = 31
SQ.max_depth = 30
[dataset a]
n = 100
strong = 2
weak = 2
irrelevant = 2
[dataset b]
n = 120
strong = 3
weak = 0
irrelevant = 4
noise = 0.2
INI

for cfg in "3 split" "1 whole"; do
    set -- $cfg
    flag=
    [ "$2" = whole ] && flag=--no-split
    mpi "$1" "$BIN" run sqg.ini -o "r_$1_$2.h5" $flag > "log_$1_$2" 2>&1 ||
        { cat "log_$1_$2"; fail "run on $1 ranks ($2) failed"; }
    grep -q "4 jobs: 4 done, 0 failed" "log_$1_$2" || { cat "log_$1_$2"; fail "summary missing ($1 $2)"; }
    det "r_$1_$2.h5" > "det_$1_$2"
done
cmp -s det_3_split det_1_whole || { diff det_3_split det_1_whole | head -20; fail "results differ: split vs whole"; }
grep -q "split into tasks: 4 jobs" log_3_split || { cat log_3_split; fail "SQ jobs not split"; }
grep -q "split into tasks" log_1_whole && fail "--no-split still split"
[ "$(values r_3_split.h5 /jobs/status | tr -d '\n')" = "1111" ] || fail "status column wrong"
echo "SQ split with gbdt and last_resample: identical deterministic fields split on 3 ranks and whole on 1"
