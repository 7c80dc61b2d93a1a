#!/bin/bash
# The deterministic fields of a results file are byte-identical for 1, 2 and
# 3 ranks and for 1 or 2 threads per fit; a failing job is recorded while the
# others complete (exit code 1). Test models first; then jobs/smoke.ini with
# the real models.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

cat > toy.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 3
models = Corr, Fail
Corr.perms = 100
Fail.max_d = 10
[dataset small]
n = 60
strong = 2
weak = 2
irrelevant = 2
[dataset big]
n = 200
strong = 3
weak = 4
irrelevant = 5
[experiment nl]
generator = nonlinear
data = once
repeats = 2
models = Corr
[dataset N]
n = 120
features = 12
strong = 3
weak = 4
INI

for cfg in "1 1" "2 1" "3 1" "1 2" "2 2"; do
    set -- $cfg
    mpi "$1" "$TOY" run toy.ini -o "toy_$1_$2.h5" --threads "$2" > "log_$1_$2" 2>&1
    rc=$?
    [ $rc -eq 1 ] || { cat "log_$1_$2"; fail "toy run on $1 ranks x $2 threads: exit $rc, want 1 (failed jobs)"; }
    grep -q "14 jobs: 11 done, 3 failed" "log_$1_$2" || { cat "log_$1_$2"; fail "summary missing"; }
    grep -q "failed: job 7 (lin / big / repeat 0 / Fail): .*cannot handle 12 features" "log_$1_$2" ||
        fail "failed job not listed"
    det "toy_$1_$2.h5" > "det_$1_$2"
done
for cfg in 2_1 3_1 1_2 2_2; do
    cmp -s det_1_1 "det_$cfg" || { diff det_1_1 "det_$cfg" | head -20; fail "toy results differ: 1_1 vs $cfg"; }
done
# the rows were really spread over ranks, and failed rows carry their message
values toy_3_1.h5 /jobs/rank | sort -u | tr '\n' ' ' | grep -q "1 2" || fail "3 ranks: not all ranks ran jobs"
[ "$(values toy_1_1.h5 /jobs/status | tr -d '\n')" = "11111112121211" ] || fail "status column wrong"
# the summary's busy line: rank-seconds on units within ranks x wall
eff=$(sed -n 's/^  ranks busy: .* of 3 x .* s (efficiency \([0-9.]*\))$/\1/p' log_3_1)
[ -n "$eff" ] || { cat log_3_1; fail "3 ranks: no 'ranks busy' line"; }
awk -v e="$eff" 'BEGIN { exit !(e > 0 && e <= 1) }' || fail "3 ranks: efficiency $eff outside (0, 1]"
echo "toy: identical deterministic fields for 1/2/3 ranks and 1/2 threads"

# The real models on jobs/smoke.ini.
for cfg in "1 1" "2 1" "3 1" "1 2"; do
    set -- $cfg
    mpi "$1" "$BIN" run "$SRC/jobs/smoke.ini" -o "smoke_$1_$2.h5" --threads "$2" > "slog_$1_$2" 2>&1 ||
        { cat "slog_$1_$2"; fail "smoke run on $1 ranks x $2 threads failed"; }
    det "smoke_$1_$2.h5" > "sdet_$1_$2"
done
for cfg in 2_1 3_1 1_2; do
    cmp -s sdet_1_1 "sdet_$cfg" || { diff sdet_1_1 "sdet_$cfg" | head -20; fail "smoke results differ: 1_1 vs $cfg"; }
done
echo "smoke.ini: identical deterministic fields for 1/2/3 ranks and 1/2 threads"
