#!/usr/bin/env bash
# e2e_baselines.sh - the baseline models through `repro_mpi fit`: same answer
# for any thread count, parameters accepted and rejected with the CLI's codes.
# Usage: e2e_baselines.sh BINARY SOURCE_DIR
set -u
bin=$1
fail=0
data="linear:n=200,strong=3,weak=2,irrelevant=5"
strip() { sed -E 's/"(runtime_s|threads)":[^,}]*,?//g'; }
for model in ElasticNet RF; do
  "$bin" fit --help 2>&1 | grep -q "Parameters of $model " || { echo "FAIL: $model not registered"; fail=1; continue; }
  a=$("$bin" fit "$model" "$data" --json --threads 1 | strip)
  b=$("$bin" fit "$model" "$data" --json --threads 2 | strip)
  if [ "$a" != "$b" ]; then echo "FAIL: $model differs between 1 and 2 threads"; fail=1; fi
  echo "$a" | grep -q '"n_features":' || { echo "FAIL: $model has no n_features"; fail=1; }
  echo "$a" | grep -q '"cv_scores":\[' || { echo "FAIL: $model has no cv_scores"; fail=1; }
done
"$bin" fit ElasticNet "$data" --set penalty=elasticnet --json | grep -q '"penalty":"elasticnet"' \
  || { echo "FAIL: penalty=elasticnet not accepted"; fail=1; }
"$bin" fit ElasticNet "$data" --set penalty=l1 >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: bad penalty gave exit $rc, expected 2"; fail=1; }
"$bin" fit ElasticNet "$data" --set min_features=0 >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: min_features=0 gave exit $rc, expected 2"; fail=1; }
[ $fail -eq 0 ] && echo "e2e_baselines: ok"
exit $fail
