#!/usr/bin/env bash
# End to end: seeds as a dimension. A sweep's rows of seed S equal a run of
# seed S alone (on 1 and 2 ranks); bad seed lists and a resume with another
# list exit 2 with one line; reduce of a sweep writes each seed's tables and
# the across-seed tables; duplicates across files are counted once when
# identical and refused when not; verify of a 10-seed sweep leads with the
# verdict, of fewer seeds it says the band is missing.
# Usage: e2e_seeds.sh BINARY SOURCE_DIR
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
MPIRUN=${MPIRUN:-mpirun}
TMP=$(mktemp -d /tmp/repro_e2e_seeds.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$TMP" || exit 1

cat > tiny.ini <<'INI'
[experiment toy_benchmarks]
generator = linear
data = per_repeat
repeats = 2
models = ElasticNet
[dataset Set 1]
n = 60
strong = 2
weak = 2
irrelevant = 2
[experiment NL_toy_benchmarks]
generator = nonlinear
data = once
repeats = 2
models = ElasticNet
[dataset NL 1]
n = 80
features = 6
strong = 2
weak = 0
INI

# one-line usage errors, exit 2
for list in "" "5-3" "4,4" "1,2-4,3" "18446744073709551616" "1-2000" "x" "1,,2"; do
    "$BIN" run tiny.ini --seeds "$list" -o bad.h5 > out 2> log; rc=$?
    [ "$rc" = 2 ] || fail "--seeds '$list' exits $rc, not 2"
    [ "$(wc -l < log)" = 1 ] || fail "--seeds '$list' prints $(wc -l < log) lines"
    [ ! -e bad.h5 ] || fail "--seeds '$list' left a file"
done
SEEDS=7-5 "$BIN" run tiny.ini -o bad.h5 2> log; [ $? = 2 ] && grep -q "SEEDS" log || fail "bad \$SEEDS not refused"
"$BIN" run tiny.ini --seed 3 --seeds 4,5 -o bad.h5 2> /dev/null; [ $? = 2 ] || fail "--seed with --seeds accepted"
"$BIN" reduce > out 2> log; [ $? = 2 ] && [ "$(wc -l < log)" = 1 ] || fail "reduce without arguments: not one line, exit 2"

# the sweep and the single runs
"$BIN" run tiny.ini --seeds 5,7 -o sweep.h5 2> log || fail "sweep failed: $(cat log)"
grep -q "SEEDS=5,7 (2 seeds)" log || fail "no seed list in the banner"
"$BIN" info sweep.h5 | grep -q "SEEDS=5,7 (2 seeds)" || fail "info lacks the seed list"
"$BIN" run tiny.ini --seed 7 -o seven.h5 2> /dev/null || fail "single run failed"
"$BIN" run tiny.ini --seed 5 -o five.h5 2> /dev/null || fail "single run failed"
$MPIRUN --oversubscribe -n 2 "$BIN" run tiny.ini --seeds 5,7 -o sweep2.h5 > log 2>&1 || fail "2-rank sweep failed: $(cat log)"
"$BIN" reduce sweep.h5 seven.h5 -o o1 > out 2>&1 || fail "reduce sweep + seed 7: $(cat out)"
grep -q "^4 jobs are in two of the files with identical results" out || fail "seed 7 of the sweep differs from --seed 7: $(cat out)"
"$BIN" reduce sweep2.h5 five.h5 -o o2 > out 2>&1 || fail "reduce 2-rank sweep + seed 5: $(cat out)"
grep -q "^4 jobs are in two of the files with identical results" out || fail "seed 5 of the 2-rank sweep differs from --seed 5: $(cat out)"

# resume: same list continues, another list is refused
"$BIN" run tiny.ini --seeds 5,7 -o sweep.h5 --resume 2> log || fail "resume of the sweep failed"
grep -q "8 already done" log || fail "resume did not find the done jobs: $(cat log)"
"$BIN" run tiny.ini --seeds 5-7 -o sweep.h5 --resume 2> log; [ $? = 2 ] || fail "resume with another seed list accepted"
grep -q "holds the seeds 5,7, not 5-7" log || fail "resume refusal unclear: $(cat log)"
"$BIN" run tiny.ini --seed 5 -o sweep.h5 --resume 2> /dev/null; [ $? = 2 ] || fail "single-seed resume of a sweep accepted"

# reduce of the sweep: per seed as the single run, across seeds beside
"$BIN" reduce sweep.h5 -o sw > out || fail "reduce of the sweep failed"
grep -q "^2 seeds" out || fail "reduce does not say it is a sweep"
"$BIN" reduce seven.h5 -o single > /dev/null || fail "reduce of the single run failed"
diff -r -x 'runtime.*' sw/seeds/7/tables single/tables > /dev/null || fail "seed 7's tables of the sweep differ from the single run's"
grep -q '\$\\pm\$' sw/tables/toy_benchmarks/sim_scores.tex || fail "across-seed .tex without mean +- sd"
head -1 sw/tables/toy_benchmarks/sim_scores_seeds.csv | grep -q "^set,column,seeds,mean,sd,q2.5,q50,q97.5$" || fail "no across-seed statistics CSV"
grep -q "^Set 1,ElasticNet,2," sw/tables/toy_benchmarks/sim_scores_seeds.csv || fail "statistics CSV lacks the 2 seeds"
[ -d sw/seeds/5/tables ] || fail "no tables of seed 5"
"$BIN" reduce seven.h5 -o sw > /dev/null && [ ! -e sw/seeds ] || fail "a stale seeds/ folder survives a single-seed reduce"

# files of different seeds are not pooled: they become seeds of a sweep
"$BIN" reduce five.h5 seven.h5 -o pair > out || fail "reduce of two seeds failed"
grep -q "^2 seeds" out || fail "two files of different seeds pooled"

# a job in two files with different results is refused, naming it
"$BIN" run tiny.ini --seed 7 --set ElasticNet.folds=3 -o other.h5 2> log || fail "run with --set failed: $(cat log)"
"$BIN" reduce seven.h5 other.h5 -o dup > out 2> log; [ $? = 2 ] || fail "different duplicates accepted"
grep -q "job seed 7 / .* is in both seven.h5 and other.h5 with different results" log || fail "duplicate refusal unclear: $(cat log)"
[ "$(wc -l < log)" = 1 ] || fail "duplicate refusal is not one line"

# verify: fewer than 10 seeds (weak), then 10 seeds (verdict first)
"$BIN" verify sweep.h5 -o v2 > out || fail "verify of 2 seeds failed"
grep -q "2 seeds: too few for a 95 % band" out || fail "verify of 2 seeds does not flag the missing band: $(cat out)"
grep -q "^\*\*Weak:\*\*" v2/REPORT.md || fail "REPORT.md of 2 seeds not flagged weak"
"$BIN" run tiny.ini --seeds 11-20 -o ten.h5 2> /dev/null || fail "10-seed sweep failed"
"$BIN" verify ten.h5 -o v10 > out || fail "verify of 10 seeds failed"
grep -q "^verdict over 10 seeds: [0-9]* / [0-9]* published cells consistent" out || fail "no verdict line: $(cat out)"
sed -n 3p v10/REPORT.md | grep -q "^## Verdict over 10 seeds" || fail "REPORT.md does not lead with the verdict"
grep -q "^| toy_benchmarks/sim_scores\|^| sim_scores | Set 1 / ElasticNet |" v10/REPORT.md || fail "no per-cell verdict row"
[ -s v10/figures/verdict/sim_scores.png ] && [ -s v10/figures/verdict/per_dataset.pdf ] || fail "no verdict figures"
"$BIN" verify v10 > out || fail "verify of the output folder failed"
grep -q "^verdict over 10 seeds" out || fail "verify OUTDIR does not read the seeds back"
echo "ok"
