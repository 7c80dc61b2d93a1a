#!/bin/bash
# bench_runner.sh - wall time, parallel efficiency and peak memory per rank of
# a whole job file (default: the linear toy benchmarks, REPEATS=10) on 1 and on
# 2 ranks ("in fits": the share of rank-time spent inside fits, which shows
# the load balance even when other load slows everything). Medians of RUNS runs (default 3), run alternately so that load from
# other users of the machine hits both configurations alike.
#   bash bench/bench_runner.sh [BUILD_DIR] [JOBFILE]
#   RUNS=5 REPEATS=10 RANKS="1 2 4" bash bench/bench_runner.sh build jobs/toy_benchmarks.ini
set -eu
BUILD=$(cd "${1:-build}" && pwd)
JOBS=$(cd "$(dirname "${2:-jobs/toy_benchmarks.ini}")" && pwd)/$(basename "${2:-jobs/toy_benchmarks.ini}")
RUNS=${RUNS:-3}
RANKS=${RANKS:-"1 2"}
MODELS_FLAG=${MODELS:+--models $MODELS}   # MODELS=A,B runs only these models
export REPEATS=${REPEATS:-10} SEED=${SEED:-123}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
WORK=$(mktemp -d /tmp/repro_bench_XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

for r in $(seq 1 "$RUNS"); do
    for np in $RANKS; do
        rm -f "r.h5"
        t0=$(date +%s.%N)
        rc=0
        mpirun --oversubscribe -n "$np" sh -c '/usr/bin/time -f "rss_kib %M" -o "$0_$OMPI_COMM_WORLD_RANK" "$@"' \
            "mem_${np}_$r" "$BUILD/repro_mpi" run "$JOBS" -o r.h5 $MODELS_FLAG > "log_${np}_$r" 2>&1 || rc=$?
        # 1: some jobs failed (counted in the jobs line); anything else: the run itself failed
        t1=$(date +%s.%N)
        if [ "$rc" -gt 1 ]; then
            echo "bench_runner: the run on $np rank(s) failed (exit $rc):" >&2
            tail -5 "log_${np}_$r" >&2
            exit 1
        fi
        echo "$t1 - $t0" | bc -l > "wall_${np}_$r"
        "$BUILD/repro_mpi" info r.h5 > "info_${np}_$r"
        awk '/^jobs:/' "info_${np}_$r" > "jobs_${np}_$r"
        # rank time spent inside fits: load balance independent of other load
        awk -v w="$(cat "wall_${np}_$r")" -v np="$np" '/^model/ {on = 1; next} on && NF == 6 {s += $5}
            END {print 100 * s / (w * np)}' "info_${np}_$r" > "busy_${np}_$r"
    done
done

echo "job file: $JOBS, SEED=$SEED REPEATS=$REPEATS, $RUNS runs, median wall times (machine shared: noisy)"
base=""
for np in $RANKS; do
    w=$(cat wall_${np}_* | median)
    [ -z "$base" ] && base=$w && base_np=$np
    eff=$(echo "100 * $base * $base_np / ($w * $np)" | bc -l)
    mem=$(cat mem_${np}_* 2>/dev/null | awk '{print $2}' | sort -g | tail -1)
    rss=n/a
    [ -n "$mem" ] && rss="$(printf %.1f "$(echo "$mem / 1024" | bc -l)") MiB"
    busy=$(cat busy_${np}_* | median)
    printf "%2d rank(s): wall %8.2f s  speedup %5.2f  efficiency %5.1f %%  in fits %5.1f %%  peak RSS/rank %s  (%s)\n" \
        "$np" "$w" "$(echo "$base / $w" | bc -l)" "$eff" "$busy" "$rss" "$(cat jobs_${np}_1)"
done
