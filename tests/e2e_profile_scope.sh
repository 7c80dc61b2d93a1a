#!/bin/bash
# Profiles scoped by generator kind, end to end: `fit` on linear, non-linear
# and csv data gets the published profile's settings for that kind; --set
# and --profile change them; `run` and `paper` apply them per experiment
# (--dry-run lists them; a job file's own line wins), record the profile and
# its settings in the results file, and refuse a resume under another
# profile; bad profile names exit 2 with one line.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"

# The SQ or FRI parameters of one fit, as printed by --json.
params() { "$BIN" fit "$@" --json | grep -o '"params":{[^}]*}'; }
has() { # NAME TEXT WANT...: every WANT is in TEXT
    local name=$1 text=$2; shift 2
    for w in "$@"; do
        grep -qF -- "$w" <<<"$text" || fail "$name: lacks $w in $text"
    done
}
hasnt() {
    local name=$1 text=$2; shift 2
    for w in "$@"; do
        grep -qF -- "$w" <<<"$text" && fail "$name: has $w in $text"
    done
    return 0
}

LIN=linear:n=100,strong=2,weak=2,irrelevant=2
NL=nonlinear:n=600,strong=2,weak=2,irrelevant=2
"$BIN" gen "$LIN" --seed 3 -o lin.csv > /dev/null 2>&1 || fail "gen"

# fit: linear data get the 2020-03-03 SQ, non-linear data the forest with
# one row per child, csv data only the unscoped settings; FRI's contiguous
# folds everywhere.
p=$(params SQ "$LIN" --set n_resampling=3) || fail "fit SQ linear"
has "fit SQ linear" "$p" '"minimal_model":"gbdt"' '"mr_fit":"last_resample"' '"test":"lower"' '"fpr":0.0001' \
    '"feature_fraction":0.1000' '"num_leaves":31' '"max_depth":30' '"min_child_rows":20' '"perc":100'
p=$(params SQ "$NL" --set n_resampling=3) || fail "fit SQ nonlinear"
has "fit SQ nonlinear" "$p" '"minimal_model":"forest"' '"mr_fit":"minimal"' '"test":"two_sided"' '"fpr":9.99999999999999' \
    '"feature_fraction":0.8000' '"num_leaves":32' '"max_depth":5' '"min_child_rows":1,' '"perc":100'
p=$(params SQ csv:lin.csv --set n_resampling=3) || fail "fit SQ csv"
has "fit SQ csv" "$p" '"minimal_model":"forest"' '"test":"two_sided"' '"min_child_rows":1,' '"perc":100' \
    '"boruta_min_child_rows":20'
for data in "$LIN" "$NL" csv:lin.csv; do
    p=$(params FRI "$data" --set search=3 --set probes=3) || fail "fit FRI $data"
    has "fit FRI $data" "$p" '"cv":"kfold"'
done
# --set wins over the profile; another profile replaces it
p=$(params SQ "$LIN" --set n_resampling=3 --set minimal_model=forest --set SQ.test=two_sided) || fail "fit --set"
has "fit --set" "$p" '"minimal_model":"forest"' '"test":"two_sided"' '"min_child_rows":20'
p=$(params SQ "$LIN" --set n_resampling=3 --profile specification) || fail "fit specification"
has "fit --profile specification" "$p" '"minimal_model":"forest"' '"test":"two_sided"' '"min_child_rows":20' \
    '"fpr":9.99999999999999' '"feature_fraction":0.8000'
p=$(params FRI "$NL" --set search=3 --set probes=3 --profile squamish-2020-04) || fail "fit FRI squamish"
has "fit FRI --profile squamish-2020-04" "$p" '"cv":"stratified"'
"$BIN" fit --help | grep -qF "    linear: SQ.minimal_model=gbdt SQ.mr_fit=last_resample" ||
    fail "fit --help does not list the published profile's linear settings"
"$BIN" fit --help | grep -qF "    nonlinear: SQ.min_child_rows=1" || fail "fit --help lacks the non-linear settings"
"$BIN" paper --help | grep -qF "generator = linear" || fail "paper --help does not describe the scope"
echo "fit: settings by data kind, --set and --profile"

