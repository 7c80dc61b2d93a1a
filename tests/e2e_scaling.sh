#!/bin/bash
# The scaling model (bench/bench_scaling) on a real results file: on one
# rank the makespan is the sum of the fit times, on more ranks than jobs the
# longest fit, never below work / ranks, efficiency never above 1; the
# prediction for ranks sharing fewer cores is at least work / cores; bad
# input exits 2 with one line.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"
SCALING="$BUILD_DIR/bench/bench_scaling"
[ -x "$SCALING" ] || fail "bench_scaling not built"

mpi 1 "$BIN" run "$SRC/jobs/smoke.ini" -o s.h5 > log 2>&1 || { cat log; fail "smoke run"; }
# sum and maximum of the recorded fit times
values s.h5 /jobs/fit_seconds > fits
read -r work longest < <(awk '{s += $1; if ($1 > m) m = $1} END {printf "%.6f %.6f\n", s, m}' fits)
[ "$(wc -l < fits)" -eq 24 ] || fail "fit times: $(wc -l < fits) values"

"$SCALING" s.h5 > table 2>&1 || { cat table; fail "bench_scaling exit $?"; }
awk -v w="$work" -v l="$longest" '
    $1 ~ /^[0-9]+$/ && NF >= 4 {
        rows++; p = $1; span = $2; eff = $4
        if (p == 1 && (span - w > 0.06 || w - span > 0.06)) { print "P=1 makespan " span " != work " w; bad = 1 }
        if (span + 0.06 < l) { print "P=" p ": makespan " span " below the longest job " l; bad = 1 }
        if (span + 0.06 < w / p) { print "P=" p ": makespan " span " below work/P"; bad = 1 }
        if (eff > 1.0005) { print "P=" p ": efficiency " eff " above 1"; bad = 1 }
        if (p == 1024 && (span - l > 0.06 || l - span > 0.06)) { print "P=1024: makespan " span " != longest " l; bad = 1 }
    }
    END { if (rows != 11) { print rows " rows, want 11 (1..1024)"; bad = 1 } exit bad }' table ||
    { cat table; fail "table"; }

pred() { "$SCALING" s.h5 "$@" | sed -n 's/^predicted \([0-9.]*\) s.*/\1/p'; }
p1=$(pred --ranks 1)
awk -v p="$p1" -v w="$work" 'BEGIN { exit !(p - w < 0.006 && w - p < 0.006) }' || fail "--ranks 1: $p1 != $work"
p8=$(pred --ranks 8 --cores 2)
awk -v p="$p8" -v w="$work" 'BEGIN { exit !(p + 0.006 >= w / 2) }' || fail "8 ranks on 2 cores: $p8 < work/2"
line=$("$SCALING" s.h5 --ranks 2 --measured 10)
echo "$line" | grep -q "measured 10.00 s, measured/predicted" || fail "--measured: $line"

for bad in "missing.h5" "s.h5 --ranks x" "s.h5 --ranks 0" "s.h5 --bogus 1" "s.h5 --ranks"; do
    "$SCALING" $bad > out 2> err
    rc=$?
    [ $rc -eq 2 ] || fail "'$bad': exit $rc, want 2"
    [ "$(wc -l < err)" -eq 1 ] || { cat err; fail "'$bad': not one line"; }
done
echo "bench_scaling: table and predictions consistent with the recorded fit times"
