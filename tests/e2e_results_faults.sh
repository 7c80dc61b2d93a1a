#!/bin/bash
# The results file under faults (files damaged through the HDF5 API by
# tests/h5damage.c):
#  - a damaged layout (rows, shapes, types, attributes, values) is refused by
#    --resume and by info with exit 2 and one line naming the dataset or
#    attribute, and the file is left untouched;
#  - a bit flip in a finished row is caught by its checksum: info and reduce
#    name the job, --resume computes it again and the file ends identical to
#    an undamaged one;
#  - a leftover of an unfinished creation (and a run killed at any moment
#    early on) never blocks the next run or resume;
#  - a full disk (tmpfs, where mount is allowed) ends 1 and 2 ranks with exit
#    1 and "No space left on device", leaving nothing behind;
#  - a second run on a file in use is refused naming host and pid, and the
#    ranks of a run whose mpirun is killed stop on their own.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"
DAMAGE="$BUILD_DIR/tests/h5damage"
[ -x "$DAMAGE" ] || fail "$DAMAGE not built"
trap 'umount "$WORK/full" 2> /dev/null; rm -rf "$WORK"' EXIT

cat > small.ini <<'INI'
[experiment e]
generator = linear
data = per_repeat
repeats = 3
seed = 7
models = Corr
[dataset A]
n = 40
strong = 1
weak = 2
irrelevant = 1
[dataset B]
n = 30
strong = 1
weak = 1
irrelevant = 1
INI

mpi 2 "$TOY" run small.ini -o a.h5 > run.log 2>&1 || { cat run.log; fail "the base run failed"; }
[ ! -e a.h5.lock ] && [ ! -e a.h5.creating ] || fail "side files left after a run"
"$TOY" info a.h5 > info.txt || fail "info of the base file"
grep -q "jobs: 6 total, 6 done" info.txt || { cat info.txt; fail "base file not complete"; }
h5dump -H -d /jobs/checksum a.h5 > /dev/null || fail "no /jobs/checksum dataset"
det a.h5 > det_a

# refused NAME RESUME-MSG INFO-MSG H5DAMAGE-ARGS...: the damaged copy is
# refused by --resume (exit 2, one line, file untouched) and by info (exit 2)
refused() {
    local name=$1 want_resume=$2 want_info=$3
    shift 3
    cp a.h5 x.h5
    "$DAMAGE" x.h5 "$@" || fail "$name: h5damage $*"
    local sum
    sum=$(md5sum < x.h5)
    "$TOY" run small.ini -o x.h5 --resume > out.txt 2> err.txt
    local rc=$?
    [ $rc -eq 2 ] || { cat err.txt; fail "$name: --resume exit $rc, want 2"; }
    [ "$(wc -l < err.txt)" -eq 1 ] || { cat err.txt; fail "$name: --resume: want one line"; }
    grep -qF -- "$want_resume" err.txt || { cat err.txt; fail "$name: --resume does not say '$want_resume'"; }
    [ "$(md5sum < x.h5)" = "$sum" ] || fail "$name: a refused resume changed the file"
    "$TOY" info x.h5 > out.txt 2> err.txt
    rc=$?
    [ $rc -eq 2 ] || { cat err.txt; fail "$name: info exit $rc, want 2"; }
    grep -qF -- "$want_info" err.txt || { cat err.txt; fail "$name: info does not say '$want_info'"; }
    echo "refused: $name: $(cat err.txt)"
}

refused "status longer than the plan" "/jobs/status has shape [106]" "/jobs/status has shape [106]" \
    rows /jobs/status 106
refused "status shorter than the plan" "/jobs/status has shape [3]" "/jobs/status has shape [3]" \
    rows /jobs/status 3
refused "d = 100000" "/jobs/d: job 0 has d=100000" "/jobs/d: job 0 has d=100000" set /jobs/d 0 100000
refused "max_d huge" "attribute max_d is 4000000000" "attribute max_d is 4000000000" attr max_d 4000000000
refused "max_d zero" "attribute max_d is 0" "attribute max_d is 0" attr max_d 0
refused "max_d larger" "/relevance has shape [6 x 4]" "/relevance has shape [6 x 4]" attr max_d 9
refused "relevance of another shape" "/relevance has shape [6 x 2]" "/relevance has shape [6 x 2]" \
    shape /relevance 6 2
refused "model as integers" "/jobs/model is of type signed 4-byte integer" "/jobs/model is of type" \
    ints /jobs/model
