#!/bin/bash
# The measured task times of split jobs (/tasks, docs/RESULTS_FILE.md): on 1
# and 3 ranks every split job records per stage the tasks that ran (the
# stages the model has, as many tasks as the run's summary counts, the same
# counts on any number of ranks) and times whose sum is the job's
# fit_seconds; whole jobs (ElasticNet, and everything with --no-split)
# record none. bench_scaling replays the measured times (and says so), a
# resumed run keeps the times of the jobs already done, and a file without
# /tasks (the earlier layout) still reads, resumes and falls back to the
# estimates.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"
SCALING="$BUILD_DIR/bench/bench_scaling"
DAMAGE="$BUILD_DIR/tests/h5damage"
[ -x "$SCALING" ] || fail "bench_scaling not built"
[ -x "$DAMAGE" ] || fail "h5damage not built"

cat > t.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 2
models = FRI, RF, SQ, ElasticNet
FRI.search = 10
FRI.probes = 8
RF.n_trees = 20
SQ.n_resampling = 12
SQ.n_trees = 30
[dataset a]
n = 100
strong = 2
weak = 2
irrelevant = 2
[experiment nl]
generator = nonlinear
data = once
repeats = 1
models = FRI
FRI.search = 10
FRI.probes = 8
FRI.C = 3
[dataset N]
n = 100
features = 8
strong = 2
weak = 2
INI
# 9 jobs: lin a x 2 repeats x (FRI, RF, SQ, ElasticNet), then nl N x FRI

# rows FILE DATASET: a 2-D dataset's rows, one line each, all digits
rows() {
    h5dump -y -w 1 -m '%.17g' -d "$2" "$1" | awk '/DATA \{/ {on = 1; next} on && /\}/ {exit} on' | tr -d ' ,' |
        grep -v '^$' | paste -d' ' - - - - - - - -
}

# check FILE LOG: per job, the counts agree with the model's stages and the
# times with fit_seconds; the counts' total is the summary's task count
check() {
    local f=$1 log=$2
    values "$f" /jobs/model | tr -d '"' > models
    h5dump -y -w 1 -m '%.17g' -d /jobs/fit_seconds "$f" | awk '/DATA \{/ {on = 1; next} on && /\}/ {exit} on' |
        tr -d ' ,' | grep -v '^$' > fits
    rows "$f" /tasks/count > counts
    rows "$f" /tasks/seconds > secs
    rows "$f" /tasks/longest > longest
    [ "$(wc -l < counts)" -eq 9 ] || fail "$f: $(wc -l < counts) rows of /tasks/count, want 9"
    paste -d' ' models fits counts secs longest | awk '
        { m = $1; fit = $2; n = 0; sum = 0
          for (s = 0; s < 8; s++) { c[s] = $(3 + s); x[s] = $(11 + s); l[s] = $(19 + s) }
          for (s = 0; s < 8; s++) {
              if (c[s] > 0) { if (s != n) { print NR ": stage " s " after an empty one"; bad = 1 } n++ }
              else if (x[s] != 0 || l[s] != 0) { print NR ": time in an empty stage"; bad = 1 }
              if (l[s] < 0 || l[s] > x[s] * (1 + 1e-12)) { print NR ": longest " l[s] " > sum " x[s]; bad = 1 }
              if (c[s] == 1 && l[s] != x[s]) { print NR ": one task, longest != sum"; bad = 1 }
              sum += x[s]; total += c[s]
          }
          if (m == "ElasticNet") { if (n) { print NR ": a whole job records tasks"; bad = 1 }; next }
          want = m == "RF" ? "6 1" : m == "SQ" ? "1" : NR == 9 ? "1" : "3 1"
          got = c[0]; for (s = 1; s < n; s++) got = got " " c[s]
          # RF: 5 folds and the path on all rows, then the final fit; FRI: the
          # search folds (not with C set, the last job) and the init model,
          # then the items; SQ: Boruta, then the fits (and the tests)
          if (index(got " ", want " ") != 1) { print NR ": " m " counts " got ", want " want " ..."; bad = 1 }
          if (m == "FRI" && n != (NR == 9 ? 2 : 3)) { print NR ": FRI with " n " stages"; bad = 1 }
          if (m == "RF" && n != 2) { print NR ": RF with " n " stages"; bad = 1 }
          if (m == "SQ" && (n < 2 || n > 3)) { print NR ": SQ with " n " stages"; bad = 1 }
          if (!(fit > 0) || (sum - fit > 1e-9 * fit) || (fit - sum > 1e-9 * fit)) {
              print NR ": tasks sum to " sum " s, fit_seconds " fit; bad = 1 }
        }
        END { print total > "total"; exit bad }' || fail "$f: task times do not match the jobs"
    local tasks
    tasks=$(sed -n 's/.*split into tasks: [0-9]* jobs, \([0-9]*\) tasks.*/\1/p' "$log")
    [ "$(cat total)" = "$tasks" ] || fail "$f: $(cat total) tasks recorded, the run dealt $tasks"
}

