#!/bin/bash
# --resume with another plan: one line saying what differs (seeds, repeats,
# job files and their texts, profile, settings, filters) and how to start
# afresh, exit 2 on every rank (no MPI_Abort), and the file left untouched.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

cat > a.ini <<'INI'
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
INI
cp a.ini b.ini
mpi 2 "$TOY" run a.ini -o a.h5 --set Corr.perms=7 > run.log 2>&1 || { cat run.log; fail "first run"; }
sum=$(md5sum < a.h5)

# refused WANT ARGS...: exit 2 on 2 ranks, one line (mpirun's own notice of
# a nonzero exit turned off) holding WANT and how to start afresh
refused() {
    local want=$1; shift
    OMPI_MCA_orte_execute_quiet=1 "$MPIRUN" --oversubscribe -n 2 "$TOY" run "$@" -o a.h5 --resume > out.txt 2> err.txt
    local rc=$?
    [ $rc -eq 2 ] || { cat err.txt; fail "$*: exit $rc, want 2"; }
    [ "$(wc -l < err.txt)" -eq 1 ] || { cat err.txt; fail "$*: want one line"; }
    grep -qF -- "--resume: a.h5 belongs to another plan (" err.txt || { cat err.txt; fail "$*: no refusal"; }
    grep -qF -- "$want" err.txt || { cat err.txt; fail "$*: does not say '$want'"; }
    grep -qF "to start afresh, remove it or name another file with -o, and run without --resume" err.txt \
        || fail "$*: no way to start afresh"
    [ "$(md5sum < a.h5)" = "$sum" ] || fail "$*: the refused resume changed the file"
}
refused "it holds SEED=123, not SEED=4" a.ini --set Corr.perms=7 --seed 4
refused "it holds the seeds (one seed), not 4-6" a.ini --set Corr.perms=7 --seeds 4-6
refused "REPEATS=2 in the file, 3 now" a.ini --set Corr.perms=7 --repeats 3
refused "--set Corr.perms=7 in the file, (not given) now" a.ini
refused "--set Corr.perms=7 in the file, Corr.perms=7 Corr.perms=9 now" a.ini --set Corr.perms=7 --set Corr.perms=9
refused "--models (not given) in the file, Corr now" a.ini --set Corr.perms=7 --models Corr
refused "--datasets (not given) in the file, S now" a.ini --set Corr.perms=7 --datasets S
refused "job files a.ini in the file, b.ini now" b.ini --set Corr.perms=7
sed -i 's/n = 30/n = 31/' a.ini
refused "job file a.ini has changed since the file was made" a.ini --set Corr.perms=7
sed -i 's/n = 31/n = 30/' a.ini

# without the quiet setting: mpirun notes the exit code, but no rank aborted
mpi 2 "$TOY" run a.ini -o a.h5 --resume --seed 4 > out.txt 2> err.txt && fail "accepted"
grep -q "MPI_ABORT" err.txt && { cat err.txt; fail "a rank called MPI_Abort"; }
# the same plan resumes
mpi 2 "$TOY" run a.ini -o a.h5 --resume --set Corr.perms=7 > ok.log 2>&1 || { cat ok.log; fail "same plan refused"; }
grep -q "2 already done before this run" ok.log || { cat ok.log; fail "resume summary"; }
echo "resume refusals: ok"
