#!/bin/bash
# FRI jobs split into tasks over the ranks (docs/SCALING.md): the
# deterministic fields of the results file are byte-identical on 1, 3 and 8
# ranks (--oversubscribe) and with --no-split; the tasks really ran on
# several ranks; a run killed part-way resumes to the same results.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

cat > fri.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 2
models = FRI, ElasticNet
FRI.search = 10
FRI.probes = 8
[dataset a]
n = 60
strong = 2
weak = 2
irrelevant = 2
[dataset b]
n = 90
strong = 2
weak = 0
irrelevant = 5
noise = 0.1
[experiment nl]
generator = nonlinear
data = once
repeats = 2
models = FRI
FRI.search = 10
FRI.probes = 8
FRI.C = 3
[dataset N]
n = 100
features = 8
strong = 2
weak = 2
INI

split_vs_whole fri.ini FRI

# Kill a split run part-way, then resume it: only the jobs not done rerun
# (the split jobs in flight at the kill are lost and computed again) and the
# results equal an uninterrupted run's.
# (800 rows: a run of about 2 s on 2 idle ranks, so that a loaded machine
# still sees its first rows before it ends)
cat > slow.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 12
models = FRI
FRI.search = 20
FRI.probes = 20
[dataset A]
n = 800
strong = 3
weak = 3
irrelevant = 6
INI
N=12
mpi 2 "$BIN" run slow.ini -o full.h5 --no-split > full.log 2>&1 || { cat full.log; fail "uninterrupted run failed"; }
setsid "$MPIRUN" --oversubscribe -n 2 "$BIN" run slow.ini -o killed.h5 > killed.log 2>&1 &
pid=$!
for _ in $(seq 1 2400); do  # up to 2 minutes on a loaded machine
    sleep 0.05
    [ -f killed.h5 ] || continue
    [ "$(values killed.h5 /jobs/status 2>/dev/null | grep -c '^1$')" -ge 2 ] && break
done
# mpirun leads its own session (setsid): kill that session's processes by id
kill -KILL $(pgrep -s "$pid") "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
for _ in $(seq 1 300); do [ -z "$(pgrep -s "$pid")" ] && break; sleep 0.1; done
[ -z "$(pgrep -s "$pid")" ] || fail "processes of the killed run still alive"
before=$(values killed.h5 /jobs/status | grep -c '^1$')
[ "$before" -ge 2 ] || fail "no job finished before the kill"
[ "$before" -lt $N ] || fail "the run finished before it could be killed; make the jobs slower"
echo "killed after $before of $N jobs"
mpi 3 "$BIN" run slow.ini -o killed.h5 --resume > resumed.log 2>&1 || { cat resumed.log; fail "resume failed"; }
grep -q "$((N - before)) jobs: $((N - before)) done, 0 failed, $before already done before this run" resumed.log ||
    { cat resumed.log; fail "resume did not run exactly the jobs left"; }
det full.h5 > det_full
det killed.h5 > det_resumed
cmp -s det_full det_resumed || { diff det_full det_resumed | head -20; fail "resumed results differ from an uninterrupted run"; }
echo "FRI split: a killed run resumes to the same results"

# The protocol on the test model Split (tests/test_split_run.c): one task per
# feature, then one normalising task fed every score; on the wide data set
# the last feature's task fails, which fails its job (with the task's
# message) while the run goes on. Same bits on 1, 3 and 8 ranks.
SPLITRUN="$BUILD_DIR/tests/test_split_run"
[ -x "$SPLITRUN" ] || fail "test program $SPLITRUN not built"
cat > toy.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 3
models = Split, Plain
Split.fail_d = 5
Plain.fail_d = 5
[dataset narrow]
n = 40
strong = 1
weak = 1
irrelevant = 2
[dataset wide]
n = 40
strong = 2
weak = 2
irrelevant = 3
INI
for np in 1 3 8; do
    mpi "$np" "$SPLITRUN" run toy.ini -o "toy_$np.h5" > "tlog_$np" 2>&1
    rc=$?
    [ $rc -eq 1 ] || { cat "tlog_$np"; fail "toy run on $np ranks: exit $rc, want 1 (failed jobs)"; }
    grep -q "12 jobs: 6 done, 6 failed" "tlog_$np" || { cat "tlog_$np"; fail "toy summary ($np ranks)"; }
    grep -q "(lin / wide / repeat 0 / Split): Split failed (computation failed) in task 6 of stage 0: feature 6 of 7" "tlog_$np" ||
        { cat "tlog_$np"; fail "the failed task's message is not the job's"; }
    grep -q "split into tasks: 6 jobs" "tlog_$np" || { cat "tlog_$np"; fail "Split jobs not split"; }
    det "toy_$np.h5" > "tdet_$np"
done
cmp -s tdet_1 tdet_3 && cmp -s tdet_1 tdet_8 || { diff tdet_1 tdet_8 | head; fail "toy split results differ"; }
echo "Split: identical results on 1/3/8 ranks; a failed task fails its job"
