#!/bin/bash
# bench_scaling.sh - the scaling model (bench_scaling) and its check against
# real runs on this machine.
#   bash bench/bench_scaling.sh [BUILD_DIR] [RESULTS.h5]
# With RESULTS.h5 (e.g. a whole-paper run), first prints the model's table
# for 1..1024 ranks from its recorded fit times. Then runs bench/scaling.ini
# (about a minute of fits) on 1 rank, and on each of RANKS (default
# "2 4 8", oversubscribed past the cores), and prints for each run:
#   predicted  the 1-rank run's fit times replayed through the dealing policy
#              for P ranks sharing the machine's cores (nproc; the model is
#              told the oversubscription), so a true prediction;
#   replay     the run's own recorded fit times replayed on P ranks (no core
#              sharing: the times already include it), which checks the
#              policy alone;
#   measured   the run's wall time (mpirun start to end: MPI start-up, the
#              file, data generation and messages included);
#   cpu        its CPU seconds / (wall x cores): the share of the machine it
#              got (other load lowers it), and the load average before it;
#   pred_got   the prediction for a shared machine: the 1-rank run's CPU
#              seconds as the work (its fit times scaled to them) on P ranks
#              sharing the cores this run got (cpu x cores). CPU seconds
#              include what idle MPI ranks spend polling, so this leans low
#              for oversubscribed runs.
# Runs are under nice -n 10; RANKS="2 4" or JOBS=file.ini change them.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
RESULTS=${2:-}
SRC=$(cd "$(dirname "$0")/.." && pwd)
JOBS=${JOBS:-$SRC/bench/scaling.ini}
RANKS=${RANKS:-"2 4 8"}
CORES=$(nproc)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
BENCH=$BUILD/bench/bench_scaling
WORK=$(mktemp -d /tmp/repro_scaling_XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [ -n "$RESULTS" ]; then
    "$BENCH" "$RESULTS"
    echo
fi

# One run on $1 ranks into $WORK/r$1.h5; sets wall, cpu and load.
run() {
    local np=$1
    load=$(cut -d' ' -f1 /proc/loadavg)
    rm -f "$WORK/r$np.h5"
    /usr/bin/time -f "%e %U %S" -o "$WORK/time$np" nice -n 10 mpirun --oversubscribe -n "$np" \
        "$BUILD/repro_mpi" run "$JOBS" -o "$WORK/r$np.h5" > "$WORK/log$np" 2>&1 ||
        { echo "bench_scaling.sh: the run on $np rank(s) failed:" >&2; tail -5 "$WORK/log$np" >&2; exit 1; }
    read -r wall user sys < "$WORK/time$np"
    cpu=$(echo "($user + $sys) / ($wall * $CORES)" | bc -l)
}

echo "real runs of $(basename "$JOBS") on this machine ($CORES cores), under nice -n 10"
printf "%6s %11s %9s %11s %10s %9s %6s %10s %10s\n" ranks predicted_s replay_s measured_s meas/pred cpu_share \
    load pred_got_s meas/got
pred() { "$BENCH" "$@" | sed -n 's/^predicted \([0-9.]*\) s.*/\1/p'; }
for np in 1 $RANKS; do
    run "$np"
    if [ "$np" -eq 1 ]; then
        fits1=$("$BENCH" "$WORK/r1.h5" --ranks 1 | sed -n 's/.*(\([0-9.]*\) s of fits.*/\1/p')
        scale1=$(echo "$cpu * $CORES * $wall / $fits1" | bc -l)
    fi
    p=$(pred "$WORK/r1.h5" --ranks "$np" --cores "$CORES")
    r=$(pred "$WORK/r$np.h5" --ranks "$np")
    g=$(pred "$WORK/r1.h5" --ranks "$np" --cores "$(echo "$cpu * $CORES" | bc -l)" --scale "$scale1")
    printf "%6d %11.2f %9.2f %11.2f %10.3f %9.2f %6s %10.2f %10.3f\n" "$np" "$p" "$r" "$wall" \
        "$(echo "$wall / $p" | bc -l)" "$cpu" "$load" "$g" "$(echo "$wall / $g" | bc -l)"
done
