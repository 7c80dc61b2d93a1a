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

# split_vs_whole INI NAME: runs INI (10 jobs, 6 of them split) on 1, 3 and 8
# ranks split and on 1 and 3 ranks with --no-split; asserts identical
# deterministic fields, that the jobs were split (and not with --no-split),
# that a task ran on another rank than 0, and that every job is done.
split_vs_whole() {
    local ini=$1 name=$2 cfg
    for cfg in "1 split" "3 split" "8 split" "1 whole" "3 whole"; do
        set -- $cfg
        local flag=
        [ "$2" = whole ] && flag=--no-split
        mpi "$1" "$BIN" run "$ini" -o "r_$1_$2.h5" $flag > "log_$1_$2" 2>&1 ||
            { cat "log_$1_$2"; fail "run on $1 ranks ($2) failed"; }
        grep -q "10 jobs: 10 done, 0 failed" "log_$1_$2" || { cat "log_$1_$2"; fail "summary missing ($1 $2)"; }
        det "r_$1_$2.h5" > "det_$1_$2"
    done
    for cfg in 3_split 8_split 1_whole 3_whole; do
        cmp -s det_1_split "det_$cfg" || { diff det_1_split "det_$cfg" | head -20; fail "results differ: 1_split vs $cfg"; }
    done
    grep -q "split into tasks: 6 jobs" log_1_split || { cat log_1_split; fail "$name jobs not split"; }
    grep -q "split into tasks" log_1_whole && fail "--no-split still split"
    local elsewhere
    elsewhere=$(sed -n 's/.*tasks (\([0-9]*\) on ranks other than 0).*/\1/p' log_8_split)
    [ "${elsewhere:-0}" -gt 0 ] || { cat log_8_split; fail "8 ranks: no task ran on another rank"; }
    [ "$(values r_3_split.h5 /jobs/status | tr -d '\n')" = "1111111111" ] || fail "status column wrong"
    echo "$name split: identical deterministic fields on 1/3/8 ranks, split and whole"
}