refused "bit flip in /jobs/d" "dataset /jobs/d: job 1 does not hold the plan's value" "job 1 (e / A / repeat 1 / Corr) is damaged" \
    flip /jobs/d 1 2
refused "bit flip in /jobs/id" "/jobs/id: row 4 holds" "/jobs/id: row 4 holds" flip /jobs/id 4 5
refused "status out of range" "/jobs/status: job 2 has status 9" "/jobs/status: job 2 has status 9" \
    set /jobs/status 2 9

# silent corruption: a bit flip in a finished row's values (job 4: B, repeat
# 1; max_d = 4, so its first feature is element 16, bounds element 32)
for target in "/importance 16 3" "/relevance 17 1" "/jobs/train_score 4 40" "/jobs/extras 4 3"; do
    cp a.h5 x.h5
    set -- $target
    "$DAMAGE" x.h5 flip "$@" || fail "h5damage flip $target"
    [ "$(det x.h5 | md5sum)" != "$(md5sum < det_a)" ] || fail "flip $target changed nothing"
    "$TOY" info x.h5 > out.txt 2> err.txt && fail "flip $target: info accepted the file"
    grep -qF "job 4 (e / B / repeat 1 / Corr) is damaged" err.txt || { cat err.txt; fail "flip $target: info does not name job 4"; }
    "$BIN" reduce x.h5 -o red > out.txt 2> err.txt
    [ $? -eq 2 ] || { cat err.txt; fail "flip $target: reduce did not exit 2"; }
    grep -qF "job 4 (e / B / repeat 1 / Corr) is damaged" err.txt || { cat err.txt; fail "flip $target: reduce does not name job 4"; }
    [ ! -e red ] || fail "flip $target: reduce wrote output"
    mpi 2 "$TOY" run small.ini -o x.h5 --resume > out.txt 2>&1 || { cat out.txt; fail "flip $target: resume failed"; }
    grep -qF "1 finished row of x.h5 does not match its checksum (first: job 4): computing it again" out.txt ||
        { cat out.txt; fail "flip $target: resume does not say it computes job 4 again"; }
    grep -q "1 jobs: 1 done, 0 failed, 5 already done" out.txt || { cat out.txt; fail "flip $target: resume ran other jobs"; }
    det x.h5 | cmp -s - det_a || fail "flip $target: the resumed file differs from the undamaged one"
    "$TOY" info x.h5 > /dev/null || fail "flip $target: info after the resume"
done
echo "bit flips: caught by info and reduce, recomputed by --resume"

# atomic creation: a leftover of an unfinished creation is replaced
printf 'partial' > b.h5.creating
"$TOY" run small.ini -o b.h5 > out.txt 2>&1 || { cat out.txt; fail "run over a leftover failed"; }
grep -qF "removed b.h5.creating, left by a creation that did not finish" out.txt || { cat out.txt; fail "no line about the leftover"; }
[ ! -e b.h5.creating ] || fail "leftover still there"
det b.h5 | cmp -s - det_a || fail "run over a leftover: wrong contents"
printf 'partial' > c.h5.creating
"$TOY" run small.ini -o c.h5 --resume > out.txt 2>&1 || { cat out.txt; fail "resume over a leftover failed"; }
grep -qF "removed c.h5.creating" out.txt || { cat out.txt; fail "resume: no line about the leftover"; }
grep -q "6 jobs: 6 done" out.txt || { cat out.txt; fail "resume over a leftover did not run every job"; }
# kill -9 early: at once, as soon as the creation began (the temporary name
# appears), as soon as the file exists; the next run (or resume, if the file
# exists, as make and slurm/repro.sbatch do) always succeeds
for when in start creating created; do
    rm -f k.h5 k.h5.creating
    setsid "$MPIRUN" --oversubscribe -n 2 "$TOY" run small.ini -o k.h5 > /dev/null 2>&1 &
    pid=$!
    case $when in
    creating) for _ in $(seq 1 3000); do [ -e k.h5.creating ] && break; sleep 0.002; done ;;
    created) for _ in $(seq 1 3000); do [ -e k.h5 ] && break; sleep 0.002; done ;;
    esac
    kill -KILL $(pgrep -s "$pid") "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    for _ in $(seq 1 50); do [ -z "$(pgrep -s "$pid")" ] && break; sleep 0.1; done
    left=no
    [ -e k.h5.creating ] && left=yes
    [ -e k.h5 ] && opt=--resume || opt=
    mpi 2 "$TOY" run small.ini -o k.h5 $opt > out.txt 2>&1 ||
        { cat out.txt; fail "after a kill ($when): run $opt failed"; }
    [ $left = no ] || grep -qF "removed k.h5.creating" out.txt || { cat out.txt; fail "after a kill ($when): leftover not reported"; }
    det k.h5 | cmp -s - det_a || fail "after a kill ($when): wrong contents"
    [ ! -e k.h5.creating ] || fail "after a kill ($when): leftover not removed"
    echo "kill ($when): leftover $left, then run${opt:+ $opt}: complete"
