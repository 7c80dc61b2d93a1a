#!/usr/bin/env bash
# `repro_mpi fit` with SQ, Forest and Boruta: JSON with importances and SQ's
# extras, thread-independent output, exit code 1 when Boruta accepts nothing,
# exit code 2 for a bad parameter.
set -u
BIN=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check NAME EXPECTED_RC CMD...
    local name=$1 want=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want"; cat "$tmp/err"; fail=$((fail+1)); fi
}
DATA=linear:n=150,strong=6,weak=0,irrelevant=6
check "SQ json" 0 "$BIN" fit SQ "$DATA" --json
for key in '"relevance":\[' '"importances":\[' '"shadow_bounds":\[' '"score_bounds":\[' '"AR":\[' '"MR":\['; do
    grep -q "$key" "$tmp/out" || { echo "FAIL SQ json lacks $key"; fail=$((fail+1)); }
done
grep -o '"relevance":\[[0-9,]*\]' "$tmp/out" >"$tmp/rel1"
check "SQ 2 threads" 0 "$BIN" fit SQ "$DATA" --json --threads 2
grep -o '"relevance":\[[0-9,]*\]' "$tmp/out" >"$tmp/rel2"
cmp -s "$tmp/rel1" "$tmp/rel2" || { echo "FAIL SQ relevance depends on threads"; fail=$((fail+1)); }
check "SQ Boruta accepts nothing" 1 "$BIN" fit SQ "$DATA" --set max_iter=2
grep -q "Boruta accepted no feature" "$tmp/err" || { echo "FAIL SQ failure message"; fail=$((fail+1)); }
check "SQ bad fpr" 2 "$BIN" fit SQ "$DATA" --set fpr=2
check "Forest json" 0 "$BIN" fit Forest "$DATA" --json
grep -q '"importances":\[' "$tmp/out" || { echo "FAIL Forest json lacks importances"; fail=$((fail+1)); }
check "Boruta text" 0 "$BIN" fit Boruta "$DATA"
# step 5's test: only weak copies, scores all 1, an empty interval (1, 1):
# specified (two-sided) calls them strongly relevant, the published runs' (lower) weakly;
# with the model defaults (the minimal forest with one row per child), not the
# published profile's linear settings (a boosted minimal model)
W=linear:n=300,strong=0,weak=6,irrelevant=6
E="--profile specification --set min_child_rows=1"
check "SQ test=two_sided" 0 "$BIN" fit SQ "$W" --seed 5 --json $E
grep -q '"relevance":\[2,2,2,1,1,1,0,0,0,0,0,0\]' "$tmp/out" || { echo "FAIL SQ two-sided split"; fail=$((fail+1)); }
check "SQ test=lower" 0 "$BIN" fit SQ "$W" --seed 5 --set test=lower --json $E
grep -q '"relevance":\[1,1,1,1,1,1,0,0,0,0,0,0\]' "$tmp/out" || { echo "FAIL SQ one-sided split"; fail=$((fail+1)); }
check "SQ bad test" 2 "$BIN" fit SQ "$W" --set test=upper
[ "$fail" -eq 0 ] && echo "e2e_sq_fit: all checks passed"
exit $((fail > 0))