# paper --dry-run: the linear experiments' SQ get the boosted minimal model,
# the non-linear ones do not; FRI has contiguous folds in both
"$BIN" paper --dry-run > dry.txt 2>&1 || { cat dry.txt; fail "paper --dry-run"; }
line() { grep "^  $1 " dry.txt; }
has "dry-run toy_benchmarks SQ" "$(line 'toy_benchmarks (linear) SQ:')" minimal_model=gbdt test=lower min_child_rows=20
has "dry-run NL SQ" "$(line 'NL_toy_benchmarks (nonlinear) FRI:')" cv=kfold
hasnt "dry-run NL SQ" "$(grep 'NL_toy_benchmarks (nonlinear) SQ' dry.txt)" minimal_model=gbdt min_child_rows
grep -q "^profile published;" dry.txt || fail "dry-run does not name the profile"
"$BIN" paper --dry-run --profile specification > dry.txt 2>&1 || fail "paper --dry-run --profile specification"
has "dry-run specification linear" "$(line 'toy_benchmarks (linear) SQ:')" min_child_rows=20
has "dry-run specification nonlinear" "$(line 'NL_toy_benchmarks (nonlinear) SQ:')" min_child_rows=20
hasnt "dry-run specification" "$(cat dry.txt)" minimal_model=gbdt cv=kfold

# a job file's own line wins over the profile, --set over both
cat > two.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 1
models = SQ, FRI
SQ.minimal_model = forest
SQ.n_resampling = 3
FRI.search = 3
FRI.probes = 3
[dataset L]
n = 100
strong = 2
weak = 2
irrelevant = 2
[experiment nl]
generator = nonlinear
data = once
repeats = 1
models = SQ, FRI
SQ.n_resampling = 3
FRI.search = 3
FRI.probes = 3
[dataset N]
n = 600
strong = 2
weak = 2
irrelevant = 2
INI
"$BIN" run two.ini --dry-run > dry.txt 2>&1 || { cat dry.txt; fail "run --dry-run"; }
l=$(line 'lin (linear) SQ:')
has "job file line" "$l" min_child_rows=20 test=lower
hasnt "job file line" "$l" minimal_model
"$BIN" run two.ini --dry-run --set SQ.min_child_rows=5 > dry.txt 2>&1 || fail "run --dry-run --set"
has "--set over the profile (linear)" "$(line 'lin (linear) SQ:')" min_child_rows=5
has "--set over the profile (nonlinear)" "$(line 'nl (nonlinear) SQ:')" min_child_rows=5
echo "run/paper: settings per experiment, job file and --set win"

# a real run records the profile and its settings; a resume under another
# profile is refused with one line, the file untouched
mpi 2 "$BIN" run two.ini -o two.h5 > run.log 2>&1 || { cat run.log; fail "tiny run"; }
h5dump -a /job_files two.h5 > jf.txt
grep -q "### PROFILE published" jf.txt || fail "profile not recorded"
grep -q "### PROFILE_SETTINGS FRI.cv=kfold .*; linear: SQ.minimal_model=gbdt .*; nonlinear: SQ.min_child_rows=1" jf.txt ||
    { cat jf.txt; fail "profile settings not recorded"; }
"$BIN" verify two.h5 -o two_out > /dev/null 2>&1 || fail "verify"
grep -qF "profile: published (FRI.cv=kfold SQ.perc=100" two_out/REPORT.md || fail "REPORT.md lacks the profile"
sum=$(md5sum < two.h5)
OMPI_MCA_orte_execute_quiet=1 mpi 2 "$BIN" run two.ini -o two.h5 --resume --profile specification > out.txt 2> err.txt
rc=$?
[ $rc -eq 2 ] || { cat err.txt; fail "resume under another profile: exit $rc, want 2"; }
[ "$(wc -l < err.txt)" -eq 1 ] || { cat err.txt; fail "resume under another profile: want one line"; }
grep -qF -- "--profile published in the file, specification now" err.txt || { cat err.txt; fail "refusal unclear"; }
[ "$(md5sum < two.h5)" = "$sum" ] || fail "the refused resume changed the file"
"$BIN" run two.ini -o two.h5 --resume --profile published > out.txt 2>&1 || { cat out.txt; fail "resume, same profile"; }
echo "run: profile recorded, resume under another refused"

# bad profile names: exit 2, one line, no file
for cmd in "$BIN run two.ini -o bad.h5" "$BIN paper -o bad.h5" "$BIN fit SQ $LIN"; do
    $cmd --profile Published > out.txt 2> err.txt
    rc=$?
    [ $rc -eq 2 ] || { cat err.txt; fail "$cmd --profile Published: exit $rc"; }
    [ "$(wc -l < err.txt)" -eq 1 ] || { cat err.txt; fail "$cmd: want one line"; }
    grep -qF "unknown profile 'Published' (valid: published, squamish-2020-04, specification)" err.txt ||
        { cat err.txt; fail "$cmd: unclear message"; }
    [ ! -e bad.h5 ] || fail "$cmd: a file was created"
done
echo "bad profile names: exit 2, one line"