done
echo "creation: leftovers replaced, early kills never block a retry"

# full disk: a tmpfs of 100 kB cannot hold the file of 60 jobs
sed 's/^repeats = 3/repeats = 30/' small.ini > big.ini
mkdir full
if mount -t tmpfs -o size=100k tmpfs full 2> /dev/null; then
    for n in 1 2; do
        timeout -s KILL 120 "$MPIRUN" --oversubscribe -n $n "$TOY" run big.ini -o full/f.h5 > out.txt 2>&1
        rc=$?
        [ $rc -ne 137 ] || fail "full disk, $n rank(s): hung (killed after 120 s)"
        [ $rc -eq 1 ] || { cat out.txt; fail "full disk, $n rank(s): exit $rc, want 1"; }
        grep -q "No space left on device" out.txt || { cat out.txt; fail "full disk, $n rank(s): cause not named"; }
        [ -z "$(ls -A full)" ] || { ls -la full; fail "full disk, $n rank(s): files left behind"; }
        echo "full disk, $n rank(s): $(grep -m1 'No space' out.txt)"
    done
    umount full
else
    echo "SKIP full disk: mounting a tmpfs is not allowed here"
fi

# one writer: a second run on a file in use is refused with host and pid (the
# run takes about 20 s alone, so it still holds the file when the test looks
# for the holder among its ranks, even under the sanitizers on a loaded machine)
cat > slow.ini <<'INI'
[experiment lin]
generator = linear
data = per_repeat
repeats = 40
models = Corr
Corr.perms = 40000
[dataset A]
n = 300
strong = 3
weak = 4
irrelevant = 5
INI
setsid "$MPIRUN" --oversubscribe -n 2 "$TOY" run slow.ini -o s.h5 > slow.log 2>&1 &
pid=$!
for _ in $(seq 1 2400); do [ -e s.h5 ] && break; sleep 0.05; done  # up to 2 minutes on a loaded machine
[ -e s.h5 ] || { cat slow.log; fail "the slow run did not create its file"; }
"$TOY" run slow.ini -o s.h5 --resume > out.txt 2> err.txt
rc=$?
[ $rc -eq 2 ] || { cat err.txt; kill -KILL $(pgrep -s "$pid") "$pid"; fail "second writer: exit $rc, want 2"; }
holder=$(sed -n 's/.*in use by another run (host \([^,]*\), pid \([0-9]*\).*/\1 \2/p' err.txt)
set -- $holder
[ "${1:-}" = "$(hostname)" ] && pgrep -s "$pid" -x test_run | grep -qx "${2:-none}" ||
    { cat err.txt; kill -KILL $(pgrep -s "$pid") "$pid"; fail "second writer: holder not named as a rank of the run ('$holder')"; }
echo "second writer refused: $(cat err.txt)"
# kill -9 of mpirun alone: its ranks notice and stop (exited ranks may stay
# zombies until init reaps them: only running ones count)
running() {
    local p st
    for p in $(pgrep -s "$1"); do
        st=$(awk '/^State:/ {print $2}' "/proc/$p/status" 2> /dev/null)
        [ -n "$st" ] && [ "$st" != Z ] && echo "$p"
    done
}
kill -KILL "$pid"
t0=$(date +%s%N)
for _ in $(seq 1 250); do [ -z "$(running "$pid")" ] && break; sleep 0.02; done
left=$(running "$pid")
ms=$((($(date +%s%N) - t0) / 1000000))
[ -z "$left" ] || { kill -KILL $left; fail "ranks still running ${ms} ms after mpirun was killed"; }
echo "ranks stopped within ${ms} ms after mpirun was killed"
wait "$pid" 2> /dev/null
# the lock died with rank 0: another run gets past it (and is refused for
# another reason: --repeats makes it another plan)
"$TOY" run slow.ini -o s.h5 --resume --repeats 1 > out.txt 2> err.txt && fail "resume of another plan accepted"
grep -q "belongs to another plan" err.txt || { cat err.txt; fail "the lock outlived the killed run"; }
echo "one writer: refused while in use, released when the run ends or is killed"
