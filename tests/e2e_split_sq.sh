#!/bin/bash
# SQ jobs split into tasks over the ranks (docs/SCALING.md): Boruta, the
# minimal model and shadow resamples, the permutation tests. The
# deterministic fields of the results file are byte-identical on 1, 3 and 8
# ranks (--oversubscribe) and with --no-split, and tasks really ran on ranks
# other than 0.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

cat > sq.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 2
models = SQ, ElasticNet
SQ.n_resampling = 12
SQ.n_trees = 30
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
models = SQ
SQ.n_resampling = 10
SQ.n_trees = 25
SQ.min_child_rows = 5
[dataset N]
n = 150
features = 8
strong = 2
weak = 2
INI

split_vs_whole sq.ini SQ
