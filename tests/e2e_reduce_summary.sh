#!/bin/bash
# `reduce` of results of other job files (no experiment of the paper): a
# summary per experiment x data set x model (jobs done and failed, mean and
# sd of each stored score and of the fit time) in tables/summary/jobs.csv and
# REPORT.md, its means and sds equal to those of the exported jobs.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

cat > own.ini <<'INI'
[experiment mine]
generator = linear
data = per_repeat
repeats = 4
seed = 11
models = Corr, Fail
Fail.max_d = 4
[dataset narrow]
n = 60
strong = 1
weak = 1
irrelevant = 2
[dataset wide]
n = 60
strong = 2
weak = 2
irrelevant = 3
INI
mpi 2 "$TOY" run own.ini -o own.h5 > run.log 2>&1
[ $? -eq 1 ] || { cat run.log; fail "run: want exit 1 (Fail fails on 'wide')"; }
"$BIN" reduce own.h5 -o out > red.log 2>&1 || { cat red.log; fail "reduce"; }
grep -q "^no experiment of the paper: a summary of 4 experiment x data set x model groups" red.log \
    || { cat red.log; fail "reduce's summary line"; }
grep -q "cells" red.log && fail "reduce still counts the paper's cells"
csv=out/tables/summary/jobs.csv
[ -s "$csv" ] && [ -s out/tables/summary/jobs.tex ] || fail "no summary table"
head -1 "$csv" | grep -q '^experiment,dataset,model,done,failed,precision,recall,f1,weak_precision,weak_recall,strong_precision,strong_recall,train_score,fit_seconds' \
    || fail "summary header: $(head -1 "$csv")"
grep -q '^mine,wide,Fail,0,4,' "$csv" || { cat "$csv"; fail "the failed group"; }
grep -q '^mine,narrow,Fail,4,0,' "$csv" || { cat "$csv"; fail "Fail on narrow: 4 done"; }
grep -q "^# Summary of the results" out/REPORT.md || fail "REPORT.md is not the summary"
grep -q "^| mine | wide | Corr | 4 | 0 | [0-9.]* ± [0-9.]* |" out/REPORT.md || { cat out/REPORT.md; fail "REPORT.md row"; }
grep -q "jobs: 16 (done 12, failed 4, pending 0)" out/REPORT.md || fail "REPORT.md job counts"
grep -q "SEED=11" out/REPORT.md || fail "REPORT.md has no provenance"

# the means and sds from the exported jobs (f1 col 13, fit_seconds col 9)
"$BIN" export own.h5 -o jobs.csv || fail "export"
for pair in "f1 13" "fit_seconds 9" "precision 11"; do
    set -- $pair
    col=$(head -1 "$csv" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1)
    sdcol=$(head -1 "$csv" | tr ',' '\n' | grep -nx "$1_sd" | cut -d: -f1)
    [ -n "$col" ] && [ -n "$sdcol" ] || fail "no $1 / $1_sd column"
    awk -F, -v c="$2" 'NR > 1 && $6 == "done" { k = $2 "," $3 "," $5; n[k]++; s[k] += $c; q[k] += $c * $c }
        END { for (k in n) { m = s[k] / n[k]; v = n[k] > 1 ? (q[k] - n[k] * m * m) / (n[k] - 1) : 0
              printf "%s %.4f %.4f\n", k, m, sqrt(v > 0 ? v : 0) } }' jobs.csv | sort > want
    awk -F, -v c="$col" -v d="$sdcol" 'NR > 1 && $4 + 0 > 0 { printf "%s,%s,%s %s %s\n", $1, $2, $3, $c, $d }' "$csv" |
        sort > got
    [ "$(wc -l < want)" -eq 3 ] || fail "$1: want 3 groups with finished jobs"
    diff want got > /dev/null || { diff want got; fail "$1: summary differs from the exported jobs"; }
done

# verify keeps the summary as REPORT.md, from the results file and from the folder
cp out/REPORT.md summary.md
for src in own.h5 out; do
    if [ "$src" = out ]; then "$BIN" verify out --strict > ver.log 2>&1; else "$BIN" verify own.h5 -o out --strict > ver.log 2>&1; fi
    [ $? -eq 0 ] || { cat ver.log; fail "verify $src: want exit 0"; }
    grep -q "^no experiment of the paper to verify" ver.log || { cat ver.log; fail "verify $src: message"; }
    grep -q "^# Summary of the results" out/REPORT.md || fail "verify $src replaced the summary REPORT.md"
done
echo "summary of own job files: ok"
