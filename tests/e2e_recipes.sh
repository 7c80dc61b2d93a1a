#!/usr/bin/env bash
# The Docker and Singularity recipes build the way CI does: same base image,
# same dependency script, same cmake configure/build/install commands as the
# Makefile's deps/build/install targets (flags compared, values of folders and
# job counts aside); the image runs as a non-root user with the paper's knobs.
# Also checks that the comparison catches a drifted recipe.
#   bash tests/e2e_recipes.sh BINARY SOURCE_DIR
set -euo pipefail
SRC=${2:?usage: e2e_recipes.sh BINARY SOURCE_DIR}
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect() { if [ "$1" = "$2" ]; then ok; else bad "$3: got [$1], want [$2]"; fi; }

# Joins backslash-continued lines.
joined() { sed -e 's/\r$//' "$1" | awk '{ if (sub(/\\$/, "")) { buf = buf $0 " " } else { print buf $0; buf = "" } }'; }
# The recipe lines of a Makefile target.
make_recipe() { awk -v t="$2:" '$1 == t { on = 1; next } on && /^\t/ { sub(/^\t/, ""); print; next } on { exit }' "$1"; }
# Normalized cmake commands found in shell text on stdin, one per line.
cmake_cmds() {
    sed -e 's/&&/\n/g; s/;/\n/g' | sed -e 's/^[[:space:]]*//' | grep '^cmake ' | while read -r -a w; do
        out=() i=0
        while [ "$i" -lt "${#w[@]}" ]; do
            t=${w[i]}
            case "$t" in
                -B|--build|--install|-j|--prefix) out+=("$t" "<arg>"); i=$((i + 2)); continue ;;
                -D*=*) out+=("${t%%=*}=<v>") ;;
                *) out+=("$t") ;;
            esac
            i=$((i + 1))
        done
        echo "${out[*]}"
    done
}
# The shell commands of a Dockerfile (RUN lines) and of Singularity.def (%post).
docker_run() { joined "$1" | sed -n 's/^RUN //p'; }
sing_post() { joined "$1" | awk '/^%/ { on = ($1 == "%post"); next } on'; }

check_recipes() {  # MAKEFILE DOCKERFILE SINGULARITY_DEF; counts failures
    local mk=$1 df=$2 sd=$3 want
    want=$( { make_recipe "$mk" build; make_recipe "$mk" install; } | cmake_cmds)
    [ -n "$want" ] || bad "no cmake commands found in $mk's build/install targets"
    expect "$(docker_run "$df" | cmake_cmds)" "$want" "Dockerfile cmake commands vs Makefile"
    expect "$(sing_post "$sd" | cmake_cmds)" "$want" "Singularity.def cmake commands vs Makefile"
    # The one dependency script, called the same way everywhere.
    expect "$(make_recipe "$mk" deps | grep -o 'sh scripts/install-deps[^;&|]*' | sed 's/ *$//')" "sh scripts/install-deps" "Makefile deps"
    expect "$(docker_run "$df" | grep -o 'sh scripts/install-deps[^;&|]*' | sed 's/ *$//')" "sh scripts/install-deps" "Dockerfile deps"
    expect "$(sing_post "$sd" | grep -o 'sh scripts/install-deps[^;&|]*' | sed 's/ *$//')" "sh scripts/install-deps" "Singularity.def deps"
    # Same base image.
    expect "$(grep -m1 '^FROM ' "$df")" "FROM debian:bookworm-slim" "Dockerfile base"
    expect "$(grep -m1 '^From:' "$sd")" "From: debian:bookworm-slim" "Singularity.def base"
}

# 1. The real recipes agree with the Makefile.
before=$fails
check_recipes "$SRC/Makefile" "$SRC/Dockerfile" "$SRC/Singularity.def"
[ "$fails" = "$before" ] && echo "recipes match the Makefile"

