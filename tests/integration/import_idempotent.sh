#!/usr/bin/env bash
# import_idempotent.sh - re-importing the same bundle changes nothing (only the runs log grows);
# importing corrected rows replaces their quarantine entries and loads what depended on them.
set -uo pipefail
: "${PRONOSTIC:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
b=tests/integration/bundles
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY
dump() { sqlite3 "$1" ".dump" | grep -v "INSERT INTO runs " ; }

"$PRONOSTIC" init --db "$tmp/s.db" 2>/dev/null || fail "init"
"$PRONOSTIC" import "$b/bad" --db "$tmp/s.db" --source hospital-a --format csv >/dev/null 2>&1
dump "$tmp/s.db" >"$tmp/d1"
"$PRONOSTIC" import "$b/bad" --db "$tmp/s.db" --source hospital-a --format csv >"$tmp/o2" 2>/dev/null
[ $? -eq 3 ] || fail "second import should still report quarantined rows"
dump "$tmp/s.db" >"$tmp/d2"
diff -q "$tmp/d1" "$tmp/d2" >/dev/null || { diff "$tmp/d1" "$tmp/d2" | head; fail "re-import changed the store"; }
# run 2 loaded nothing: 14 rows unchanged plus the 2 in-file repeats
[ "$(sed -n 2p "$tmp/o2")" = "2,43,0,16,30,3,0" ] || fail "second run counts: $(cat "$tmp/o2")"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM runs")" = "2" ] || fail "runs"

# the same rows sent by another source: patients link (no new patient), tumours are that
# source's own (tumour ids are per source)
"$PRONOSTIC" import "$b/bad" --db "$tmp/s.db" --source registry-b --format csv >/dev/null 2>&1
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM patients")" = "5" ] || fail "patients did not link across sources"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM tumours")" = "8" ] || fail "tumours of the second source"

# another source: its observations are kept beside the others. One that disagrees on sex is a
# conflict (exit 3, listed, the patient left out of analyses); a later death stands; an earlier
# alive date changes nothing
mkdir "$tmp/c"
printf 'patient_id,sex,birth_date,residence,vital_status,vital_status_date\n%s\n%s\n%s\n' \
  'SRC-P001,F,1950-03-02,75,dead,2020-05-01' 'SRC-P002,F,1960-07,2A,dead,2024-09-01' \
  'SRC-P010,F,1965-04-04,33,alive,2023-01-01' >"$tmp/c/patients.csv"
printf 'tumour_id,patient_id,diagnosis_date,icd10\n' >"$tmp/c/tumours.csv"
"$PRONOSTIC" import "$tmp/c" --db "$tmp/s.db" --source registry-c --format csv >"$tmp/oc" 2>/dev/null
[ $? -eq 3 ] || fail "conflicting source: exit code"
[ "$(sed -n 2p "$tmp/oc" | cut -d, -f3-5,7)" = "3,0,0,2" ] || fail "conflicting source counts: $(cat "$tmp/oc")"
"$PRONOSTIC" quarantine --db "$tmp/s.db" --format csv >"$tmp/qc"
grep -q "^patients.csv,2,sex,\"sex F here, M from source hospital-a (patients.csv line 2): the patient is left out of analyses until the sources agree\",conflict,registry-c," "$tmp/qc" ||
  fail "no identity conflict entry: $(grep conflict "$tmp/qc")"
grep -q "^patients.csv,2,sex,.*from source registry-b .*,conflict,registry-c," "$tmp/qc" ||
  fail "no identity conflict with registry-b: $(grep conflict "$tmp/qc")"
[ "$(sqlite3 "$tmp/s.db" "SELECT conflict FROM patients WHERE birth_date = -7245")" = "1" ] || fail "identity conflict flag"
# SRC-P002 (born 1960-07, alive 2024-06-30) is now dead on 2024-09-01; SRC-P010 keeps 2024-03-01
st=$(sqlite3 "$tmp/s.db" "SELECT group_concat(vital_status || ':' || vital_status_date, ' ') FROM
  (SELECT vital_status, vital_status_date FROM patients WHERE birth_date IN (-3457, -1733) ORDER BY birth_date)")
[ "$st" = "1:19967 0:19783" ] || fail "vital status after the second source: $st"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM patients")" = "5" ] || fail "a conflicting patient was added"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM patient_obs")" = "13" ] || fail "observations: 5 + 5 + 3 expected"

# corrections: patient SRC-P003 gets its sex, tumour T007 a valid code
mkdir "$tmp/fix"
cp "$b/bad/"*.csv "$tmp/fix/"
sed -i 's/^SRC-P003,,/SRC-P003,F,/' "$tmp/fix/patients.csv"
sed -i 's/^T007,SRC-P007,2020-01-01,C2X,/T007,SRC-P007,2020-01-01,C25.2,/' "$tmp/fix/tumours.csv"
"$PRONOSTIC" import "$tmp/fix" --db "$tmp/s.db" --source hospital-a --format csv >/dev/null 2>&1
q=$("$PRONOSTIC" quarantine --db "$tmp/s.db" --source hospital-a --errors --format csv | tail -n +2)
echo "$q" | grep -v ",error,hospital-a," && fail "quarantine --source --errors let other entries through"
[ "$("$PRONOSTIC" quarantine --db "$tmp/s.db" --source nobody --format csv | wc -l)" = 1 ] || fail "--source nobody"

echo "$q" | grep -q "^patients.csv,4," && fail "patients.csv line 4 still quarantined"
echo "$q" | grep -q "^tumours.csv,8," && fail "tumours.csv line 8 still quarantined"
# T006 referred to the quarantined SRC-P003: it loads now, and so does SRC-P003's event (line 10)
echo "$q" | grep -q "^tumours.csv,7," && fail "tumours.csv line 7 (T006) still quarantined"
echo "$q" | grep -q "^events.csv,10," && fail "events.csv line 10 still quarantined"
echo "$q" | grep -q "^patients.csv,5,birth_date," || fail "an uncorrected row left the quarantine"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM patients")" = "6" ] || fail "corrected patient not loaded"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM tumours WHERE source = 1")" = "6" ] || fail "corrected tumours not loaded"
# many events, each sent twice in a row and once more at the end: stored once each, counted
bash bench/import/gen_bundle.sh "$tmp/g" 500 20 3 || fail "generator"
{ head -1 "$tmp/g/events.csv"; tail -n +2 "$tmp/g/events.csv" | awk '{ print; print }'
  tail -n +2 "$tmp/g/events.csv"; } >"$tmp/g/ev2" && mv "$tmp/g/ev2" "$tmp/g/events.csv"
"$PRONOSTIC" init --db "$tmp/g.db" 2>/dev/null
"$PRONOSTIC" import "$tmp/g" --db "$tmp/g.db" --format csv >"$tmp/og" 2>&1 || fail "events import: $(cat "$tmp/og")"
tumours=$(($(wc -l <"$tmp/g/tumours.csv") - 1))
[ "$(sed -n 2p "$tmp/og")" = "1,$((500 + tumours + 30000)),$((500 + tumours + 10000)),20000,0,0,0" ] ||
  fail "repeated events: $(cat "$tmp/og")"
[ "$(sqlite3 "$tmp/g.db" "SELECT count(*) FROM events")" = "10000" ] || fail "events stored"
"$PRONOSTIC" import "$tmp/g" --db "$tmp/g.db" --format csv >"$tmp/og2" 2>&1
[ "$(sed -n 2p "$tmp/og2" | cut -d, -f3,4)" = "0,$((500 + tumours + 30000))" ] || fail "events re-import: $(cat "$tmp/og2")"
echo "ok"
