#!/usr/bin/env bash
# Starts a throw-away single-node Slurm on this machine (munged, slurmctld and
# slurmd as root, configured in a temporary folder, bound to 127.0.0.1), submits
# the smoke run through slurm/submit.sh, and checks that both jobs completed,
# that the reduction started only after the run ended, that its REPORT.md is
# the one `verify results.h5 -o DIR` makes, that the site setup file was
# sourced in both jobs, that after a run with a failed job the reduction still
# runs (afterany), reduces what finished and lists the failed job, that a run
# that never started makes its reduction fail at once (not wait forever),
# that the run went through srun
# and through mpirun as one MPI world with the same tables either way, that the
# tables and REPORT.md exist, and that USR1 near the time limit stops the run,
# requeues the job and resumes the results file. Stops only the daemons it
# started (by pid) and removes its folder, also on failure.
#   tests/slurm/run.sh [BUILD_DIR]     (needs root and scripts/install-deps --slurm)
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
BIN=$BUILD/repro_mpi
[ "$(id -u)" = 0 ] || { echo "slurm test: needs root (slurmd runs jobs as their owner)" >&2; exit 1; }
for p in munged slurmctld slurmd sbatch srun; do
    command -v "$p" >/dev/null || { echo "slurm test: $p missing: run scripts/install-deps --slurm" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "slurm test: $BIN not built" >&2; exit 1; }

