#!/usr/bin/env bash
# import_noids.sh - no source identifier is stored in clear: the store's bytes (database, WAL,
# shared memory) hold none of the bundle's patient or tumour ids; the key file is mode 0600 and
# the program refuses a key file others can read; PRONOSTIC_KEY works instead of the file, and
# the same key gives the same pseudonyms (linkage) while another key is refused.
set -uo pipefail
: "${PRONOSTIC:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
b=tests/integration/bundles
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

"$PRONOSTIC" init --db "$tmp/s.db" 2>/dev/null || fail "init"
[ "$(stat -c %a "$tmp/s.db.key")" = "600" ] || fail "key file mode $(stat -c %a "$tmp/s.db.key")"
[ "$(tr -d '\n' <"$tmp/s.db.key" | wc -c)" = "64" ] || fail "key file is not 64 hex digits"
"$PRONOSTIC" import "$b/bad" --db "$tmp/s.db" --source hospital-a >/dev/null 2>&1
[ $? -eq 3 ] || fail "import"
"$PRONOSTIC" quarantine --db "$tmp/s.db" --format csv >"$tmp/q" || fail "quarantine"

# every identifier of the bundle, from every file and column that holds one
ids=$( (tail -n +2 "$b/bad/patients.csv" | cut -d, -f1
        tail -n +2 "$b/bad/tumours.csv" | cut -d, -f1,2 | tr , '\n'
        tail -n +2 "$b/bad/events.csv" | cut -d, -f1,4 | tr , '\n') | tr -d '"' | grep -v '^$' | sort -u)
n=$(echo "$ids" | wc -l)
[ "$n" -ge 20 ] || fail "only $n ids found in the bundle"
# keep the WAL around: copy the files while the store is open by nobody, then scan all of them
ls "$tmp"/s.db* >/dev/null
for id in $ids; do
  for f in "$tmp"/s.db "$tmp"/s.db-wal "$tmp"/s.db-shm "$tmp/q"; do
    [ -f "$f" ] || continue
    if grep -a -q -F -- "$id" "$f"; then fail "identifier $id found in $(basename "$f")"; fi
  done
done
# the scan can find things: the ids are in the bundle itself
grep -a -q -F "SRC-P001" "$b/bad/patients.csv" || fail "scan sanity"

# the same over a demo bundle, whose alterations.csv and lines.csv also carry ids
"$PRONOSTIC" demo --out "$tmp/demo" --patients 400 --seed 3 --quiet >/dev/null || fail "demo"
"$PRONOSTIC" init --db "$tmp/u.db" 2>/dev/null || fail "init u"
"$PRONOSTIC" import "$tmp/demo" --db "$tmp/u.db" >/dev/null 2>&1 || fail "import of the demo bundle"
ids=$( (tail -n +2 "$tmp/demo/alterations.csv" | cut -d, -f1,4 | tr , '\n'
        tail -n +2 "$tmp/demo/lines.csv" | cut -d, -f1
        tail -n +2 "$tmp/demo/tumours.csv" | cut -d, -f1,2 | tr , '\n') | grep -v '^$' | sort -u)
[ "$(echo "$ids" | wc -l)" -ge 400 ] || fail "too few ids in the demo bundle"
grep -q -F "$(echo "$ids" | head -n 1)" "$tmp/demo/alterations.csv" "$tmp/demo/lines.csv" || fail "demo scan sanity"
for f in "$tmp"/u.db "$tmp"/u.db-wal; do
  [ -f "$f" ] || continue
  if printf '%s\n' "$ids" | grep -a -q -F -f - "$f"; then fail "a demo identifier found in $(basename "$f")"; fi
done