for n in 1 3; do
    mpi $n "$BIN" run t.ini -o "r$n.h5" > "log$n" 2>&1 || { cat "log$n"; fail "run on $n ranks"; }
    grep -q "9 jobs: 9 done, 0 failed" "log$n" || { cat "log$n"; fail "summary ($n ranks)"; }
    check "r$n.h5" "log$n"
done
rows r1.h5 /tasks/count > c1
rows r3.h5 /tasks/count > c3
cmp -s c1 c3 || { diff c1 c3; fail "task counts differ between 1 and 3 ranks"; }
cmp -s <(det r1.h5) <(det r3.h5) || fail "deterministic fields differ between 1 and 3 ranks"

# whole jobs record no tasks
mpi 1 "$BIN" run t.ini -o w.h5 --no-split > logw 2>&1 || { cat logw; fail "--no-split run"; }
[ "$(rows w.h5 /tasks/count | tr -d ' 0\n')" = "" ] || fail "--no-split: tasks recorded"
cmp -s <(det r1.h5) <(det w.h5) || fail "deterministic fields differ split / whole"

# bench_scaling uses the measured times where there are some
"$SCALING" r3.h5 > b3 2>&1 || { cat b3; fail "bench_scaling r3.h5"; }
grep -q "tasks: 7 jobs split .*: 7 by their measured task times (recorded per stage in the file), 0 by" b3 ||
    { cat b3; fail "bench_scaling: measured times not used"; }
"$SCALING" r3.h5 --estimated > be 2>&1 || { cat be; fail "bench_scaling --estimated"; }
grep -q "tasks: 7 jobs split .*: 0 by their measured task times .*, 7 by the model's .*(--estimated)" be ||
    { cat be; fail "bench_scaling --estimated: estimates not used"; }
"$SCALING" r3.h5 --chains 3 --ranks 4 > ch 2>&1 || { cat ch; fail "bench_scaling --chains"; }
grep -q "split jobs: 7 measured, 0 estimated" ch || { cat ch; fail "--chains: not measured"; }
[ "$(grep -c '^  chain .* measured  stages:' ch)" -eq 3 ] || { cat ch; fail "--chains: 3 measured chains"; }
# the longest chain is the job whose stages' longest tasks sum highest
top=$(sed -n 's/^  chain *\([0-9.]*\) s .*/\1/p' ch | head -1)
want=$(rows r3.h5 /tasks/longest | awk '{ c = 0; for (s = 1; s <= 8; s++) c += $s; if (c > m) m = c } END { print m }')
awk -v a="$top" -v b="$want" 'BEGIN { exit !(a - b < 0.006 && b - a < 0.006) }' ||
    { cat ch; fail "--chains: longest chain $top s, the recorded stages give $want s"; }
# --copies K counts every job K times: K x the jobs and K x the work on one rank
"$SCALING" r3.h5 --ranks 1 > cp1 2>&1 || { cat cp1; fail "bench_scaling --ranks 1"; }
"$SCALING" r3.h5 --ranks 1 --copies 3 > cp3 2>&1 || { cat cp3; fail "bench_scaling --copies 3"; }
n1=$(sed -n 's/.* for \([0-9]*\) jobs (\([0-9.]*\) s of fits.*/\1 \2/p' cp1)
n3=$(sed -n 's/.* for \([0-9]*\) jobs (\([0-9.]*\) s of fits.*/\1 \2/p' cp3)
awk -v a="$n1" -v b="$n3" 'BEGIN { split(a, x, " "); split(b, y, " ");
    exit !(x[1] > 0 && y[1] == 3 * x[1] && y[2] - 3 * x[2] < 0.03 && 3 * x[2] - y[2] < 0.03) }' ||
    { cat cp1 cp3; fail "--copies 3: '$n3' is not 3 x '$n1'"; }
