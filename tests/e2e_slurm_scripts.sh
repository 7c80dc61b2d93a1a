#!/usr/bin/env bash
# slurm/submit.sh without a cluster: help, bad options, and the two sbatch
# commands it would run (--dry-run); the batch scripts parse and carry the
# requeue and early-signal settings. The real submission is `make test-slurm`.
#   bash tests/e2e_slurm_scripts.sh BINARY SOURCE_DIR
set -uo pipefail
BIN=${1:?usage: e2e_slurm_scripts.sh BINARY SOURCE_DIR}
SRC=${2:?usage: e2e_slurm_scripts.sh BINARY SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
S=$SRC/slurm/submit.sh

bash "$S" --help | grep -q -- '--partition' && ok || bad "--help"
for args in "--bogus" "--ranks two" "--ranks 0" "--ranks" "--set SQ" "--set SQ.perc" "--set SQ.perc=1,2"; do
    # shellcheck disable=SC2086
    bash "$S" $args --dry-run >/dev/null 2>&1; rc=$?
    [ "$rc" = 2 ] && ok || bad "'$args' exited $rc, not 2"
done

out=$(REPRO_MPI=$BIN bash "$S" --dry-run -n 8 -c 2 -p short -t 01:00:00 -j smoke,"$SRC/jobs/toy_benchmarks.ini" \
      --seed 5 -o "$tmp/out" --set SQ.perc=100 --set SQ.min_child_rows=1 -- --qos=test)
run=$(sed -n 1p <<<"$out") red=$(sed -n 2p <<<"$out")
for want in --ntasks=8 --cpus-per-task=2 --partition=short --time=01:00:00 --qos=test SEED=5 N_THREADS=2 \
            "$SRC/slurm/repro.sbatch" "$tmp/out/results.h5" "$SRC/jobs/smoke.ini" "$SRC/jobs/toy_benchmarks.ini"; do
    grep -qF -- "$want" <<<"$run" && ok || bad "run command lacks $want: $run"
done
grep -q 'REPEATS=' <<<"$run" && bad "REPEATS passed though not given" || ok
grep -qF 'REPRO_SET=SQ.perc=100\ SQ.min_child_rows=1' <<<"$run" && ok || bad "run command lacks the settings: $run"
grep -q 'REPRO_SET' <<<"$red" && bad "the reduction got the settings" || ok
for want in --dependency=afterok: "$SRC/slurm/reduce.sbatch" --partition=short --qos=test "$tmp/out"; do
    grep -qF -- "$want" <<<"$red" && ok || bad "reduce command lacks $want: $red"
done
[ -d "$tmp/out" ] && ok || bad "output folder not made"

for f in repro.sbatch reduce.sbatch submit.sh; do
    bash -n "$SRC/slurm/$f" && ok || bad "$f does not parse"
done
grep -q '^#SBATCH --requeue' "$SRC/slurm/repro.sbatch" && ok || bad "repro.sbatch is not requeueable"
grep -q '^#SBATCH --signal=B:USR1@' "$SRC/slurm/repro.sbatch" && ok || bad "repro.sbatch has no early signal"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
