#!/bin/bash
# Results format 3: /jobs/status is an HDF5 enum, and every job's scores
# (all-relevant precision, recall, F1; per-class precision and recall of the
# models with classes) are columns of the job table, equal to the scores
# recomputed here from /relevance and /truth; a format-2 file is refused by
# info, reduce, export and --resume with one line, and left untouched.
BIN=$1 SRC=$2
. "$SRC/tests/runner_lib.sh"
DAMAGE="$BUILD_DIR/tests/h5damage"

mpi 2 "$BIN" run smoke --repeats 1 -o s.h5 > run.log 2>&1 || { cat run.log; fail "smoke run"; }
h5dump -a /format s.h5 | grep -q '"repro_mpi results 3"' || fail "format attribute"
h5dump -H -d /jobs/status s.h5 | grep -q 'H5T_ENUM' || fail "/jobs/status is not an enum"
h5dump -H -d /jobs/status s.h5 | tr -d ' \n' | grep -q '"pending"0;"done"1;"failed"2;' || fail "enum members"
[ "$(values s.h5 /jobs/status | sort -u)" = 1 ] || fail "status values"

# one line per job (integer matrices row by row; doubles with all digits)
rows() {
    case $2 in /relevance|/truth) set -- "$1" "$2" ;; *) set -- "$1" "$2" -m %.17g ;; esac
    h5dump -y -w 0 "${@:3}" -d "$2" "$1" | awk '/DATA \{/ {on = 1; next} on && /\}/ {exit} on' | tr -d ' ' | sed 's/,$//'
}
for c in relevance truth jobs/model jobs/precision jobs/recall jobs/f1 jobs/weak_precision jobs/weak_recall \
    jobs/strong_precision jobs/strong_recall; do
    rows s.h5 "/$c" > "$(basename $c).col"
done
paste -d' ' relevance.col truth.col model.col precision.col recall.col f1.col weak_precision.col weak_recall.col \
    strong_precision.col strong_recall.col > table
[ "$(wc -l < table)" -eq 12 ] || fail "want 12 rows"
awk '
function prf(cls,   j, tp, np, nt) {   # cls 0: all-relevant (class > 0), else one class
    tp = np = nt = 0
    for (j = 1; j <= d; j++) {
        pp = cls ? rel[j] == cls : rel[j] > 0; tt = cls ? tru[j] == cls : tru[j] > 0
        np += pp; nt += tt; tp += pp && tt
    }
    P = np ? tp / np : (cls ? 1 : 0); R = nt ? tp / nt : (cls ? 1 : 0)
    F = P + R > 0 ? 2 * P * R / (P + R) : 0
}
function same(a, b) { return (a == "nan" && b == "nan") || (a != "nan" && b != "nan" && (a - b) ^ 2 < 1e-24) }
{
    n = split($1, r, ","); split($2, t, ","); d = 0
    for (j = 1; j <= n; j++) if (t[j] >= 0) { d++; rel[d] = r[j]; tru[d] = t[j] }
    classes = $3 == "\"SQ\"" || $3 == "\"FRI\""
    prf(0)
    if (!same($4, P) || !same($5, R) || !same($6, F)) { print "all-relevant differs: " $0 " want " P " " R " " F; bad = 1 }
    if (classes) {
        prf(1); wp = P; wr = R; prf(2); sp = P; sr = R
        if (!same($7, wp) || !same($8, wr) || !same($9, sp) || !same($10, sr)) { print "per class differs: " $0; bad = 1 }
        withc++
    } else if ($7 != "nan" || $8 != "nan" || $9 != "nan" || $10 != "nan") { print "per class for a selector: " $0; bad = 1 }
    checked++
} END { if (checked != 12 || withc != 6) { print "checked " checked ", with classes " withc; bad = 1 } exit bad }' table \
    || fail "stored scores differ from the recomputed ones"

# a failed job stores no scores (the test model Fail refuses > 3 features)
cat > fail.ini <<'INI'
[experiment e]
generator = linear
data = once
repeats = 1
models = Corr, Fail
Fail.max_d = 3
[dataset wide]
n = 30
strong = 1
weak = 2
irrelevant = 2
INI
"$TOY" run fail.ini -o f.h5 > f.log 2>&1
[ $? -eq 1 ] || { cat f.log; fail "toy run: want exit 1"; }
[ "$(values f.h5 /jobs/status | tr -d '\n')" = 12 ] || fail "status: done, failed"
[ "$(values f.h5 /jobs/f1 | sed -n 2p)" = nan ] || fail "a failed job has an F1"
[ "$(values f.h5 /jobs/f1 | sed -n 1p)" != nan ] || fail "Corr (classes) has no F1"
"$TOY" info f.h5 > /dev/null || fail "info of a file with a failed job"

# a format-2 file is refused, untouched
cp s.h5 old.h5
"$DAMAGE" old.h5 text format "repro_mpi results 2" || fail "h5damage text"
sum=$(md5sum < old.h5)
want="old.h5: a results file of another format ('repro_mpi results 2'; this version reads 'repro_mpi results 3')"
for cmd in "info old.h5" "reduce old.h5 -o red" "export old.h5" "run smoke --repeats 1 -o old.h5 --resume"; do
    "$BIN" $cmd > out.txt 2> err.txt
    rc=$?
    [ $rc -eq 2 ] || { cat err.txt; fail "$cmd: exit $rc, want 2"; }
    [ "$(wc -l < err.txt)" -eq 1 ] || { cat err.txt; fail "$cmd: want one line"; }
    grep -qF "$want" err.txt || { cat err.txt; fail "$cmd: unclear refusal"; }
done
[ ! -e red ] || fail "reduce of a format-2 file wrote output"
[ "$(md5sum < old.h5)" = "$sum" ] || fail "a refused format-2 file was changed"
echo "format 3: enum status, stored scores equal the recomputed ones, format 2 refused"
