#!/bin/bash
# `run`/`paper --dry-run`: the plan by experiment x data set x model with its
# cost estimates, the total and the wall time on the given ranks; nothing
# written, one copy of the output under mpirun. `--experiments` and
# `--datasets` keep only the named jobs (an unknown name: exit 2 and one line
# listing the valid names); a filtered file is not resumed unfiltered.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

# nothing but the test's own files may appear in the folder
mkdir dry && cd dry || fail "mkdir"
"$BIN" run smoke --dry-run --repeats 1 > one.txt 2> one.err || { cat one.err; fail "dry run (1 rank)"; }
ls | grep -qv '^one\.\(txt\|err\)$' && fail "a dry run wrote: $(ls)"
head -1 one.txt | grep -q '^repro_mpi run --dry-run: 12 jobs (SEED=123, REPEATS=1); nothing is written$' \
    || { cat one.txt; fail "dry run header"; }
# 2 experiments x 3 data sets x 4 models = 12 groups of 1 job (tiny 1, tiny 2 / tiny NL)
groups=$(awk '/^profile / {exit} NR > 2 && $1 != "total" && $1 != "expected" && $1 != "would"' one.txt | wc -l)
[ "$groups" -eq 12 ] || { cat one.txt; fail "want 12 groups, got $groups"; }
grep -q '^smoke_linear  *tiny 1  *SQ  *1  *[0-9.]*$' one.txt || { cat one.txt; fail "no SQ / tiny 1 group"; }
# the total is the sum of the groups; on one rank the wall time is the total
sum=$(awk '/^profile / {exit} NR > 2 && $NF ~ /^[0-9.]+$/ && $1 != "total" {s += $NF} END {printf "%.2f", s}' one.txt)
total=$(awk '$1 == "total" {print $3}' one.txt)
jobs=$(awk '$1 == "total" {print $2}' one.txt)
[ "$jobs" = 12 ] || fail "total jobs $jobs, want 12"
awk -v a="$sum" -v b="$total" 'BEGIN {exit !((a - b) ^ 2 < 0.01 ^ 2 * 12)}' || fail "total $total is not the sum $sum"
wall1=$(sed -n 's/^expected wall time on 1 rank x 1 thread: [0-9:]* (\([0-9.]*\) s;.*/\1/p' one.txt)
awk -v w="$wall1" -v t="$total" 'BEGIN {exit !((w - t) ^ 2 <= 0.0101 ^ 2)}' \
    || { cat one.txt; fail "one rank: wall $wall1, want the total $total"; }
"$BIN" run smoke --dry-run --repeats 1 --ranks 4 > four.txt || fail "--ranks 4"
wall4=$(sed -n 's/^expected wall time on 4 ranks x 1 thread: [0-9:]* (\([0-9.]*\) s;.*/\1/p' four.txt)
awk -v w="$wall4" -v t="$total" 'BEGIN {exit !(w + 0 >= t / 4 - 0.01 && w + 0 < t + 0)}' \
    || fail "4 ranks: wall $wall4 not in [total/4, total) ($total)"
"$BIN" run smoke --ranks 4 > /dev/null 2> r.err && fail "--ranks without --dry-run accepted"

# under mpirun: only rank 0 prints, the same plan, exit 0, nothing written
mpi 2 "$BIN" run smoke --dry-run --repeats 1 > two.txt 2> two.err || { cat two.err; fail "dry run (2 ranks)"; }
[ "$(grep -c '^repro_mpi run --dry-run' two.txt)" -eq 1 ] || { cat two.txt; fail "not exactly one plan printed"; }
diff <(grep -v '^expected' one.txt) <(grep -v '^expected' two.txt) || fail "the plan differs on 2 ranks"
grep -q '^expected wall time on 2 ranks x 1 thread' two.txt || fail "2 ranks: wall time line"
mpi 2 "$BIN" paper --dry-run --repeats 1 --output out > paper.txt 2> paper.err || { cat paper.err; fail "paper dry run"; }
[ ! -e out ] && [ ! -e results.h5 ] || fail "paper --dry-run wrote a file or folder"
grep -q '^would write results.h5 and the tables and figures in out$' paper.txt || fail "paper: what it would write"
grep -q '^total  *109 ' paper.txt || { tail -4 paper.txt; fail "paper REPEATS=1: want 109 jobs"; }
cd ..

