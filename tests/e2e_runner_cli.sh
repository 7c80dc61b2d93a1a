#!/bin/bash
# CLI misuse and bad job files: exit 2, a one-line message, no results file.
# Flags beat the environment, which beats the job file. An existing file is
# never overwritten. The file opens in h5dump with the documented job table,
# and `info` summarizes it.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

# expect_usage NAME CMD...: exit 2, exactly one line on stderr, no results file
expect_usage() {
    local name=$1; shift
    rm -f results.h5 out.h5
    "$@" > out.txt 2> err.txt
    local rc=$?
    [ $rc -eq 2 ] || { cat err.txt; fail "$name: exit $rc, want 2"; }
    [ "$(wc -l < err.txt)" -eq 1 ] || { cat err.txt; fail "$name: want a one-line message"; }
    [ ! -e results.h5 ] && [ ! -e out.h5 ] || fail "$name: a results file was created"
}

cat > good.ini <<'INI'
[experiment e]
generator = linear
data = per_repeat
repeats = 2
seed = 5
models = Corr
[dataset S]
n = 30
strong = 1
weak = 1
irrelevant = 1
INI

expect_usage "no job file" "$BIN" run
expect_usage "unknown option" "$BIN" run --bogus good.ini
expect_usage "missing job file" "$BIN" run missing.ini
expect_usage "bad --threads" "$BIN" run good.ini --threads 0
expect_usage "bad --repeats" "$BIN" run good.ini --repeats x
expect_usage "bad SEED" env SEED=abc "$BIN" run good.ini
expect_usage "paper with a file" "$BIN" paper good.ini
expect_usage "info without file" "$BIN" info
expect_usage "info of a missing file" "$BIN" info nothing.h5
echo "not hdf5" > foreign.h5
expect_usage "info of a foreign file" "$BIN" info foreign.h5
grep -q "foreign.h5" err.txt || fail "message does not name the file"
expect_usage "unknown model (registry)" "$BIN" run good.ini

# bad job files, through the test models: file:line in the message
bad() { # NAME LINE TEXT
    printf '%b' "$3" > bad.ini
    expect_usage "$1" "$TOY" run bad.ini -o out.h5
    grep -q "^repro_mpi: bad.ini:$2: " err.txt || { cat err.txt; fail "$1: message lacks bad.ini:$2:"; }
}
H='[experiment e]\ngenerator = linear\ndata = per_repeat\nrepeats = 2\nmodels = Corr\n'
D='[dataset S]\nn = 30\nstrong = 1\nweak = 1\nirrelevant = 1\n'
bad "unknown key" 6 "${H}colour = red\n${D}"
bad "unknown section" 6 "${H}[datasets S]\nn = 3\n"
bad "bad number" 7 "${H}[dataset S]\nn = 3x\nstrong = 1\nweak = 1\nirrelevant = 1\n"
bad "missing field" 6 "${H}[dataset S]\nn = 30\nstrong = 1\nweak = 1\n"
bad "duplicate data set" 11 "${H}${D}[dataset S]\nn = 30\nstrong = 1\nweak = 1\nirrelevant = 1\n"
bad "unknown model" 5 "[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr, SVM\n${D}"
bad "unknown model parameter" 6 "${H}Corr.depth = 3\n${D}"
bad "bad model parameter" 6 "${H}Corr.alpha = 2\n${D}"
# --set MODEL.key=value: malformed, unknown model or parameter, bad value
setbad() { # NAME WORD SET...
    local name=$1 word=$2; shift 2
    expect_usage "$name" "$TOY" run good.ini -o out.h5 "$@"
    grep -q -- "$word" err.txt || { cat err.txt; fail "$name: message lacks '$word'"; }
}
setbad "--set without a value" "needs MODEL.key=value" --set
setbad "--set malformed" "expected MODEL.key=value" --set Corr.perms
setbad "--set unknown model" "'Nope' is not a model of these job files" --set Nope.perms=3
setbad "--set unknown parameter" "valid: perms, alpha" --set Corr.depth=3
setbad "--set bad value" "Corr.alpha=2" --set Corr.perms=9 --set Corr.alpha=2
expect_usage "paper: --set unknown parameter" "$BIN" paper -o out.h5 --set SQ.bogus=1
grep -q "unknown parameter 'bogus' for model SQ" err.txt || { cat err.txt; fail "paper --set: unclear message"; }
# --profile NAME: an unknown or missing name, for run, paper and fit
for cmd in "$TOY run good.ini -o out.h5" "$BIN paper -o out.h5" "$BIN fit SQ linear:n=30,strong=1,weak=1,irrelevant=1"; do
    expect_usage "${cmd%% *}: unknown profile" $cmd --profile squamish-2021
    grep -q "unknown profile 'squamish-2021' (valid: published, squamish-2020-04, specification)" err.txt ||
        { cat err.txt; fail "$cmd --profile: unclear message"; }
    expect_usage "${cmd%% *}: --profile without a name" $cmd --profile
