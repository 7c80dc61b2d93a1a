#!/bin/bash
# A run started directly (no mpirun: an MPI singleton) keeps running when the
# shell that started it exits, as `nohup repro_mpi run ... &` from a login
# shell does; only ranks started by an MPI launcher end with their launcher
# (e2e_runner_resume.sh kills an mpirun).
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

cat > slow.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 8
models = FRI
[dataset s]
n = 300
strong = 3
weak = 4
irrelevant = 8
INI
# the starting shell exits once the run has made its results file (MPI is
# up and the run's threads started), while the run goes on
env -u OMPI_COMM_WORLD_SIZE -u PMI_RANK -u PMIX_RANK \
    sh -c "\"$BIN\" run slow.ini -o s.h5 > log 2>&1 &
           while [ ! -e s.h5 ] && [ ! -e s.h5.creating ]; do sleep 0.05; done"
for _ in $(seq 1200); do
    grep -q "jobs: .* done" log 2>/dev/null && break
    grep -q "launcher is gone" log 2>/dev/null && break
    sleep 0.25
done
grep -q "launcher is gone" log && { cat log; fail "the singleton stopped when its shell exited"; }
grep -q "8 jobs: 8 done, 0 failed" log || { cat log; fail "the detached run did not finish its 8 jobs"; }
echo "singleton: kept running after its shell exited and finished its jobs"
