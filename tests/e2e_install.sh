#!/usr/bin/env bash
# `cmake --install` into a temporary prefix puts the program, repro_mpi-paper,
# the job files and the man page in place; the installed binary runs and finds
# its job files next to itself, also after the prefix is moved.
#   bash tests/e2e_install.sh BINARY SOURCE_DIR
set -euo pipefail
BIN=${1:?usage: e2e_install.sh BINARY SOURCE_DIR}
SRC=${2:?usage: e2e_install.sh BINARY SOURCE_DIR}
BUILD=$(cd "$(dirname "$BIN")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

P=$tmp/prefix
cmake --install "$BUILD" --prefix "$P" >"$tmp/install.log" || { cat "$tmp/install.log" >&2; exit 1; }
for f in bin/repro_mpi bin/repro_mpi-paper share/man/man1/repro_mpi.1; do
    [ -s "$P/$f" ] && ok || bad "not installed: $f"
done
[ -x "$P/bin/repro_mpi" ] && [ -x "$P/bin/repro_mpi-paper" ] && ok || bad "installed programs not executable"
"$P/bin/repro_mpi" --version | grep -q '^repro_mpi ' && ok || bad "installed --version"
"$P/bin/repro_mpi-paper" --help | grep -q 'repro_mpi-paper' && ok || bad "repro_mpi-paper --help"

# Job files: every shipped one is installed, byte for byte.
for j in "$SRC"/jobs/*.ini; do
    cmp -s "$j" "$P/share/repro_mpi/jobs/$(basename "$j")" && ok || bad "job file not installed: $(basename "$j")"
done
# The installed binary finds them next to itself, before the source tree.
got=$(cd / && env -u REPRO_DATADIR "$P/bin/repro_mpi" jobs --dir)
[ "$(realpath "$got")" = "$(realpath "$P/share/repro_mpi")" ] && ok || bad "jobs --dir: '$got'"
n=$(cd / && env -u REPRO_DATADIR "$P/bin/repro_mpi" jobs | grep -c "^$got/jobs/.*\.ini$" || true)
[ "$n" -ge 1 ] && ok || bad "jobs lists no job file"
# ... also when the whole prefix is moved elsewhere.
mv "$P" "$tmp/moved"
got=$(cd / && env -u REPRO_DATADIR "$tmp/moved/bin/repro_mpi" jobs --dir)
[ "$(realpath "$got")" = "$(realpath "$tmp/moved/share/repro_mpi")" ] && ok || bad "moved prefix: jobs --dir '$got'"
# REPRO_DATADIR without jobs/ is refused with exit 1 and a message.
rc=0; REPRO_DATADIR=$tmp "$tmp/moved/bin/repro_mpi" jobs 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q REPRO_DATADIR "$tmp/err" && ok || bad "REPRO_DATADIR without jobs/: exit $rc"
mv "$tmp/moved" "$P"

# The installed program does real work: the smoke job, found by its name.
export OMPI_MCA_rmaps_base_oversubscribe=1
(cd "$tmp" && "$P/bin/repro_mpi" run smoke -o smoke.h5 --repeats 1 >"$tmp/run.log" 2>&1) \
    && [ -s "$tmp/smoke.h5" ] && ok || { cat "$tmp/run.log" >&2; bad "installed binary: run smoke"; }
"$P/bin/repro_mpi" info "$tmp/smoke.h5" | grep -qi "smoke" && ok || bad "info of the installed run names its job file"

# repro_mpi-paper: the launch line it builds, and it continues an earlier results file.
printf '#!/bin/sh\nprintf "%%s\\n" "$*"\n' >"$tmp/fake-mpirun" && chmod +x "$tmp/fake-mpirun"
line=$(MPIRUN=$tmp/fake-mpirun NP=3 "$P/bin/repro_mpi-paper" "$tmp/po" 2>/dev/null)
[ "$line" = "-n 3 repro_mpi paper -o $tmp/po/results.h5 --output $tmp/po" ] && [ -d "$tmp/po" ] && ok \
    || bad "repro_mpi-paper ran '$line'"
touch "$tmp/po/results.h5"
line=$(MPIRUN=$tmp/fake-mpirun NP=3 "$P/bin/repro_mpi-paper" "$tmp/po" 2>/dev/null)
[ "$line" = "-n 3 repro_mpi paper -o $tmp/po/results.h5 --output $tmp/po --resume" ] && ok \
    || bad "repro_mpi-paper with an existing results file ran '$line'"
line=$(MPIRUN=$tmp/fake-mpirun NP=3 SET="SQ.perc=100 SQ.min_child_rows=1" "$P/bin/repro_mpi-paper" "$tmp/po" 2>/dev/null)
[ "$line" = "-n 3 repro_mpi paper -o $tmp/po/results.h5 --output $tmp/po --set SQ.perc=100 --set SQ.min_child_rows=1 --resume" ] \
    && ok || bad "repro_mpi-paper with SET ran '$line'"
line=$(MPIRUN=$tmp/fake-mpirun NP=3 PROFILE=specification SET="SQ.perc=70" "$P/bin/repro_mpi-paper" "$tmp/po" 2>/dev/null)
[ "$line" = "-n 3 repro_mpi paper -o $tmp/po/results.h5 --output $tmp/po --profile specification --set SQ.perc=70 --resume" ] \
    && ok || bad "repro_mpi-paper with PROFILE ran '$line'"

# The man page: all sections, and it renders without warnings.
man=$P/share/man/man1/repro_mpi.1
for s in NAME SYNOPSIS DESCRIPTION COMMANDS ENVIRONMENT FILES EXAMPLES "EXIT STATUS"; do
    grep -q "^\.SH \"\{0,1\}$s\"\{0,1\}$" "$man" && ok || bad "man page lacks section $s"
done
if command -v groff >/dev/null 2>&1; then
    warn=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
    [ -z "$warn" ] && ok || bad "man page warnings: $warn"
fi
# Every command of the program is documented in the man page.
cmds=$("$P/bin/repro_mpi" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
[ -n "$cmds" ] && ok || bad "no command found in --help"
for c in $cmds; do
    grep -q "^\.B $c" "$man" && ok || bad "man page does not document command '$c'"
done

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