"$SCALING" r3.h5 --copies 0 > cp0 2>&1 && { cat cp0; fail "--copies 0 accepted"; }
"$SCALING" w.h5 > bw 2>&1 || { cat bw; fail "bench_scaling w.h5"; }
grep -q "0 by their measured task times (recorded per stage in the file), 7 by the model's" bw ||
    { cat bw; fail "bench_scaling on a --no-split file"; }

# info counts them; a malformed /tasks is refused naming the dataset
"$BIN" info r3.h5 > info3 2>&1 || { cat info3; fail "info"; }
grep -q "task times (/tasks): 7 split jobs, $(cat total) tasks" info3 || { cat info3; fail "info: task times"; }
cp r3.h5 bad.h5
"$DAMAGE" bad.h5 shape /tasks/count 9 7 || fail "h5damage shape"
"$BIN" info bad.h5 > /dev/null 2> err && fail "info accepted a malformed /tasks"
grep -q "/tasks/count" err || { cat err; fail "info: malformed /tasks not named"; }

# resume keeps the task times of the jobs done; the jobs run again record theirs
cp r3.h5 x.h5
"$DAMAGE" x.h5 set /jobs/status 1 0 || fail "h5damage set"
"$DAMAGE" x.h5 set /jobs/status 8 0 || fail "h5damage set"
mpi 3 "$BIN" run t.ini -o x.h5 --resume > logx 2>&1 || { cat logx; fail "resume"; }
grep -q "2 jobs: 2 done" logx || { cat logx; fail "resume ran other than 2 jobs"; }
for d in count seconds longest; do
    rows r3.h5 /tasks/$d | sed '2d;9d' > before
    rows x.h5 /tasks/$d | sed '2d;9d' > after
    cmp -s before after || { diff before after; fail "resume changed the task times ($d) of jobs done"; }
done
rows x.h5 /tasks/count > cx
cmp -s c3 cx || { diff c3 cx; fail "resumed jobs: other task counts"; }
tasks_x=$(sed -n 's/.*split into tasks: [0-9]* jobs, \([0-9]*\) tasks.*/\1/p' logx)
want_x=$(awk 'NR == 2 || NR == 9 { for (s = 1; s <= 8; s++) t += $s } END { print t }' c3)
[ "$tasks_x" = "$want_x" ] || fail "resume dealt $tasks_x tasks, want $want_x"

# a file of the earlier layout (no /tasks): info, export, verify, resume, bench_scaling
cp r3.h5 old.h5
"$DAMAGE" old.h5 unlink /tasks || fail "h5damage unlink"
h5dump -g /tasks old.h5 > /dev/null 2>&1 && fail "/tasks not removed"
"$BIN" info old.h5 > info_old 2>&1 || { cat info_old; fail "info on a file without /tasks"; }
grep -q "task times: not in this file" info_old || { cat info_old; fail "info without /tasks"; }
"$BIN" export old.h5 -o old.csv > /dev/null 2>&1 || fail "export on a file without /tasks"
"$BIN" export r3.h5 -o new.csv > /dev/null 2>&1 || fail "export"
cmp -s old.csv new.csv || fail "export differs without /tasks"
"$BIN" verify old.h5 -o vout > vlog 2>&1 || { cat vlog; fail "verify on a file without /tasks"; }
[ -s vout/REPORT.md ] || fail "verify without /tasks: no report"
"$SCALING" old.h5 > bo 2>&1 || { cat bo; fail "bench_scaling on a file without /tasks"; }
grep -q "0 by their measured task times (none in this file), 7 by the model's" bo ||
    { cat bo; fail "bench_scaling without /tasks: no fallback to the estimates"; }
"$DAMAGE" old.h5 set /jobs/status 1 0 || fail "h5damage set"
mpi 2 "$BIN" run t.ini -o old.h5 --resume > logo 2>&1 || { cat logo; fail "resume of a file without /tasks"; }
grep -q "1 jobs: 1 done\|1 job: 1 done" logo || { cat logo; fail "resume without /tasks: not 1 job"; }
h5dump -g /tasks old.h5 > /dev/null 2>&1 && fail "resume added /tasks to a file without it"
"$BIN" info old.h5 > /dev/null 2>&1 || fail "info after resuming a file without /tasks"
cmp -s <(det old.h5) <(det r3.h5) || fail "resumed file without /tasks: other results"
echo "task times: recorded per stage on 1 and 3 ranks, none for whole jobs, replayed by bench_scaling, kept by resume; files without them still work"