# 2. The image's run-time contract.
df=$SRC/Dockerfile
user=$(grep '^USER ' "$df" | tail -n1 | cut -d' ' -f2)
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] && ok || bad "Dockerfile must end as a non-root USER (has '$user')"
expect "$(grep '^WORKDIR ' "$df" | tail -n1)" "WORKDIR /exp" "final WORKDIR"
expect "$(grep '^VOLUME ' "$df")" "VOLUME /exp/output" "VOLUME"
envs=$(joined "$df" | sed -n 's/^ENV //p' | tr ' ' '\n')
for kv in SEED=123 REPEATS=10 N_THREADS=1; do
    grep -qx "$kv" <<<"$envs" && ok || bad "Dockerfile lacks ENV $kv"
    k=${kv%=*} v=${kv#*=}
    grep -q "export $k=\"\${$k:-$v}\"" "$SRC/Singularity.def" && ok || bad "Singularity.def %environment lacks $k default $v"
done
expect "$(grep '^CMD ' "$df")" 'CMD ["repro_mpi-paper", "/exp/output"]' "CMD"
grep -A2 '^%runscript' "$SRC/Singularity.def" | grep -q 'exec repro_mpi-paper ' && ok || bad "%runscript must run repro_mpi-paper"
grep -q 'RENAME repro_mpi-paper' "$SRC/CMakeLists.txt" && ok || bad "CMake does not install repro_mpi-paper"
sh -n "$SRC/scripts/run-paper" && ok || bad "scripts/run-paper has a syntax error"
# Dependencies are installed before the sources are copied (a source edit
# keeps the package layer), and the Singularity build copies the sources
# without local build outputs (a build/ from the host breaks cmake).
deps_line=$(grep -n 'sh scripts/install-deps' "$df" | head -1 | cut -d: -f1)
copy_line=$(grep -n '^COPY \. ' "$df" | head -1 | cut -d: -f1)
[ -n "$deps_line" ] && [ -n "$copy_line" ] && [ "$deps_line" -lt "$copy_line" ] && ok \
    || bad "Dockerfile must install the dependencies before 'COPY . /src'"
grep -q '^COPY scripts/install-deps ' "$df" && ok || bad "Dockerfile must copy scripts/install-deps on its own first"
grep -A1 '^%files' "$SRC/Singularity.def" | grep -q '^ *\. /src$' && bad "Singularity.def builds in the copied folder itself" || ok
sing_post "$SRC/Singularity.def" | grep -q -- "--exclude='./build'" && ok || bad "Singularity.def does not leave out build/"
grep -qx 'build' "$SRC/.dockerignore" && grep -qx 'Testing' "$SRC/.dockerignore" && ok || bad ".dockerignore must leave out build and Testing"
# CI runs the unit tests and the Slurm test.
grep -q '^make test$' "$SRC/.ci/run" && ok || bad ".ci/run does not run make test"
grep -q '^make test-slurm$' "$SRC/.ci/run" && ok || bad ".ci/run does not run make test-slurm"

# 3. Drift is caught: a recipe with a changed flag or another script fails.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/ -DWERROR=OFF//' "$df" >"$tmp/Dockerfile.noflag"
sed 's|sh scripts/install-deps|apt-get install -y cmake|' "$df" >"$tmp/Dockerfile.noscript"
sed 's/^From: .*/From: ubuntu:22.04/' "$SRC/Singularity.def" >"$tmp/Singularity.other"
for mutant in "Dockerfile.noflag $SRC/Singularity.def" "Dockerfile.noscript $SRC/Singularity.def" "$df $tmp/Singularity.other"; do
    read -r d s <<<"$mutant"
    [ -f "$d" ] || d=$tmp/$d
    saved=$fails
    check_recipes "$SRC/Makefile" "$d" "$s" 2>/dev/null
    if [ "$fails" -gt "$saved" ]; then fails=$saved; ok; else bad "drift not detected in $(basename "$d") / $(basename "$s")"; fi
done

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
