#!/usr/bin/env bash
# Bad input through the command line: job files with over-long lines, a
# byte-order mark and long names; gen into a missing folder; fit on data too
# wide for its cost limit. Each: exit code 2 and one line naming the input.
set -u
BIN=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=$((fail+1)); }
# expect NAME RC PATTERN CMD...: exit code RC, stderr one line matching PATTERN
expect() {
    local name=$1 want=$2 pat=$3; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
    [ "$rc" -eq "$want" ] || { bad "$name: exit $rc, expected $want"; cat "$tmp/err"; return; }
    [ -z "$pat" ] && return
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || { bad "$name: not one line:"; cat "$tmp/err"; }
    grep -Eq -- "$pat" "$tmp/err" || { bad "$name: message '$(cat "$tmp/err")' lacks '$pat'"; }
}
head_exp() { printf '[experiment %s]\ngenerator = linear\ndata = once\nrepeats = 1\nmodels = ElasticNet\n' "$1"; }
ds() { printf '[dataset %s]\nn = 30\nstrong = 1\nweak = 0\nirrelevant = 2\n' "$1"; }
long=$(printf 'x%.0s' $(seq 250))

# a line too long is reported at its own line (6), not as a syntax error at 7
{ head_exp e; echo "; $long"; ds S; } >"$tmp/long.ini"
expect "long line" 2 "long\.ini:6: line too long \(252 characters; at most 197\)" \
    "$BIN" run "$tmp/long.ini" -o "$tmp/l.h5"
[ -e "$tmp/l.h5" ] && bad "long line: a results file was created"

# a byte-order mark is accepted; 63-character names reach the results file whole
e63=$(printf 'e%.0s' $(seq 63)); d63=$(printf 'd%.0s' $(seq 62))Z
{ printf '\xEF\xBB\xBF'; head_exp "$e63"; ds "$d63"; } >"$tmp/bom.ini"
expect "BOM and 63-character names" 0 "" "$BIN" run "$tmp/bom.ini" -o "$tmp/b.h5"
if command -v h5dump >/dev/null; then
    h5dump -d /jobs/experiment "$tmp/b.h5" | grep -q "\"$e63\"" || bad "experiment name not kept whole"
    h5dump -d /jobs/dataset "$tmp/b.h5" | grep -q "\"$d63\"" || bad "data set name not kept whole"
fi

# a 64-character name is refused naming the limit
{ head_exp "${e63}x"; ds S; } >"$tmp/name.ini"
expect "long name" 2 "name\.ini:1: experiment name .* is 64 characters long; the limit is 63" \
    "$BIN" run "$tmp/name.ini" -o "$tmp/n.h5"

# a CSV with a byte-order mark and no header keeps its first row
printf '\xEF\xBB\xBF1,2,0\n3,4,1\n5,6,0\n7,8,1\n1,1,0\n2,2,1\n' >"$tmp/bom.csv"
expect "CSV with BOM" 0 "" "$BIN" fit Forest "csv:$tmp/bom.csv" --json
grep -q '"n":6,' "$tmp/out" || bad "CSV with BOM: first row lost: $(head -c 200 "$tmp/out")"

# gen into a missing folder: bad input
expect "gen -o missing folder" 2 "no/such/dir/a\.csv: cannot write" \
    "$BIN" gen linear:n=10,strong=2,weak=1,irrelevant=1 -o "$tmp/no/such/dir/a.csv"

# wide data: refused up front with the estimate and the way to override
expect "wide data refused" 2 "RF on 20 rows x 20000 features: estimated time .* s .* over the limit of 300 s .*--max-cost" \
    "$BIN" fit RF linear:n=20,strong=2,weak=0,irrelevant=19998
expect "wide data, lower limit" 2 "over the limit of 1 s" \
    "$BIN" fit SQ linear:n=100,strong=2,weak=0,irrelevant=2000 --max-cost 1
expect "bad --max-cost" 2 "--max-cost" "$BIN" fit RF linear:n=20,strong=2,weak=0,irrelevant=2 --max-cost -1
expect "within the limit" 0 "" "$BIN" fit ElasticNet linear:n=30,strong=1,weak=0,irrelevant=2 --max-cost 5
"$BIN" fit --help | grep -q -- "--max-cost S" || bad "fit --help does not mention --max-cost"

[ "$fail" -eq 0 ] && echo "e2e_parsers: all passed"
exit "$fail"