T0=$(date +%s)
say() { printf '[slurm-test %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
fail() { echo "slurm test: FAILED: $*" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/repro-slurm.XXXXXX")
chmod 755 "$TMP"
PIDS=()
cleanup() {
    local rc=$? i pid
    if [ "$rc" != 0 ]; then
        for f in "$TMP"/*.log "$TMP"/out*/slurm-*.out; do
            [ -f "$f" ] && { echo "--- $f"; tail -n 25 "$f"; }
        done >&2
    fi
    [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ] && scancel --full --quiet -u root 2>/dev/null || true
    for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
        pid=${PIDS[i]}
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
    say "cleaned up (exit $rc)"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free TCP port on 127.0.0.1, from a range chosen per run.
free_port() {
    local p
    for p in $(shuf -i 20000-40000 -n 50); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    fail "no free port"
}

# --- munge with its own key and socket ---
mkdir -p "$TMP/munge"
chmod 711 "$TMP/munge"
dd if=/dev/urandom of="$TMP/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$TMP/munge/munge.key"
munged --foreground --force --key-file="$TMP/munge/munge.key" --socket="$TMP/munge/munge.sock" \
    --pid-file="$TMP/munge/munged.pid" --seed-file="$TMP/munge/munge.seed" \
    --log-file="$TMP/munged.log" >"$TMP/munged.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$TMP/munge/munge.sock" ] && break; sleep 0.1; done
[ -S "$TMP/munge/munge.sock" ] || fail "munged did not start"

# --- slurm.conf for one node: this machine at 127.0.0.1 with its real CPUs ---
# (cred_expire is also how long a requeued job waits before it starts again:
# 120 s by default, 10 s here to keep the test short.)
CPUS=$(nproc)
MEM_MB=$(awk '/^MemTotal:/ { print int($2 / 1024) - 256 }' /proc/meminfo)
mkdir -p "$TMP/state" "$TMP/spool"
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
export SLURM_CONF=$TMP/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=reprotest
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$TMP/munge/munge.sock,cred_expire=10
CredType=cred/munge
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/slurmctld.log
SlurmdLogFile=$TMP/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=900
KillWait=10
MailProg=/bin/true
NodeName=repronode NodeAddr=127.0.0.1 NodeHostname=$(hostname) CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=repro Nodes=repronode Default=YES MaxTime=INFINITE OverSubscribe=NO State=UP
CONF

slurmctld -D -i -f "$SLURM_CONF" >>"$TMP/slurmctld.log" 2>&1 &
PIDS+=($!)
slurmd -D -N repronode -f "$SLURM_CONF" >>"$TMP/slurmd.log" 2>&1 &
PIDS+=($!)
state=
for _ in $(seq 60); do
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || fail "a daemon (pid $pid) exited at start"; done
    state=$(timeout 5 sinfo -h -n repronode -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
done
[ "$state" = idle ] || fail "the node did not come up idle (state '$state')"
say "slurm up: node repronode, $CPUS CPUs, ports $CTLD_PORT/$SLURMD_PORT"

# Field of `scontrol show job` (kept for MinJobAge after the end).
job_field() { scontrol -o show job "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# Waits until job $1 left the queue (or $2 seconds passed); prints its final state.
wait_job() {
    local t=0
    while [ -n "$(squeue -h -j "$1" 2>/dev/null)" ] && [ "$t" -lt "$2" ]; do
        [ "$(job_field "$1" Reason)" = DependencyNeverSatisfied ] && break
        sleep 1; t=$((t + 1))
    done
    job_field "$1" JobState
}
epoch() { date -d "$1" +%s; }
# Submits through submit.sh; sets RUN_ID and REDUCE_ID.
submit() {
    local out
    out=$(bash "$SRC/slurm/submit.sh" "$@")
    echo "$out"
    RUN_ID=$(sed -n 's/^run job: //p' <<<"$out")
    REDUCE_ID=$(sed -n 's/^reduce job: //p' <<<"$out")
    [[ "$RUN_ID" =~ ^[0-9]+$ && "$REDUCE_ID" =~ ^[0-9]+$ ]] || fail "submit.sh printed no job ids"
}

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
RANKS=2

# The smoke job file: shipped with the program, else in this tree.
JOB=${SMOKE_JOB:-$("$BIN" jobs 2>/dev/null | grep -m1 '/smoke\.ini$' || echo "$SRC/jobs/smoke.ini")}
[ -f "$JOB" ] || fail "no smoke job file ($JOB)"
export REPRO_MPI=$BIN

# 1. The smoke run and its reduction, launcher chosen automatically (srun),
#    with a site setup file.
say "submit: smoke run on $RANKS ranks, then its reduction (afterany), with a site setup file"
cat >"$TMP/site.sh" <<'SITE'
echo "site-setup-marker"
export REPRO_SITE_MARK=1
SITE
REPRO_SITE_SETUP=$TMP/site.sh submit -o "$TMP/out" -j "$JOB" -n "$RANKS" -t 10 --repeats 2 --seed 7
run_state=$(wait_job "$RUN_ID" 240)
red_state=$(wait_job "$REDUCE_ID" 240)
say "run $RUN_ID: $run_state; reduce $REDUCE_ID: $red_state"
[ "$run_state" = COMPLETED ] || fail "run job $RUN_ID ended $run_state"
[ "$red_state" = COMPLETED ] || fail "reduce job $REDUCE_ID ended $red_state"
run_end=$(epoch "$(job_field "$RUN_ID" EndTime)")
red_start=$(epoch "$(job_field "$REDUCE_ID" StartTime)")
[ "$red_start" -ge "$run_end" ] || fail "reduction started ($red_start) before the run ended ($run_end)"
grep -q "via srun" "$TMP/out/slurm-run-$RUN_ID.out" || fail "the run did not go through srun"
grep -q "on $RANKS ranks" "$TMP/out/slurm-run-$RUN_ID.out" || fail "srun did not make one MPI world of $RANKS ranks"
[ -s "$TMP/out/results.h5" ] || fail "no results.h5"
[ -s "$TMP/out/tables/toy_benchmarks/sim_scores.csv" ] || fail "no sim_scores table"
[ -s "$TMP/out/REPORT.md" ] || fail "verify wrote no REPORT.md"
grep -q site-setup-marker "$TMP/out/slurm-run-$RUN_ID.out" || fail "the run did not source REPRO_SITE_SETUP"
grep -q site-setup-marker "$TMP/out/slurm-reduce-$REDUCE_ID.out" || fail "the reduction did not source REPRO_SITE_SETUP"
# The same report as `verify results.h5 -o DIR` on the same file.
"$BIN" verify "$TMP/out/results.h5" -o "$TMP/local" >/dev/null || fail "local verify"
diff "$TMP/local/REPORT.md" "$TMP/out/REPORT.md" >"$TMP/report.diff" \
    || { head -20 "$TMP/report.diff" >&2; fail "the Slurm REPORT.md differs from verify results.h5 -o DIR"; }
grep -qi 'provenance\|SEED=7' "$TMP/out/REPORT.md" || fail "REPORT.md has no provenance"
[ "$(wc -l <"$TMP/out/jobs.csv")" -gt 1 ] || fail "no jobs.csv from the reduction"
say "ok: both jobs completed, reduction after the run, tables in place, same REPORT.md as verify -o"

# 2. The same through mpirun inside the allocation.
say "submit: LAUNCHER=mpirun"
LAUNCHER=mpirun submit -o "$TMP/out-mpirun" -j "$JOB" -n "$RANKS" -t 10 --repeats 2 --seed 7
run_state=$(wait_job "$RUN_ID" 240)
red_state=$(wait_job "$REDUCE_ID" 240)
[ "$run_state" = COMPLETED ] && [ "$red_state" = COMPLETED ] \
    || fail "with mpirun: run $run_state, reduce $red_state"
grep -q "via mpirun" "$TMP/out-mpirun/slurm-run-$RUN_ID.out" || fail "the run did not go through mpirun"
grep -q "on $RANKS ranks" "$TMP/out-mpirun/slurm-run-$RUN_ID.out" || fail "mpirun did not make one MPI world of $RANKS ranks"
# Same seed, same numbers, whichever launcher started the ranks.
for t in toy_benchmarks/sim_scores.csv prec_recall_arfs/prec_rec_ARFS.csv NL_toy_benchmarks/per_dataset.csv; do
    [ -s "$TMP/out/tables/$t" ] || fail "no table $t"
    cmp -s "$TMP/out/tables/$t" "$TMP/out-mpirun/tables/$t" || fail "table $t differs between srun and mpirun"
done
say "ok: mpirun inside sbatch"

# 3. A run with a failed job (the test model Fail gives up on wide data):
#    the run ends FAILED, the reduction still runs, reduces what finished and
#    lists the failed job.
TOY=$BUILD/tests/test_run
[ -x "$TOY" ] || fail "test program $TOY not built"
mkdir -p "$TMP/toy"
cat >"$TMP/toy/repro_mpi" <<TOYW
#!/bin/sh
[ "\$1" = run ] && exec "$TOY" "\$@"
exec "$BIN" "\$@"
TOYW
chmod +x "$TMP/toy/repro_mpi"
cat >"$TMP/toy/fail.ini" <<'INI'
[experiment e]
generator = linear
data = once
repeats = 2
models = Corr, Fail
Fail.max_d = 3
[dataset narrow]
n = 30
strong = 1
weak = 1
irrelevant = 1
[dataset wide]
n = 30
strong = 1
weak = 2
irrelevant = 2
INI
say "submit: a run with a failed job"
REPRO_MPI=$TMP/toy/repro_mpi submit -o "$TMP/out-fail" -j "$TMP/toy/fail.ini" -n 1 -t 10
run_state=$(wait_job "$RUN_ID" 120)
red_state=$(wait_job "$REDUCE_ID" 120)
[ "$run_state" = FAILED ] || fail "the run with a failed job ended $run_state, not FAILED"
[ "$red_state" = COMPLETED ] || fail "reduction after a run with a failed job: $red_state"
grep -q 'repro-reduce: 2 failed job' "$TMP/out-fail/slurm-reduce-$REDUCE_ID.out" \
    || fail "the reduction log does not list the 2 failed jobs"
grep -q 'wide,[01],Fail,failed,.*cannot handle 5 features' "$TMP/out-fail/slurm-reduce-$REDUCE_ID.out" \
    || fail "the reduction log lacks the failed job's message"
grep -q 'failed 2' "$TMP/out-fail/REPORT.md" || fail "REPORT.md does not count the failed jobs"
say "ok: the reduction ran after a failed run and listed its failed jobs"

#    A run that never starts (no such job file): the reduction fails at once.
say "submit: a run that fails before its first job"
submit -o "$TMP/out-none" -j "$TMP/no-such-job.ini" -n 1 -t 10
run_state=$(wait_job "$RUN_ID" 120)
red_state=$(wait_job "$REDUCE_ID" 120)
[ "$run_state" = FAILED ] || fail "the bad run ended $run_state, not FAILED"
[ "$red_state" = FAILED ] || fail "reduction without a results file: $red_state, not FAILED"
grep -q 'no results file' "$TMP/out-none/slurm-reduce-$REDUCE_ID.out" || fail "the reduction does not say why it failed"
say "ok: no results file -> the reduction fails with a message"
# 4. Near the time limit: USR1 stops the run, the job requeues itself and the
#    next start resumes the results file; the reduction still waits for it.
#    The first start runs the real work, then stands for the remaining hours.
W=$TMP/slow-first/repro_mpi
mkdir -p "$TMP/slow-first"
cat >"$W" <<SLOW
#!/bin/sh
if [ "\$1" = run ] && [ "\${SLURM_RESTART_COUNT:-0}" = 0 ]; then
    "$BIN" "\$@" || exit \$?
    touch "$TMP/slow-first/done.\${SLURM_PROCID:-\$\$}"
    exec sleep 600
fi
exec "$BIN" "\$@"
SLOW
chmod +x "$W"
say "submit: a run stopped by USR1, requeued and resumed"
REPRO_MPI=$W submit -o "$TMP/out-requeue" -j "$JOB" -n "$RANKS" -t 10 --repeats 2 --seed 7 --set SQ.n_resampling=4
for _ in $(seq 120); do [ -n "$(ls "$TMP/slow-first" | grep '^done\.' || true)" ] && break; sleep 1; done
[ -n "$(ls "$TMP/slow-first" | grep '^done\.' || true)" ] || fail "the first start did not get through its work"
scancel --signal=USR1 --batch "$RUN_ID"
run_state=$(wait_job "$RUN_ID" 240)
red_state=$(wait_job "$REDUCE_ID" 240)
log=$TMP/out-requeue/slurm-run-$RUN_ID.out
[ "$run_state" = COMPLETED ] && [ "$red_state" = COMPLETED ] \
    || fail "after USR1: run $run_state, reduce $red_state"
[ "$(job_field "$RUN_ID" Restarts)" = 1 ] || fail "the run was not requeued once (Restarts=$(job_field "$RUN_ID" Restarts))"
grep -q 'requeueing job' "$log" || fail "no requeue in the log"
grep -q '(restart 1).*(resuming)' "$log" || fail "the second start did not resume"
# the --set settings reached both starts (a resume with other settings is refused)
grep -q '(restart 1).*settings: SQ.n_resampling=4;' "$log" || fail "the second start lacks the settings"
h5dump -a /job_files "$TMP/out-requeue/results.h5" | grep -q '### SET SQ.n_resampling=4' \
    || fail "the settings are not recorded in the results file"
say "ok: USR1 -> clean stop, requeue, resumed run (same --set settings), then the reduction"
say "slurm test passed"