# the filters
"$BIN" paper --dry-run --experiments toy_benchmarks --datasets 'Set 8, Set 1' --models SQ,RF > f.txt \
    || fail "paper filters"
grep -q '^total  *40 ' f.txt || { cat f.txt; fail "2 data sets x 2 models x 10 repeats"; }
[ "$(awk '/^profile / {exit} NR > 2 && $1 == "toy_benchmarks"' f.txt | wc -l)" -eq 4 ] || { cat f.txt; fail "want 4 groups"; }
expect2() {
    local name=$1; shift
    "$@" > o.txt 2> e.txt
    local rc=$?
    [ $rc -eq 2 ] || { cat e.txt; fail "$name: exit $rc, want 2"; }
    [ "$(wc -l < e.txt)" -eq 1 ] || { cat e.txt; fail "$name: want one line"; }
}
expect2 "unknown experiment" "$BIN" run smoke --dry-run --experiments smoke_lin
grep -qF -- "--experiments: 'smoke_lin' is not an experiment of these job files (valid: smoke_linear, smoke_nonlinear)" e.txt \
    || { cat e.txt; fail "unknown experiment: message"; }
# mpirun's own notice of a nonzero exit is turned off (orte_execute_quiet):
# what is left is one line from rank 0, and every rank's exit code 2
expect2 "unknown data set" env OMPI_MCA_orte_execute_quiet=1 "$MPIRUN" --oversubscribe -n 2 "$BIN" paper --datasets 'Set 9'
grep -qF -- "'Set 9' is not a data set of these job files (valid: Set 1, Set 2, Set 3, Set 4, Set 5, Set 6, Set 7, Set 8, NL 1, NL 2, NL 3, NL 4, Figure)" e.txt \
    || { cat e.txt; fail "unknown data set: message"; }
expect2 "filters leave nothing" "$BIN" run smoke --dry-run --experiments smoke_nonlinear --datasets 'tiny 1'
grep -q 'no job to run with these' e.txt || { cat e.txt; fail "empty filter: message"; }

# a filtered run writes only its jobs, and is not resumed unfiltered
cat > two.ini <<'INI'
[experiment a]
generator = linear
data = once
repeats = 2
models = Corr
[dataset S]
n = 30
strong = 1
weak = 1
irrelevant = 1
[dataset T]
n = 30
strong = 1
weak = 1
irrelevant = 2
[experiment b]
generator = linear
data = once
repeats = 2
models = Corr
[dataset S]
n = 30
strong = 1
weak = 1
irrelevant = 1
INI
mpi 2 "$TOY" run two.ini --experiments a --datasets T -o f.h5 > run.log 2>&1 || { cat run.log; fail "filtered run"; }
[ "$(values f.h5 /jobs/dataset | sort -u)" = '"T"' ] || fail "filtered file holds other data sets"
[ "$(values f.h5 /jobs/id | wc -l)" -eq 2 ] || fail "filtered file: want 2 jobs"
h5dump -a /job_files f.h5 | grep -q '### EXPERIMENTS a' || fail "filter not recorded"
sum=$(md5sum < f.h5)
mpi 2 "$TOY" run two.ini -o f.h5 --resume > res.log 2>&1 && fail "filtered file resumed unfiltered"
[ "$(md5sum < f.h5)" = "$sum" ] || fail "the refused resume changed the file"
mpi 2 "$TOY" run two.ini --experiments a --datasets T -o f.h5 --resume > res2.log 2>&1 \
    || { cat res2.log; fail "resume with the same filters"; }
echo "dry run and filters: ok"