done
# the same under mpirun: every rank stops, no file
printf '%b' "${H}colour = red\n${D}" > bad.ini
mpi 2 "$TOY" run bad.ini -o out.h5 > out.txt 2> err.txt && fail "bad job file accepted under mpirun"
[ "$(grep -c 'bad.ini:6:' err.txt)" -eq 1 ] || { cat err.txt; fail "under mpirun: want the message once"; }
[ ! -e out.h5 ] || fail "under mpirun: a results file was created"
echo "usage errors: exit 2, one line, no file"

# seed: flag > environment > file
"$TOY" run good.ini -o file.h5 > /dev/null 2>&1 || fail "good run failed"
SEED=7 "$TOY" run good.ini -o env.h5 > /dev/null 2>&1 || fail "SEED=7 run failed"
SEED=7 REPEATS=3 "$TOY" run good.ini -o flag.h5 --seed 8 > /dev/null 2>&1 || fail "--seed run failed"
attr() { h5dump -a "/$2" "$1" | awk '/DATA \{/ {getline; sub(/.*: /, ""); print; exit}'; }
[ "$(attr file.h5 SEED)" = 5 ] || fail "the file's seed not used"
[ "$(attr env.h5 SEED)" = 7 ] || fail "SEED not used"
[ "$(attr flag.h5 SEED)" = 8 ] || fail "--seed does not beat SEED"
[ "$(attr flag.h5 REPEATS)" = 3 ] || fail "REPEATS not used"
[ "$(attr flag.h5 n_jobs)" = 3 ] || fail "REPEATS=3 should give 3 jobs"

# --set is applied, recorded with the job files, and changes the plan
"$TOY" run good.ini -o set.h5 --set Corr.perms=9 > /dev/null 2>&1 || fail "--set run failed"
h5dump -a /job_files set.h5 | grep -q "### SET Corr.perms=9" || fail "--set not recorded in job_files"
h5dump -a /command_line set.h5 | grep -q -- "--set Corr.perms=9" || fail "--set not in the command line"
[ "$(attr set.h5 plan_fingerprint)" != "$(attr file.h5 plan_fingerprint)" ] || fail "--set left the plan unchanged"
"$TOY" run good.ini -o set.h5 --resume > out.txt 2>&1 && fail "resume without the run's --set accepted"
grep -qF "belongs to another plan (--set Corr.perms=9 in the file, (not given) now)" out.txt || { cat out.txt; fail "resume without --set: unclear refusal"; }
"$TOY" run good.ini -o set.h5 --resume --set Corr.perms=9 > out.txt 2>&1 || { cat out.txt; fail "resume with the same --set"; }

# --profile is applied before --set, recorded with the job files, and changes the plan
"$TOY" run good.ini -o prof.h5 --profile squamish-2020-04 > /dev/null 2>&1 || fail "--profile run failed"
h5dump -a /job_files prof.h5 | grep -q "### PROFILE squamish-2020-04" || fail "--profile not recorded in job_files"
[ "$(attr prof.h5 plan_fingerprint)" != "$(attr file.h5 plan_fingerprint)" ] || fail "--profile left the plan unchanged"
fit_params() { "$BIN" fit SQ linear:n=100,strong=2,weak=0,irrelevant=1 --set n_resampling=2 --json "$@" |
    grep -o '"perc":[0-9]*,.*"boruta_min_child_rows":[0-9]*'; }
[ "$(fit_params)" = '"perc":100,"alpha":0.01,"max_iter":100,"min_child_rows":20,"boruta_min_child_rows":20' ] ||
    fail "fit: default SQ settings on linear data are not the published ones: $(fit_params)"
