#!/usr/bin/env bash
# import_v2.sh - bundle format version 2 (docs/interfaces.md 2): events.csv's end_date and
# setting and patients.csv's death_place are stored (as days since 1970-01-01 and the codes of
# carevocab.h), each bad value is quarantined at its file, line and field (an unparseable
# end_date, one before the date or in the future, an unknown setting or place of death; a place
# of death for a living patient is a warning and is not stored), re-importing changes nothing;
# a version-1 store's rows keep their fingerprints when their bundle is imported again; and two
# sources giving the same death in two places are a death_place conflict, in either order.
# Bundles: tests/integration/bundles/v2 (its events.csv has the new columns in another order
# than the documentation's) and bundles/v2-registry (a second source of three of its patients).
. tests/integration/lib/common.sh
. tests/integration/lib/storedump.sh
export PRONOSTIC_TODAY=2025-01-01
export PRONOSTIC_KEY=$(printf '%064d' 7)   # the key of bundles/store_v1.sql
b=tests/integration/bundles
day() { sqlite3 :memory: "SELECT CAST(julianday('$1') - 2440587.5 AS INTEGER)"; }
q() { sqlite3 "$db" "$1"; }

# ---- the values stored ----------------------------------------------------------------------
db=$tmp/s.db
run_pn init init --db "$db"
run_pn i1 import "$b/v2" --db "$db" --source hospital-v2 --format csv
[ "$rc" -eq 3 ] || fail "v2 import: exit $rc, expected 3 (some rows quarantined): $(cat "$tmp/i1.err")"
# run,read,loaded,unchanged,quarantined,warnings,conflicts: 6 + 5 + 11 rows read; P5 and 5
# events refused; one warning (a living patient's place of death)
[ "$(sed -n 2p "$tmp/i1.out")" = "1,22,16,0,6,1,0" ] || fail "v2 counts: $(cat "$tmp/i1.out")"

# events: (type, date, end_date, setting) of each stored row
got=$(q "SELECT group_concat(x, ' ') FROM (SELECT t.name || ':' || e.date || ':' ||
  ifnull(e.end_date, '-') || ':' || ifnull(e.setting, '-') AS x FROM events e
  JOIN event_types t ON t.code = e.type ORDER BY e.date, t.name)")
want="hospital_admission:$(day 2021-02-01):$(day 2021-02-09):0 icu_admission:$(day 2022-03-01):$(day 2022-03-05):-"
want="$want chemotherapy:$(day 2022-04-10):$(day 2022-04-10):- palliative_care:$(day 2022-05-20):$(day 2022-06-01):1"
want="$want death:$(day 2022-06-01):-:1 imaging:$(day 2023-01-01):-:-"
[ "$got" = "$want" ] || fail "events stored:
  got  $got
  want $want"
# the codes are carevocab.h's, as the store's tables name them
[ "$(q "SELECT name FROM event_types WHERE code = (SELECT type FROM events WHERE setting = 1 AND end_date IS NULL)")" = "death" ] ||
  fail "the death event's type"
# patients: the place of death of the dead (1 home, 3 palliative_unit), none for P6 (not
# given) nor for P4 (alive: ignored), and P5 (an unknown place) not loaded
got=$(q "SELECT group_concat(x, ' ') FROM (SELECT vital_status || ':' || ifnull(death_place, '-') AS x
  FROM patients ORDER BY birth_date)")
# born 1945 P3 alive, 1950 P1 home, 1952 P6 none, 1955 P4 alive (ignored), 1960 P2 palliative_unit
[ "$got" = "0:- 1:1 1:- 0:- 1:3" ] || fail "patients' death_place: $got"
[ "$(q "SELECT group_concat(ifnull(death_place, '-'), ' ') FROM (SELECT death_place FROM patient_obs ORDER BY birth_date)")" = "- 1 - - 3" ] ||
  fail "observations' death_place: $(q "SELECT group_concat(ifnull(death_place, '-')) FROM patient_obs")"

