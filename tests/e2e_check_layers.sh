#!/usr/bin/env bash
# scripts/check-layers (the dependency rule of docs/ARCHITECTURE.md) passes on
# the source tree and fails, naming the file, line and include, on copies of
# the tree that break the rule: a solver including a model header, a core
# header including a runner header, a public header of no layer, a private
# header of another folder.
set -u
SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=$((fail+1)); }
check() { sh "$SRC/scripts/check-layers" "$1" >"$tmp/out" 2>&1; }

check "$SRC" || { bad "the source tree breaks the rule:"; cat "$tmp/out"; }

# expect NAME PATTERN: check-layers fails on $tmp/t and names the offence
expect() {
    check "$tmp/t"; local rc=$?
    [ "$rc" -eq 1 ] || { bad "$1: exit $rc, expected 1"; cat "$tmp/out"; }
    grep -Eq -- "$2" "$tmp/out" || { bad "$1: output '$(cat "$tmp/out")' lacks '$2'"; }
}
fresh() { rm -rf "$tmp/t"; mkdir -p "$tmp/t"; cp -R "$SRC/src" "$SRC/include" "$tmp/t/"; }

fresh
printf '#include "repro/model.h"\n' >>"$tmp/t/src/solvers/boruta.c"
n=$(wc -l <"$tmp/t/src/solvers/boruta.c")
expect "solver includes a model" "^src/solvers/boruta\.c:$n: solvers includes repro/model\.h \(models\)"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || bad "one offence, not one line: $(cat "$tmp/out")"

fresh
sed -i 's|#include "repro/error.h"|#include "repro/sched.h"|' "$tmp/t/include/repro/rng.h" 2>/dev/null
grep -q 'repro/sched.h' "$tmp/t/include/repro/rng.h" || printf '#include "repro/sched.h"\n' >>"$tmp/t/include/repro/rng.h"
expect "core header includes a runner header" "^include/repro/rng\.h:[0-9]+: core includes repro/sched\.h \(runner\)"

fresh
: >"$tmp/t/include/repro/orphan.h"
printf '#include "repro/orphan.h"\n' >>"$tmp/t/src/cli/cli.c"
expect "header of no layer" "^src/cli/cli\.c:[0-9]+: includes repro/orphan\.h, which belongs to no layer"

fresh
printf '#include "forest_internal.h"\n' >>"$tmp/t/src/models/forest_model.c"
expect "private header of another folder" "^src/models/forest_model\.c:[0-9]+: includes \"forest_internal\.h\", which is neither"

[ "$fail" -eq 0 ] && echo "check-layers: rule holds, 4 violations caught"
exit "$fail"