[ "$(fit_params --profile squamish-2020-04)" = '"perc":70,"alpha":0.01,"max_iter":100,"min_child_rows":20,"boruta_min_child_rows":20' ] ||
    fail "fit --profile squamish-2020-04: $(fit_params --profile squamish-2020-04)"
[ "$(fit_params --profile squamish-2020-04 --set perc=90 | cut -d, -f1)" = '"perc":90' ] || fail "fit: --set does not beat --profile"

# never overwrite
sum=$(md5sum < file.h5)
"$TOY" run good.ini -o file.h5 > out.txt 2> err.txt
[ $? -eq 2 ] || fail "existing file: want exit 2"
grep -q "already exists" err.txt || fail "existing file: no clear message"
[ "$(md5sum < file.h5)" = "$sum" ] || fail "existing file was changed"
# --resume of a complete file runs nothing
"$TOY" run good.ini -o file.h5 --resume > out.txt 2>&1 || { cat out.txt; fail "resume of a complete file"; }
grep -q "0 jobs: 0 done, 0 failed, 2 already done" out.txt || { cat out.txt; fail "resume of a complete file ran jobs"; }

# the file is self-describing: the documented job table and arrays
h5dump -H file.h5 > header.txt || fail "h5dump cannot read the results file"
for ds in /jobs/id /jobs/experiment /jobs/dataset /jobs/model /jobs/repeat /jobs/n /jobs/d /jobs/status \
    /jobs/train_score /jobs/fit_seconds /jobs/rank /jobs/host /jobs/start_time /jobs/has_importance \
    /jobs/has_bounds /jobs/extras /jobs/message /relevance /truth /importance /bounds; do
    name=${ds##*/}
    grep -q "DATASET \"$name\"" header.txt || fail "dataset $ds missing"
done
for a in format SEED REPEATS n_jobs max_d job_files job_file_names version command_line ranks threads \
    start_time end_time plan_fingerprint; do
    grep -q "ATTRIBUTE \"$a\"" header.txt || fail "attribute $a missing"
done
h5dump -a /job_files file.h5 | grep -q "generator = linear" || fail "job file text not recorded"
[ "$(values file.h5 /jobs/model | head -1)" = '"Corr"' ] || fail "model column"
"$TOY" info file.h5 > info.txt || fail "info failed"
grep -q "jobs: 2 total, 2 done, 0 failed, 0 pending" info.txt || { cat info.txt; fail "info counts"; }
grep -q "^Corr " info.txt || fail "info: no time per model"
grep -q "SEED=5 REPEATS=2" info.txt || fail "info: provenance"
if command -v python3 > /dev/null && python3 -c 'import h5py' 2> /dev/null; then
    python3 - file.h5 <<'PY' || fail "h5py cannot read the file"
import sys, h5py
f = h5py.File(sys.argv[1], "r")
assert f.attrs["SEED"] == 5
assert list(f["jobs/status"][:]) == [1, 1]
assert f["relevance"].shape == (2, 3)
PY
fi
echo "results file: documented fields present, info works"

# --resume of a missing file, a file in a missing directory: exit 2, nothing created
expect_usage "resume of a missing file" "$TOY" run good.ini -o out.h5 --resume
grep -q "does not exist" err.txt || fail "resume of a missing file: unclear message"
expect_usage "missing directory" "$TOY" run good.ini -o nodir/out.h5
[ ! -e nodir ] || fail "a directory was created"
echo "resume/missing paths: exit 2"

# paper: built-in job files; without arguments repro_mpi runs the paper, and
# like run it refuses to overwrite an existing results file before any work
expect_usage "paper: unknown option" "$BIN" paper --bogus
echo "existing" > results.h5
"$BIN" > out.txt 2> err.txt
[ $? -eq 2 ] || { cat err.txt; fail "repro_mpi without arguments over an existing results.h5: want exit 2"; }
grep -q "results.h5 already exists" err.txt || { cat err.txt; fail "no arguments: not the paper run"; }
"$BIN" paper --help | grep -q "toy_benchmarks.ini" || fail "paper --help"
rm -f results.h5
echo "paper: refuses an existing file"
