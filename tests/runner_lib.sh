# runner_lib.sh - helpers shared by the tests/e2e_runner_*.sh scripts.
# Sourced with BIN (build/repro_mpi) and SRC (source dir) set.
set -u
BUILD_DIR=$(cd "$(dirname "$BIN")" && pwd)
TOY="$BUILD_DIR/tests/test_run"   # repro_mpi run/info with the test models Corr and Fail
MPIRUN=${MPIRUN:-mpirun}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export HDF5_USE_FILE_LOCKING=FALSE
WORK=$(mktemp -d /tmp/repro_e2e_XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }

[ -x "$TOY" ] || fail "test program $TOY not built"

mpi() { local n=$1; shift; "$MPIRUN" --oversubscribe -n "$n" "$@"; }

# Deterministic contents of a results file: every dataset and attribute
# except times, ranks and hosts, doubles printed with all digits.
det() {
    h5dump -m '%.17g' -d /jobs/id -d /jobs/experiment -d /jobs/dataset -d /jobs/model -d /jobs/repeat \
        -d /jobs/n -d /jobs/d -d /jobs/status -d /jobs/train_score -d /jobs/precision -d /jobs/recall -d /jobs/f1 \
        -d /jobs/weak_precision -d /jobs/weak_recall -d /jobs/strong_precision -d /jobs/strong_recall -d /jobs/has_importance \
        -d /jobs/has_bounds -d /jobs/extras -d /jobs/message -d /relevance -d /truth -d /importance \
        -d /bounds -a /SEED -a /REPEATS -a /job_files -a /n_jobs -a /max_d -a /plan_fingerprint "$1" |
        tail -n +2
}

# Values of a 1-D dataset, one per line (the status enum as its numbers).
values() {
    h5dump -y -w 1 -d "$2" "$1" | awk '/DATA \{/ {on = 1; next} on && /\}/ {exit} on' | tr -d ' ,' | grep -v '^$' |
        sed 's/^pending$/0/; s/^done$/1/; s/^failed$/2/'
}
