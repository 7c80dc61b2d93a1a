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
for want in --dependency=afterany: "$SRC/slurm/reduce.sbatch" --partition=short --qos=test "$tmp/out"; do
    grep -qF -- "$want" <<<"$red" && ok || bad "reduce command lacks $want: $red"
done
[ -d "$tmp/out" ] && ok || bad "output folder not made"

# A site setup file is passed on as an absolute path; a missing one is refused.
echo 'module load nothing' > "$tmp/site.sh"
(cd "$tmp" && REPRO_MPI=$BIN REPRO_SITE_SETUP=site.sh bash "$S" --dry-run -o "$tmp/o2" >/dev/null) && ok || bad "site setup file"
REPRO_MPI=$BIN REPRO_SITE_SETUP=$tmp/none.sh bash "$S" --dry-run -o "$tmp/o3" >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] && ok || bad "a missing REPRO_SITE_SETUP file: exit $rc, not 2"
grep -q 'REPRO_SITE_SETUP' "$SRC/slurm/repro.sbatch" && grep -q 'REPRO_SITE_SETUP' "$SRC/slurm/reduce.sbatch" \
    && ok || bad "the batch scripts do not source REPRO_SITE_SETUP"
grep -q '^#SBATCH --mem-per-cpu=' "$SRC/slurm/repro.sbatch" && ok || bad "repro.sbatch has no memory request"
grep -q '^#SBATCH --mem=' "$SRC/slurm/reduce.sbatch" && ok || bad "reduce.sbatch has no memory request"
# The reduction makes the report as `verify RESULTS -o OUTDIR` does.
grep -q 'verify "$RESULTS" -o "$OUTDIR"' "$SRC/slurm/reduce.sbatch" && ok || bad "reduce.sbatch does not run verify RESULTS -o OUTDIR"

# Installed: the scripts sit in PREFIX/share/repro_mpi/slurm and find
# PREFIX/bin/repro_mpi without REPRO_MPI or PATH.
P=$tmp/prefix
if cmake --install "$(dirname "$BIN")" --prefix "$P" >"$tmp/install.log" 2>&1; then
    for f in submit.sh repro.sbatch reduce.sbatch; do
        [ -x "$P/share/repro_mpi/slurm/$f" ] && ok || bad "not installed: share/repro_mpi/slurm/$f"
    done
    out=$(env -u REPRO_MPI PATH=/usr/bin:/bin bash "$P/share/repro_mpi/slurm/submit.sh" --dry-run -o "$tmp/o4" -j smoke)
    grep -qF "REPRO_MPI=$P/share/repro_mpi/slurm/../../../bin/repro_mpi" <<<"$out" \
        || grep -qF "REPRO_MPI=$P/bin/repro_mpi" <<<"$out" && ok || bad "installed submit.sh does not use PREFIX/bin/repro_mpi: $out"
    grep -qE "$P(/bin/\.\.)?/share/repro_mpi/jobs/smoke\.ini" <<<"$out" && ok || bad "installed submit.sh does not find the shipped smoke job: $out"
    [ -f "$P/share/doc/repro_mpi/RESULTS_FILE.md" ] && ok || bad "docs not installed"
else
    cat "$tmp/install.log" >&2; bad "cmake --install"
fi

for f in repro.sbatch reduce.sbatch submit.sh; do
    bash -n "$SRC/slurm/$f" && ok || bad "$f does not parse"
done
grep -q '^#SBATCH --requeue' "$SRC/slurm/repro.sbatch" && ok || bad "repro.sbatch is not requeueable"
grep -q '^#SBATCH --signal=B:USR1@' "$SRC/slurm/repro.sbatch" && ok || bad "repro.sbatch has no early signal"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
