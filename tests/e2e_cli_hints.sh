#!/bin/bash
# Small things a new user meets: fit suggests a model name that differs only
# in case and csv:PATH for a file name; fit takes --set MODEL.key=value as
# run does (and refuses another model's); gen's usage matches what it
# accepts; Boruta has no training score of its own (NaN, null in JSON).
set -u
BIN=$1
MAN=$(cd "$(dirname "$0")/.." && pwd)/man/repro_mpi.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
SPEC=linear:n=60,strong=2,weak=2,irrelevant=2

# usage2 NAME PATTERN CMD...: exit 2, one line on stderr matching PATTERN
usage2() {
    local name=$1 pat=$2; shift 2
    "$@" > out.txt 2> err.txt
    local rc=$?
    [ $rc -eq 2 ] || bad "$name: exit $rc, want 2"
    [ "$(wc -l < err.txt)" -eq 1 ] || bad "$name: want one line: $(cat err.txt)"
    grep -q -- "$pat" err.txt || bad "$name: message '$(cat err.txt)' lacks '$pat'"
}
usage2 "fit sq" "did you mean 'SQ'" "$BIN" fit sq "$SPEC"
usage2 "fit elasticnet" "did you mean 'ElasticNet'" "$BIN" fit elasticnet "$SPEC"
usage2 "fit Nope" "unknown model 'Nope' (valid:" "$BIN" fit Nope "$SPEC"
usage2 "fit a .csv name" "csv:mydata.csv" "$BIN" fit SQ mydata.csv
"$BIN" gen "$SPEC" -o here.csv || bad "gen"
usage2 "fit an existing file" "csv:here.csv" "$BIN" fit SQ here.csv
"$BIN" fit Forest csv:here.csv > /dev/null || bad "fit csv:here.csv"
usage2 "fit another model's --set" "runs RF, not SQ" "$BIN" fit RF "$SPEC" --set SQ.perc=100
usage2 "fit --set unknown key" "unknown parameter 'nope'" "$BIN" fit SQ "$SPEC" --set SQ.nope=1

# --set SQ.perc=100 is --set perc=100 (same output but the fit time)
"$BIN" fit SQ linear:n=150,strong=2,weak=2,irrelevant=2 --set SQ.perc=100 --json | sed 's/"runtime_s":[^,]*,//' > a.json || bad "fit --set SQ.perc=100"
"$BIN" fit SQ linear:n=150,strong=2,weak=2,irrelevant=2 --set perc=100 --json | sed 's/"runtime_s":[^,]*,//' > b.json || bad "fit --set perc=100"
grep -q '"perc":100' a.json || bad "SQ.perc=100 not applied: $(cat a.json)"
cmp -s a.json b.json || bad "--set SQ.perc=100 and --set perc=100 differ"

# gen: --seed is optional (default 123 or $SEED), as its usage line says
"$BIN" gen --help | grep -q '^Usage: repro_mpi gen SPEC \[--seed N\]' || bad "gen usage marks --seed optional"
"$BIN" gen "$SPEC" -o d.csv && "$BIN" gen "$SPEC" --seed 123 -o e.csv && cmp -s d.csv e.csv \
    || bad "gen without --seed is not seed 123"

# Boruta: no training score of its own
"$BIN" fit Boruta "$SPEC" --json > bor.json || bad "fit Boruta"
grep -q '"train_score":null' bor.json || bad "Boruta train_score not null: $(cat bor.json)"
"$BIN" fit Boruta "$SPEC" | grep -q '^training score: nan' || bad "Boruta training score not nan"
# The man page says what the program does: verify exits 1 only with
# --strict, figures are PDF and PNG, --repeats defaults to the job files',
# gen's --seed is optional, export is documented.
grep -q 'figures (PDF and PNG)' "$MAN" || bad "man: figures are PDF and PNG"
grep -q '^.B verify \\-\\-strict$' "$MAN" && grep -q '^only, a cell is out of tolerance' "$MAN" || bad "man: verify exits 1 only with --strict"
grep -q "^else the job files' own" "$MAN" || bad "man: --repeats default as in --help"
"$BIN" run --help | grep -q 'default: \$REPEATS, else the job files' || bad "run --help: --repeats default"
grep -q '^.B repro_mpi gen' -A3 "$MAN" && grep -A3 '^.B repro_mpi gen' "$MAN" | grep -q '^.RB \[ \\-\\-seed' || bad "man: gen --seed optional"
grep -q '^.B export ' "$MAN" || bad "man: export"
"$BIN" --help | grep -q '^  export ' || bad "--help lists export"
[ "$fails" -eq 0 ] && echo "hints: ok"
[ "$fails" -eq 0 ]
