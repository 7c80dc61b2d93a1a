#!/bin/bash
# `repro_mpi export`: a smoke run exported as CSV and JSON, one row per job,
# the all-relevant scores recomputed here from the exported feature lists and
# the generators' truth; failed jobs keep their message; bad input exits 2.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

mpi 2 "$BIN" run smoke --repeats 1 -o smoke.h5 > run.log 2>&1 || { cat run.log; fail "smoke run"; }
"$BIN" export smoke.h5 -o smoke.csv || fail "export csv"
"$BIN" export smoke.h5 --format json > smoke.json || fail "export json to stdout"
n_jobs=$(h5dump -a /n_jobs smoke.h5 | awk '/\(0\)/ {print $2}')
[ "$n_jobs" -ge 8 ] || fail "n_jobs '$n_jobs'"
[ "$(wc -l < smoke.csv)" -eq $((n_jobs + 1)) ] || fail "csv: want $n_jobs rows and a header"
head -1 smoke.csv | grep -q '^seed,experiment,dataset,repeat,model,status,n,d,fit_seconds,train_score,precision,recall,f1,weak_precision,weak_recall,strong_precision,strong_recall,selected,strong,weak,message$' \
    || fail "csv header: $(head -1 smoke.csv)"
[ "$(grep -c '^{' smoke.json)" -eq "$n_jobs" ] || fail "json: want $n_jobs objects"
head -1 smoke.json | grep -qx '\[' && tail -1 smoke.json | grep -qx '\]' || fail "json: not one array"

# Every linear job: precision/recall/F1 against truth = the first strong+weak
# columns (tiny 1: 2+2 of 6, tiny 2: 2+2 of 8), from the 'selected' column.
awk -F, 'NR > 1 && $2 == "smoke_linear" {
    if ($1 != 123) { print "seed column: " $0; bad = 1 }
    if ($6 != "done") { print "not done: " $0; bad = 1; next }
    rel = 4; n = split($18, sel, " "); tp = 0
    for (i = 1; i <= n; i++) if (sel[i] + 0 < rel) tp++
    p = n ? tp / n : 0; r = tp / rel; f = (p + r) ? 2 * p * r / (p + r) : 0
    if ((p - $11)^2 > 1e-18 || (r - $12)^2 > 1e-18 || (f - $13)^2 > 1e-18) {
        print "scores differ: " $0 " (want " p " " r " " f ")"; bad = 1 }
    if ($5 == "SQ" || $5 == "FRI") { if ($14 == "" || $17 == "") { print "no per-class: " $0; bad = 1 } }
    else if ($14 != "" || $19 != "" || $20 != "") { print "per-class for a selector: " $0; bad = 1 }
    checked++
} END { if (checked < 8) { print "only " checked " linear rows"; bad = 1 } exit bad }' smoke.csv \
    || fail "csv scores"
# The same row in both formats (SQ on tiny 1).
grep '^123,smoke_linear,tiny 1,0,SQ,' smoke.csv > sq.csv || fail "no SQ row"
f1=$(cut -d, -f13 sq.csv)
grep -F '"dataset":"tiny 1","repeat":0,"model":"SQ"' smoke.json | grep -qF "\"f1\":$f1," \
    || fail "json SQ row does not carry f1 $f1"

# Failed and pending jobs: the test models (Fail gives up on more than 3 features).
cat > fail.ini <<'INI'
[experiment e]
generator = linear
data = once
repeats = 1
models = Corr, Fail
Fail.max_d = 3
[dataset wide, with comma]
n = 30
strong = 1
weak = 2
irrelevant = 2
INI
mpi 1 "$TOY" run fail.ini -o fail.h5 > fail.log 2>&1
[ $? -eq 1 ] || { cat fail.log; fail "toy run: want exit 1"; }
"$BIN" export fail.h5 > fail.csv || fail "export of a file with a failed job"
grep -q '^[0-9]*,e,"wide, with comma",0,Fail,failed,30,5,[0-9.e-]*,,,,,,,,,,,,Fail failed.*5 features' fail.csv \
    || { cat fail.csv; fail "failed row (quoted data set name, empty scores, message)"; }
"$BIN" export fail.h5 --format json | grep -q '"model":"Fail","status":"failed".*"f1":null' \
    || fail "json: a failed job's scores are null"

# fixed_repeats = yes: REPEATS and --repeats leave an experiment's repeats
# alone (the figures' experiments), the others follow them.
cat > fixed.ini <<'INI'
[experiment tables]
generator = linear
data = per_repeat
repeats = 4
models = Corr
[dataset S]
n = 30
strong = 1
weak = 1
irrelevant = 1
[experiment figs]
generator = linear
data = once
repeats = 3
fixed_repeats = yes
models = Corr
[dataset F]
n = 30
strong = 1
weak = 1
irrelevant = 1
INI
for how in env flag; do
    rm -f fixed.h5
    if [ $how = env ]; then REPEATS=1 mpi 1 "$TOY" run fixed.ini -o fixed.h5 > fixed.log 2>&1
    else mpi 1 "$TOY" run fixed.ini --repeats 1 -o fixed.h5 > fixed.log 2>&1; fi || { cat fixed.log; fail "fixed run ($how)"; }
    "$BIN" export fixed.h5 > fixed.csv || fail "export fixed.h5"
    [ "$(grep -c '^[0-9]*,tables,' fixed.csv)" -eq 1 ] || fail "$how: the tables experiment does not follow REPEATS=1"
    [ "$(grep -c '^[0-9]*,figs,' fixed.csv)" -eq 3 ] || fail "$how: fixed_repeats = yes did not keep 3 repeats"
done
grep -q "REPEATS=1" fixed.log || fail "the run does not report the REPEATS override: $(head -1 fixed.log)"
sed 's/fixed_repeats = yes/fixed_repeats = maybe/' fixed.ini > badfixed.ini
mpi 1 "$TOY" run badfixed.ini -o bad.h5 > bad.log 2>&1
[ $? -eq 2 ] && grep -q 'badfixed.ini:[0-9]*:.*fixed_repeats' bad.log || { cat bad.log; fail "fixed_repeats = maybe not refused with FILE:LINE"; }
[ "$(grep -c '^fixed_repeats = yes' "$SRC/jobs/figures.ini")" -eq 3 ] || fail "figures.ini: every figure experiment keeps its repeats"

# Bad input: exit 2, one line, no output file.
for args in "nothing.h5" "fail.ini" "smoke.h5 --format xml" "smoke.h5 --bogus" "smoke.h5 extra.h5"; do
    # shellcheck disable=SC2086
    "$BIN" export $args -o bad.csv > /dev/null 2> err.txt
    rc=$?
    [ $rc -eq 2 ] || fail "export $args: exit $rc, want 2"
    [ "$(wc -l < err.txt)" -eq 1 ] || { cat err.txt; fail "export $args: want one line"; }
    [ ! -e bad.csv ] || fail "export $args left bad.csv"
done
echo "export: ok"