# ---- each bad value at its file, line and field -----------------------------------------------
run_pn qa quarantine --db "$db" --format csv
settings="acute_hospital, home, hospice, palliative_unit, nursing_home, other"
cat >"$tmp/want.q" <<CSV
file,line,field,reason,severity,source,run
events.csv,6,end_date,not a date (YYYY-MM-DD),error,hospital-v2,1
events.csv,7,end_date,end_date before date,error,hospital-v2,1
events.csv,8,end_date,date in the future,error,hospital-v2,1
events.csv,9,setting,"not one of $settings",error,hospital-v2,1
events.csv,11,setting,"not one of $settings",error,hospital-v2,1
patients.csv,5,death_place,death_place given for a patient reported alive; ignored,warning,hospital-v2,1
patients.csv,6,death_place,"not one of $settings",error,hospital-v2,1
CSV
diff -u "$tmp/want.q" "$tmp/qa.out" >&2 || fail "quarantine of the v2 bundle differs (above)"
# --show-values finds the values in the new columns
run_pn qv quarantine --db "$db" --format csv --show-values "$b/v2"
grep -q '^events.csv,9,setting,.*,spa$' "$tmp/qv.out" || fail "--show-values setting: $(grep '^events.csv,9' "$tmp/qv.out")"
grep -q '^patients.csv,6,death_place,.*,castle$' "$tmp/qv.out" || fail "--show-values death_place"

# ---- re-import: nothing changes ------------------------------------------------------------------
dump() { sqlite3 "$1" ".dump" | grep -v "INSERT INTO runs "; }
dump "$db" >"$tmp/d1"
run_pn i2 import "$b/v2" --db "$db" --source hospital-v2 --format csv
[ "$(sed -n 2p "$tmp/i2.out")" = "2,22,0,16,6,1,0" ] || fail "v2 re-import counts: $(cat "$tmp/i2.out")"
dump "$db" >"$tmp/d2"
diff "$tmp/d1" "$tmp/d2" >&2 || fail "re-importing the v2 bundle changed the store"

# ---- a corrected value replaces its quarantine entry -------------------------------------------
mkdir "$tmp/fix"
cp "$b/v2/"*.csv "$tmp/fix/"
sed -i 's/,spa,/,palliative_unit,/' "$tmp/fix/events.csv"
sed -i 's/,castle$/,other/' "$tmp/fix/patients.csv"
run_pn i3 import "$tmp/fix" --db "$db" --source hospital-v2 --format csv
[ "$(q "SELECT count(*) FROM quarantine WHERE (file = 'events.csv' AND line = 9) OR (file = 'patients.csv' AND line = 6)")" = "0" ] ||
  fail "corrected rows still quarantined"
[ "$(q "SELECT count(*) FROM events WHERE setting = 3 AND end_date = $(day 2023-06-10)")" = "1" ] || fail "corrected event not stored"
[ "$(q "SELECT count(*) FROM patients WHERE death_place = 5")" = "1" ] || fail "corrected patient not stored"

# ---- version 1: the same bundle with empty version-2 columns, and a version-1 store -------------
# A v1 bundle and the same rows with the v2 columns present but empty give the same fingerprints.
mkdir "$tmp/v1" "$tmp/v1e"
cp "$b/bad/"* "$tmp/v1/"
cp "$b/bad/"* "$tmp/v1e/"
awk 'BEGIN { FS = OFS = "," } NR == 1 { print $0, "setting", "end_date"; next } { print $0, "", "" }' \
  "$b/bad/events.csv" >"$tmp/v1e/events.csv"
awk 'BEGIN { FS = OFS = "," } NR == 1 { print "death_place", $0; next } { print "", $0 }' \
  "$b/bad/patients.csv" >"$tmp/v1e/patients.csv"
db=$tmp/v1.db
run_pn init1 init --db "$db"
run_pn a1 import "$tmp/v1" --db "$db" --source hospital-a --format csv
[ "$(sed -n 2p "$tmp/a1.out")" = "1,43,14,2,30,3,0" ] || fail "v1 bundle counts: $(cat "$tmp/a1.out")"
run_pn a2 import "$tmp/v1e" --db "$db" --source hospital-a --format csv
[ "$(sed -n 2p "$tmp/a2.out" | cut -d, -f3,4)" = "0,16" ] ||
  fail "the v1 rows with empty v2 columns are not the same rows: $(cat "$tmp/a2.out")"
