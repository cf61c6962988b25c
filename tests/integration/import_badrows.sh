#!/usr/bin/env bash
# import_badrows.sh - every kind of bad row of docs/interfaces.md 2 (and a wrong encoding, a missing
# file, an empty file, a header-only file, duplicate headers, unknown columns and files) lands in
# the quarantine with its file, line, field and reason; the good rows load; the exit code is 3.
set -uo pipefail
: "${PRONOSTIC:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
b=tests/integration/bundles
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

"$PRONOSTIC" init --db "$tmp/s.db" 2>/dev/null || fail "init"
"$PRONOSTIC" import "$b/bad" --db "$tmp/s.db" --source hospital-a --format csv >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 3 ] || fail "import exit code $rc, expected 3"
grep -q "30 rows quarantined" "$tmp/err" || fail "stderr: $(cat "$tmp/err")"
# run,read,loaded,unchanged,quarantined,warnings,conflicts
[ "$(sed -n 2p "$tmp/out")" = "1,43,14,2,30,3,0" ] || fail "counts: $(cat "$tmp/out")"

"$PRONOSTIC" quarantine --db "$tmp/s.db" --format csv >"$tmp/q" || fail "quarantine"
diff -u "$b/bad.expected.csv" "$tmp/q" || fail "quarantine differs from bad.expected.csv"
# reasons never quote a value; --show-values reads the values back from the bundle
grep -q "1955-13-01\|2030-03-01\|teleportation\|12345" "$tmp/q" && fail "a reason quotes a value"
"$PRONOSTIC" quarantine --db "$tmp/s.db" --format json --show-values "$b/bad" >"$tmp/qv" || fail "--show-values"
python3 - "$tmp/qv" <<'PY' || fail "--show-values: wrong values"
import json, sys
rows = {(r["file"], r["line"], r["field"]): r["value"]
        for r in json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))}
want = {("patients.csv", 5, "birth_date"): "1955-13-01", ("events.csv", 9, "date"): "2030-03-01",
        ("events.csv", 5, "type"): "teleportation",
        ("events.csv", 8, "detail"): "d\ufffdcision collective", ("tumours.csv", 14, "centre_id"): "12345",
        ("patients.csv", 11, "residence"): "99", ("tumours.csv", 12, ""): None,
        ("notes.txt", 0, ""): None}
bad = {k: (rows.get(k), v) for k, v in want.items() if rows.get(k) != v}
sys.exit(f"{bad}" if bad else 0)
PY
# a file edited since the import: its values are not shown, and a warning says so
cp -r "$b/bad" "$tmp/edited"
sed -i 's/1955-13-01/1955-12-01/' "$tmp/edited/patients.csv"
"$PRONOSTIC" quarantine --db "$tmp/s.db" --format csv --show-values "$tmp/edited" >"$tmp/qe" 2>"$tmp/qe.err" || fail "--show-values edited"
grep -q "^patients.csv,5,birth_date,.*,hospital-a,1,$" "$tmp/qe" || fail "an edited value was shown: $(grep '^patients.csv,5' "$tmp/qe")"
grep -q "1 value is no longer in the file" "$tmp/qe.err" || fail "no warning for the edited file: $(cat "$tmp/qe.err")"

# the good rows are in: 5 patients, 4 tumours, 3 events, 1 territory, 1 trial
counts=$(sqlite3 "$tmp/s.db" "SELECT (SELECT count(*) FROM patients) || ',' ||
  (SELECT count(*) FROM tumours) || ',' || (SELECT count(*) FROM events) || ',' ||
  (SELECT count(*) FROM territories) || ',' || (SELECT count(*) FROM centres) || ',' ||
  (SELECT count(*) FROM trials)")
[ "$counts" = "5,4,3,1,0,1" ] || fail "stored counts $counts, expected 5,4,3,1,0,1"
# sites were classified: pancreas (C25.1), lung (topography C34.1 and C34.9), ovary (C56)
sites=$(sqlite3 "$tmp/s.db" "SELECT group_concat(site, ' ') FROM (SELECT site FROM tumours ORDER BY site)")
[ "$sites" = "1 4 4 6" ] || fail "sites $sites"
# the birth date given as a month is kept with its precision
prec=$(sqlite3 "$tmp/s.db" "SELECT sum(birth_precision) FROM patients")
[ "$prec" = "1" ] || fail "birth precision $prec"

# a bundle without its required tumours.csv: a file-level entry, the patients load
"$PRONOSTIC" init --db "$tmp/m.db" 2>/dev/null || fail "init m"
"$PRONOSTIC" import "$b/missing" --db "$tmp/m.db" --format csv >/dev/null 2>&1
rc=$?
[ "$rc" -eq 3 ] || fail "missing-file import exit code $rc, expected 3"
"$PRONOSTIC" quarantine --db "$tmp/m.db" --format csv >"$tmp/qm"
grep -qx "tumours.csv,0,,required file is missing,error,default,1" "$tmp/qm" || fail "no missing-file entry: $(cat "$tmp/qm")"
[ "$(sqlite3 "$tmp/m.db" "SELECT count(*) FROM patients")" = "5" ] || fail "patients of the missing bundle"

# a clean bundle: exit 0 and an empty quarantine
mkdir "$tmp/good"
head -3 "$b/bad/patients.csv" | cut -d, -f1-7 >"$tmp/good/patients.csv"
head -3 "$b/bad/tumours.csv" >"$tmp/good/tumours.csv"
"$PRONOSTIC" init --db "$tmp/g.db" 2>/dev/null
"$PRONOSTIC" import "$tmp/good" --db "$tmp/g.db" --format csv >"$tmp/og" 2>&1 || fail "clean import: $(cat "$tmp/og")"
[ "$("$PRONOSTIC" quarantine --db "$tmp/g.db" --format csv | wc -l)" = "1" ] || fail "clean quarantine not empty"

# usage and input errors
"$PRONOSTIC" import "$b/bad" >/dev/null 2>&1; [ $? -eq 1 ] || fail "no --db should be a usage error"
"$PRONOSTIC" import "$tmp/nowhere" --db "$tmp/s.db" >/dev/null 2>"$tmp/e"; [ $? -eq 2 ] || fail "missing dir should be exit 2"
"$PRONOSTIC" import "$b/bad" --db "$tmp/none.db" >/dev/null 2>"$tmp/e"; [ $? -eq 2 ] || fail "missing store should be exit 2"
grep -q "pronostic init" "$tmp/e" || fail "missing store message: $(cat "$tmp/e")"
"$PRONOSTIC" init --db "$tmp/s.db" 2>/dev/null; [ $? -eq 2 ] || fail "init over an existing store should be exit 2"
echo "ok"
