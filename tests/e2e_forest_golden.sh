#!/usr/bin/env bash
# Forest fingerprints: bench_forest_golden's hashes of serialized forests and
# their predictions must equal the recorded tests/golden/forest_golden.txt, so
# a speed change of the forest code cannot change any model, and the plain
# code (REPRO_FOREST_PLAIN=1) must give the same as the AVX2 code. After an
# intended change of the forest's results, regenerate the file with
#   build/bench/bench_forest_golden > tests/golden/forest_golden.txt
set -u
BIN=$1
SRC=$2
GOLDEN_BIN=$(dirname "$BIN")/bench/bench_forest_golden
if [ ! -x "$GOLDEN_BIN" ]; then
    echo "FAIL: $GOLDEN_BIN not built"
    exit 1
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# as built (AVX2 code where the processor has it), then with the plain code
for plain in 0 1; do
    REPRO_FOREST_PLAIN=$plain "$GOLDEN_BIN" >"$tmp" || { echo "FAIL: bench_forest_golden exit $?"; exit 1; }
    if ! diff -u "$SRC/tests/golden/forest_golden.txt" "$tmp"; then
        echo "FAIL: forest fingerprints (REPRO_FOREST_PLAIN=$plain) differ from tests/golden/forest_golden.txt"
        exit 1
    fi
done
echo "e2e_forest_golden: $(wc -l <"$tmp") forests identical, with and without AVX2"
