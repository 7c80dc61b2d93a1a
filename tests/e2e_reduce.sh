#!/usr/bin/env bash
# End to end: a small run of every registered paper model -> reduce -> every
# table file exists, figures of the models that ran are valid PDF/PNG files,
# verify writes REPORT.md; a truncated or foreign results file fails with
# exit 2 and leaves no output folder.
# Usage: e2e_reduce.sh BINARY SOURCE_DIR
set -u
BIN=$1
SRC=$2
MPIRUN=${MPIRUN:-mpirun}
TMP=$(mktemp -d /tmp/repro_e2e_reduce.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$BIN" --help | grep -q '^  run ' || fail "no 'run' command in --help"
models=$("$BIN" --help | sed -n 's/^Models: //p' | tr -d ' ')
has() { [[ ",$models," == *",$1,"* ]]; }
pick() { local out=""; for m in "$@"; do has "$m" && out="$out${out:+, }$m"; done; echo "$out"; }
knobs() { # cheap settings for the models that are there
    has FRI && printf 'FRI.search = 5\nFRI.probes = 5\n'
    has SQ && printf 'SQ.n_resampling = 5\n'
    return 0
}

paper=$(pick ElasticNet FRI RF SQ)
[ "$paper" = "ElasticNet, FRI, RF, SQ" ] || fail "paper models not all registered: '$paper'"
{
    printf '[experiment toy_benchmarks]\ngenerator = linear\ndata = per_repeat\nrepeats = 2\nmodels = %s\n' "$paper"
    knobs
    printf '\n[dataset Set 1]\nn = 150\nstrong = 2\nweak = 2\nirrelevant = 2\n\n'
    printf '[experiment NL_toy_benchmarks]\ngenerator = nonlinear\ndata = once\nrepeats = 2\nmodels = %s\n' "$paper"
    knobs
    printf '\n[dataset NL 2]\nn = 150\nfeatures = 8\nstrong = 2\nweak = 2\n\n'
    figs=$(pick Forest RF Boruta)
    if [ -n "$figs" ]; then
        printf '[experiment figures_1ff]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = %s\n' "$figs"
        printf '\n[dataset Figure]\nn = 150\nstrong = 2\nweak = 3\nirrelevant = 2\n\n'
    fi
    if has SQ; then
        printf '[experiment featsel_threshold]\ngenerator = linear\ndata = once\nrepeats = 1\nmodels = SQ\nSQ.n_resampling = 5\n'
        printf '\n[dataset Figure]\nn = 150\nstrong = 2\nweak = 3\nirrelevant = 2\n'
    fi
} > "$TMP/e2e.ini"

# exit 1 = some job failed: the reduction must cope (its cells print "-")
"$MPIRUN" --oversubscribe -n 2 "$BIN" run "$TMP/e2e.ini" -o "$TMP/results.h5" > "$TMP/run.log" 2>&1
rc=$?
[ $rc -le 1 ] && [ -s "$TMP/results.h5" ] || { cat "$TMP/run.log"; fail "run exit $rc"; }
"$BIN" reduce "$TMP/results.h5" -o "$TMP/out" > "$TMP/reduce.log" 2>&1 \
    || { cat "$TMP/reduce.log"; fail "reduce exit code"; }
for t in toy_benchmarks/sim_params toy_benchmarks/sim_scores toy_benchmarks/sim_accuracy \
         toy_benchmarks/runtime prec_recall_arfs/prec_rec_ARFS prec_recall_arfs/prec_rec_ARFS_mean \
         NL_toy_benchmarks/per_dataset NL_toy_benchmarks/mean_stats NL_toy_benchmarks/presets \
         NL_toy_benchmarks/accuracy_per_fclass NL_toy_benchmarks/accuracy_per_fclass_mean; do
    for ext in tex csv; do
        [ -s "$TMP/out/tables/$t.$ext" ] || fail "missing $t.$ext"
    done
    grep -q 'toprule' "$TMP/out/tables/$t.tex" || fail "$t.tex is not a booktabs table"
done
# Set 1 has a number for every model that ran
awk -F, 'NR == 1 { n = NF; next } $1 == "Set 1" { for (i = 2; i <= n; i++) if ($i !~ /^[0-9]/) exit 1; ok = 1 }
         END { exit !ok }' "$TMP/out/tables/toy_benchmarks/sim_scores.csv" \
    || fail "Set 1 lacks a score in sim_scores.csv"
check_fig() { # STEM: valid PDF and PNG of non-trivial size
    local pdf="$TMP/out/figures/$1.pdf" png="$TMP/out/figures/$1.png"
    [ "$(head -c 4 "$pdf")" = "%PDF" ] || fail "$1.pdf is not a PDF"
    [ "$(head -c 4 "$png" | tail -c 3)" = "PNG" ] || fail "$1.png is not a PNG"
    [ "$(stat -c %s "$pdf")" -gt 2000 ] || fail "$1.pdf is too small"
    [ "$(stat -c %s "$png")" -gt 5000 ] || fail "$1.png is too small"
}
has Forest && check_fig importance_plots/1ffdistimps
has RF && check_fig importance_plots/1fffreqimpsMR
has Boruta && check_fig importance_plots/1fffreqimpsAR
if has SQ && ! grep -q 'failed: .*featsel_threshold' "$TMP/run.log"; then
    check_fig featsel_threshold/selection_with_statmethod
fi
ls -a "$TMP/out" | grep -q reduce- && fail "temporary folder left in the output"

"$BIN" verify "$TMP/out" > "$TMP/verify.log" 2>&1 || { cat "$TMP/verify.log"; fail "verify exit code"; }
grep -q 'claims held: [0-9]* / 9' "$TMP/verify.log" || fail "verify summary"
grep -q '^## Claims' "$TMP/out/REPORT.md" || fail "REPORT.md has no claims"
"$BIN" verify "$TMP/out" --strict > /dev/null 2>&1
[ $? -eq 1 ] || fail "verify --strict on a partial run must exit 1"
# verify straight from the results file (reduce + verify)
"$BIN" verify "$TMP/results.h5" -o "$TMP/out2" > /dev/null 2>&1 || fail "verify RESULTS"
[ -s "$TMP/out2/REPORT.md" ] && [ -s "$TMP/out2/tables/toy_benchmarks/runtime.csv" ] || fail "verify RESULTS outputs"

# truncated and foreign files: exit 2, a message, no output folder
head -c 3000 "$TMP/results.h5" > "$TMP/trunc.h5"
echo "not a results file" > "$TMP/foreign.h5"
for bad in trunc foreign; do
    "$BIN" reduce "$TMP/$bad.h5" -o "$TMP/bad_$bad" 2> "$TMP/$bad.err"
    rc=$?
    [ $rc -eq 2 ] || fail "$bad file: exit $rc, want 2"
    [ -s "$TMP/$bad.err" ] || fail "$bad file: no message"
    [ ! -e "$TMP/bad_$bad" ] || fail "$bad file: output folder left behind"
done
echo "e2e_reduce: ok (models: $models)"