# careless bundles: a column swap (ids under residence, icd10, date, FINESS...), a header row
# missing (the first row's ids read as column names), a JSON error near an id: the ids go to the
# quarantine's lines and fields, never in clear into its reasons (or anywhere in the store)
mkdir "$tmp/swap"
{ echo "residence,sex,birth_date,patient_id,vital_status,vital_status_date,death_cause"
  for i in 1 2 3 4 5 6; do echo "132319848$i,M,1950-01-0$i,75,dead,2020-01-0$i,C25.0"; done; } >"$tmp/swap/patients.csv"
{ echo "tumour_id,patient_id,diagnosis_date,icd10,centre_id,stage_system"
  for i in 1 2 3; do echo "7$i,C25.1,2019-01-0$i,552319848$i,662319848$i,772319848$i"; done; } >"$tmp/swap/tumours.csv"
{ for i in 1 2; do echo "882319848$i,2019-01-0$i,imaging"; done; } >"$tmp/swap/events.csv"
{ echo "centre_id,name,departement,authorisations"; echo "X,Centre,75,992319848"; } >"$tmp/swap/centres.csv"
printf '{"trials": [{"id": "NCT1", "name": 112319848}, 442319848x]}\n' >"$tmp/swap/trials.json"
"$PRONOSTIC" init --db "$tmp/w.db" 2>/dev/null || fail "init w"
"$PRONOSTIC" import "$tmp/swap" --db "$tmp/w.db" --source swapped >/dev/null 2>&1
[ $? -eq 3 ] || fail "import of the swapped bundle"
[ "$(sqlite3 "$tmp/w.db" "SELECT count(*) FROM quarantine WHERE severity = 'error'")" -ge 8 ] || fail "swapped rows not quarantined"
"$PRONOSTIC" quarantine --db "$tmp/w.db" --format csv >"$tmp/wq" || fail "quarantine w"
for f in "$tmp"/w.db "$tmp"/w.db-wal "$tmp/wq"; do
  [ -f "$f" ] || continue
  if grep -a -q "2319848" "$f"; then fail "a swapped identifier found in $(basename "$f"): $(grep -a -o '.\{30\}2319848.\{10\}' "$f" | head -3)"; fi
done
grep -a -q "2319848" "$tmp/swap/patients.csv" || fail "swap scan sanity"
# the operator can still see them, from the bundle
"$PRONOSTIC" quarantine --db "$tmp/w.db" --format csv --show-values "$tmp/swap" | grep -q "1323198481" ||
  fail "--show-values does not read the swapped value back"

# a readable key file is refused (exit 2, a message naming the file and the fix)
chmod 644 "$tmp/s.db.key"
"$PRONOSTIC" quarantine --db "$tmp/s.db" >/dev/null 2>"$tmp/e"
[ $? -eq 2 ] || fail "a group/other-readable key was accepted"
grep -q "chmod 600" "$tmp/e" || fail "message: $(cat "$tmp/e")"
chmod 640 "$tmp/s.db.key"
"$PRONOSTIC" quarantine --db "$tmp/s.db" >/dev/null 2>&1 && fail "a group-readable key was accepted"
chmod 600 "$tmp/s.db.key"
"$PRONOSTIC" quarantine --db "$tmp/s.db" >/dev/null 2>&1 || fail "mode 600 refused"

# the environment variable: same key -> same pseudonyms; another key is refused
key=$(tr -d '\n' <"$tmp/s.db.key")
mv "$tmp/s.db.key" "$tmp/saved.key"
"$PRONOSTIC" quarantine --db "$tmp/s.db" >/dev/null 2>&1 && fail "opened without a key"
PRONOSTIC_KEY=$key "$PRONOSTIC" quarantine --db "$tmp/s.db" >/dev/null 2>&1 || fail "PRONOSTIC_KEY refused"
PRONOSTIC_KEY=$(printf '%064d' 7) "$PRONOSTIC" quarantine --db "$tmp/s.db" >/dev/null 2>"$tmp/e"
[ $? -eq 2 ] || fail "a wrong key was accepted"
PRONOSTIC_KEY=xyz "$PRONOSTIC" quarantine --db "$tmp/s.db" >/dev/null 2>&1 && fail "a malformed key was accepted"
PRONOSTIC_KEY=$key "$PRONOSTIC" init --db "$tmp/t.db" 2>/dev/null || fail "init with PRONOSTIC_KEY"
[ -e "$tmp/t.db.key" ] && fail "init wrote a key file although PRONOSTIC_KEY was set"
PRONOSTIC_KEY=$key "$PRONOSTIC" import "$b/bad" --db "$tmp/t.db" --source other >/dev/null 2>&1
a=$(sqlite3 "$tmp/s.db" "SELECT group_concat(hex(pseudonym)) FROM (SELECT pseudonym FROM patients ORDER BY 1)")
c=$(sqlite3 "$tmp/t.db" "SELECT group_concat(hex(pseudonym)) FROM (SELECT pseudonym FROM patients ORDER BY 1)")
[ -n "$a" ] && [ "$a" = "$c" ] || fail "the same key gave different pseudonyms"
echo "ok"
