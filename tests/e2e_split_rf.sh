#!/bin/bash
# RF jobs split into tasks over the ranks (docs/SCALING.md): RFECV's folds
# and the elimination on all rows, then the final fit. The deterministic
# fields of the results file are byte-identical on 1, 3 and 8 ranks
# (--oversubscribe) and with --no-split, and tasks really ran on ranks other
# than 0.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

cat > rf.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 2
models = RF, ElasticNet
RF.n_trees = 20
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
[experiment nl]
generator = nonlinear
data = once
repeats = 2
models = RF
RF.n_trees = 15
RF.folds = 3
RF.min_features = 2
[dataset N]
n = 150
features = 8
strong = 2
weak = 2
INI

split_vs_whole rf.ini RF
