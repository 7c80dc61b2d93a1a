#!/bin/bash
# SIGKILL a run part-way (enough jobs that a loaded machine still kills it
# well before the end), then --resume it: it completes, recomputes only the
# unfinished jobs (rows done before the kill keep their start time and rank),
# and its deterministic fields equal an uninterrupted run's.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

cat > slow.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 24
models = Corr
Corr.perms = 4000
[dataset A]
n = 300
strong = 3
weak = 4
irrelevant = 5
[dataset B]
n = 200
strong = 2
weak = 2
irrelevant = 4
INI
N=48

mpi 2 "$TOY" run slow.ini -o full.h5 > full.log 2>&1 || { cat full.log; fail "uninterrupted run failed"; }

setsid "$MPIRUN" --oversubscribe -n 2 "$TOY" run slow.ini -o killed.h5 > killed.log 2>&1 &
pid=$!
done_n=0
for _ in $(seq 1 2400); do  # up to 2 minutes on a loaded machine
    sleep 0.05
    [ -f killed.h5 ] || continue
    done_n=$(values killed.h5 /jobs/status 2>/dev/null | grep -c '^1$')
    [ "$done_n" -ge 3 ] && break
done
# mpirun leads its own session (setsid); its ranks have their own process
# groups, so kill every process of that session by id, all at once.
kill -KILL $(pgrep -s "$pid") "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
for _ in $(seq 1 300); do [ -z "$(pgrep -s "$pid")" ] && break; sleep 0.1; done
[ -z "$(pgrep -s "$pid")" ] || fail "processes of the killed run still alive"
before=$(values killed.h5 /jobs/status | grep -c '^1$')
[ "$before" -ge 3 ] || fail "no job finished before the kill"
[ "$before" -lt $N ] || fail "the run finished before it could be killed; make the jobs slower"
paste <(values killed.h5 /jobs/status) <(values killed.h5 /jobs/start_time) <(values killed.h5 /jobs/rank) |
    awk '$1 == 1' > done_before
echo "killed after $before of $N jobs"

# a resume with another seed is refused, and leaves the file alone
sum=$(md5sum < killed.h5)
mpi 2 "$TOY" run slow.ini -o killed.h5 --resume --seed 99 > refused.log 2>&1 && fail "resume with another seed accepted"
grep -q "belongs to another plan" refused.log || { cat refused.log; fail "no clear refusal"; }
[ "$(md5sum < killed.h5)" = "$sum" ] || fail "a refused resume changed the file"

mpi 2 "$TOY" run slow.ini -o killed.h5 --resume > resumed.log 2>&1 || { cat resumed.log; fail "resume failed"; }
grep -q "$((N - before)) jobs: $((N - before)) done, 0 failed, $before already done before this run" resumed.log ||
    { cat resumed.log; fail "resume did not run exactly the unfinished jobs"; }
paste <(values killed.h5 /jobs/status) <(values killed.h5 /jobs/start_time) <(values killed.h5 /jobs/rank) |
    grep -F -x -f done_before | wc -l | grep -qx "$before" || fail "rows done before the kill were recomputed"
det full.h5 > det_full
det killed.h5 > det_resumed
cmp -s det_full det_resumed || { diff det_full det_resumed | head; fail "resumed results differ from an uninterrupted run"; }
echo "resume: completed, only unfinished jobs rerun, identical to an uninterrupted run"