[ "$(q "SELECT count(*) FROM events WHERE end_date IS NOT NULL OR setting IS NOT NULL")" = "0" ] || fail "v1 events got v2 values"
# A store written by a version-1 program (bundles/store_v1.sql, pronostic 48aa776): its events'
# and tumours' fingerprints are those the import computes today for the same rows.
db=$tmp/old.db
sqlite3 "$db" <"$b/store_v1.sql" || fail "loading the version-1 dump"
before=$(q "SELECT (SELECT group_concat(h) FROM (SELECT h FROM events ORDER BY h)) || '/' ||
  (SELECT group_concat(h) FROM (SELECT h FROM tumours ORDER BY h))")
run_pn o1 import "$b/bad" --db "$db" --source hospital-a --format csv
after=$(q "SELECT (SELECT group_concat(h) FROM (SELECT h FROM events ORDER BY h)) || '/' ||
  (SELECT group_concat(h) FROM (SELECT h FROM tumours ORDER BY h))")
[ -n "$before" ] && [ "$before" = "$after" ] || fail "fingerprints of version-1 rows changed: $before -> $after"
# every row but SRC-P001's observation (which the version-2 migration marked for rewriting) is
# unchanged: 14 loaded by version 1, 1 rewritten now
[ "$(sed -n 2p "$tmp/o1.out" | cut -d, -f3,4)" = "1,15" ] || fail "re-import into the version-1 store: $(cat "$tmp/o1.out")"

# ---- two sources, the same death in two places: a conflict; either order, one store ------------
for order in AB BA; do
  db=$tmp/$order.db
  run_pn init-$order init --db "$db"
  for s in $(echo $order | fold -w1); do
    if [ "$s" = A ]; then run_pn imp-$order-$s import "$b/v2" --db "$db" --source hospital-v2 --format csv
    else run_pn imp-$order-$s import "$b/v2-registry" --db "$db" --source registry --format csv; fi
  done
  # the last import's source is part of the conflict: exit 3, one conflict
  [ "$rc" -eq 3 ] || fail "$order: last import exit $rc"
  [ "$(q "SELECT count(*) FROM conflicts WHERE field = 'death_place'")" = "1" ] || fail "$order: conflicts: $(q "SELECT field FROM conflicts")"
  # P1: home kept (hospital-v2's, the first by source name); P2: both palliative_unit; P6: only
  # the registry gives a place (nursing_home)
  got=$(q "SELECT group_concat(x, ' ') FROM (SELECT ifnull(death_place, '-') || ':' || conflict AS x
    FROM patients WHERE vital_status = 1 ORDER BY birth_date)")
  [ "$got" = "1:2 4:0 3:0" ] || fail "$order: consolidated places: $got"
  store_dump "$db" | grep -v '^quarantine' >"$tmp/dump-$order"
  run_pn qc-$order quarantine --db "$db" --conflicts --format csv
done
diff "$tmp/dump-AB" "$tmp/dump-BA" >&2 || fail "the order of the imports changed the store"
# the same conflicts but for the run numbers (the registry's run is 2 in AB, 1 in BA)
cmp -s <(sed "s/,[0-9]*$//" "$tmp/qc-AB.out") <(sed "s/,[0-9]*$//" "$tmp/qc-BA.out") ||
  fail "the conflicts listed depend on the order: $(cat "$tmp/qc-AB.out" "$tmp/qc-BA.out")"
grep -qx 'patients.csv,2,death_place,"death place acute_hospital here, home from source hospital-v2 (patients.csv line 2): the place of hospital-v2 is kept",conflict,registry,[0-9]*' \
  "$tmp/qc-AB.out" || fail "conflict listing: $(cat "$tmp/qc-AB.out")"
[ "$(lines "$tmp/qc-AB.out")" = "2" ] || fail "conflicts listed: $(cat "$tmp/qc-AB.out")"
# the registry corrects its place: the conflict goes
mkdir "$tmp/reg"
cp "$b/v2-registry/"*.csv "$tmp/reg/"
sed -i 's/,acute_hospital$/,home/' "$tmp/reg/patients.csv"
db=$tmp/AB.db
run_pn fix-reg import "$tmp/reg" --db "$db" --source registry --format csv
[ "$rc" -eq 0 ] || fail "corrected registry: exit $rc"
[ "$(q "SELECT count(*) FROM conflicts")" = "0" ] || fail "the conflict did not go"
[ "$(q "SELECT conflict FROM patients WHERE birth_date = $(day 1950-03-02)")" = "0" ] || fail "conflict flag stays"
finish import_v2
