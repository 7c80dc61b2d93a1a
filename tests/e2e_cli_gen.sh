#!/usr/bin/env bash
# The gen command and global options: outputs, exit codes, no file left on error.
set -u
BIN=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0
check() { # check NAME EXPECTED_RC CMD...
    local name=$1 want=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
    if [ "$rc" -eq "$want" ]; then pass=$((pass+1)); else
        echo "FAIL $name: exit $rc, expected $want"; cat "$tmp/err"; fail=$((fail+1)); fi
}
check "help" 0 "$BIN" --help
grep -q "Usage: repro_mpi" "$tmp/out" || { echo "FAIL help text"; fail=$((fail+1)); }
check "version" 0 "$BIN" --version
grep -Eq "Open MPI v[0-9].*HDF5 1\.[0-9]+\.[0-9]+ parallel; GSL [0-9.]+; CLP [0-9.]+" "$tmp/out" \
    || { echo "FAIL version text: $(cat "$tmp/out")"; fail=$((fail+1)); }
check "unknown command" 2 "$BIN" frobnicate
check "gen ok" 0 "$BIN" gen linear:n=10,strong=2,weak=1,irrelevant=1 --seed 5 -o "$tmp/a.csv"
[ "$(wc -l <"$tmp/a.csv")" -eq 11 ] || { echo "FAIL gen rows"; fail=$((fail+1)); }
[ "$(head -1 "$tmp/a.csv")" = "x0,x1,x2,x3,y" ] || { echo "FAIL gen header"; fail=$((fail+1)); }
check "gen same seed" 0 "$BIN" gen linear:n=10,strong=2,weak=1,irrelevant=1 --seed 5 -o "$tmp/b.csv"
cmp -s "$tmp/a.csv" "$tmp/b.csv" || { echo "FAIL same seed differs"; fail=$((fail+1)); }
check "gen other repeat" 0 "$BIN" gen linear:n=10,strong=2,weak=1,irrelevant=1 --seed 5 --repeat 1 -o "$tmp/c.csv"
cmp -s "$tmp/a.csv" "$tmp/c.csv" && { echo "FAIL repeat 1 equals repeat 0"; fail=$((fail+1)); }
SEED=5 "$BIN" gen linear:n=10,strong=2,weak=1,irrelevant=1 -o "$tmp/d.csv"
cmp -s "$tmp/a.csv" "$tmp/d.csv" || { echo "FAIL SEED env ignored"; fail=$((fail+1)); }
for bad in "linear:n=10,strong=2,weak=1" "linear:n=10,strong=2,weak=1,irrelevant=1,bogus=3" \
           "linear:n=ten,strong=2,weak=1,irrelevant=1" "linear:n=10,strong=0,weak=1,irrelevant=1"; do
    check "gen bad spec $bad" 2 "$BIN" gen "$bad" -o "$tmp/bad.csv"
    [ -e "$tmp/bad.csv" ] && { echo "FAIL file left for $bad"; fail=$((fail+1)); }
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL not one line: $(cat "$tmp/err")"; fail=$((fail+1)); }
    case $bad in *bogus*)
        grep -q "bogus" "$tmp/err" || { echo "FAIL message does not name 'bogus': $(cat "$tmp/err")"; fail=$((fail+1)); } ;;
    esac
done
check "gen missing -o" 2 "$BIN" gen linear:n=10,strong=2,weak=1,irrelevant=1
check "gen bad seed" 2 "$BIN" gen linear:n=10,strong=2,weak=1,irrelevant=1 --seed -3 -o "$tmp/x.csv"
check "gen bad option" 2 "$BIN" gen --frob
check "fit unknown model" 2 "$BIN" fit NoSuchModel linear:n=10,strong=2,weak=1,irrelevant=1
grep -q "unknown model 'NoSuchModel'" "$tmp/err" || { echo "FAIL unknown model message"; fail=$((fail+1)); }
check "fit bad csv" 2 "$BIN" fit Forest csv:/nonexistent.csv
grep -q "/nonexistent.csv" "$tmp/err" || { echo "FAIL bad csv message: $(cat "$tmp/err")"; fail=$((fail+1)); }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
