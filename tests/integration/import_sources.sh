#!/usr/bin/env bash
# import_sources.sh - two sources sending the same patients (issue: deaths lost when sources
# merge). Every source's observation is kept; a death reported by any source stands; a later
# "alive" date, a second death date, or a diagnosis after another source's death are conflicts,
# listed with both sources and both values; a YYYY-MM birth date is refined by a YYYY-MM-DD one of
# the same month. Importing A then B or B then A gives the same store and the same survival.
. tests/integration/lib/common.sh
. tests/integration/lib/storedump.sh
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY
key=$(printf '%064d' 42)   # one key for both stores: the same pseudonyms, comparable dumps

mkdir "$tmp/A" "$tmp/B"
cat >"$tmp/A/patients.csv" <<'CSV'
patient_id,sex,birth_date,residence,vital_status,vital_status_date,death_cause
P1,M,1950-03-02,75,dead,2020-06-01,C25.0
P2,F,1960-05-05,13,alive,2019-01-01,
P3,M,1945-01-01,69,dead,2020-01-01,C34.1
P4,F,1950-03,33,alive,2022-01-01,
P5,M,1955-05-05,31,alive,2021-01-01,
CSV
cat >"$tmp/A/tumours.csv" <<'CSV'
tumour_id,patient_id,diagnosis_date,icd10
A1,P1,2019-01-10,C25.1
A2,P2,2018-05-05,C25.0
A3,P3,2019-03-03,C34.1
A4,P4,2021-02-02,C56
A5,P5,2020-01-01,C25.9
CSV
cat >"$tmp/A/events.csv" <<'CSV'
patient_id,date,type,tumour_id
P1,2019-01-05,imaging,
P2,2018-05-01,imaging,A2
CSV
cat >"$tmp/B/patients.csv" <<'CSV'
patient_id,sex,birth_date,residence,vital_status,vital_status_date,death_cause
P1,M,1950-03-02,75,alive,2021-01-01,
P2,F,1960-05-05,13,dead,2020-03-01,C25.0
P3,M,1945-01-01,69,dead,2020-02-01,C34.1
P4,F,1950-03-22,33,alive,2023-06-01,
P6,F,1970-01-01,35,alive,2022-01-01,
CSV
cat >"$tmp/B/tumours.csv" <<'CSV'
tumour_id,patient_id,diagnosis_date,icd10
B1,P1,2019-01-10,C25.1
B2,P4,2023-01-01,C34.1
B3,P6,2021-06-06,C15.9
B4,P3,2020-01-15,C22.0
CSV
cat >"$tmp/B/events.csv" <<'CSV'
patient_id,date,type,tumour_id
P1,2019-01-05,imaging,
P2,2020-02-01,palliative_care,
CSV

# both orders, each into its own store with the same key
for order in AB BA; do
  PRONOSTIC_KEY=$key run_pn init-$order init --db "$tmp/$order.db"
  for s in $(echo $order | fold -w1); do
    PRONOSTIC_KEY=$key run_pn import-$order-$s import "$tmp/$s" --db "$tmp/$order.db" --source "src-$s" --format csv
    [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "$order: import $s: exit $rc ($(cat "$tmp/import-$order-$s.err"))"
  done
done
# the second import of each order meets the conflicts: exit 3, counted
[ "$(sed -n 2p "$tmp/import-AB-B.out" | cut -d, -f7)" = "3" ] || fail "AB: conflicts counted: $(cat "$tmp/import-AB-B.out")"
[ "$(sed -n 2p "$tmp/import-BA-A.out" | cut -d, -f7)" = "3" ] || fail "BA: conflicts counted: $(cat "$tmp/import-BA-A.out")"
# B's death of P2, whom A saw alive, is loaded, not "unchanged": 5 patients + 4 tumours + 2 events
[ "$(sed -n 2p "$tmp/import-AB-B.out" | cut -d, -f3,4,5)" = "10,1,0" ] || fail "AB: B's counts: $(cat "$tmp/import-AB-B.out")"

store_dump "$tmp/AB.db" >"$tmp/AB.dump"
store_dump "$tmp/BA.db" >"$tmp/BA.dump"
[ "$(grep -c . "$tmp/AB.dump")" -gt 25 ] || fail "dump too short: $(cat "$tmp/AB.dump")"
diff "$tmp/AB.dump" "$tmp/BA.dump" >"$tmp/dumpdiff" || fail "the two orders give different stores: $(head -20 "$tmp/dumpdiff")"

q() { sqlite3 "$tmp/$1.db" "$2"; }
pseudo() { q AB "SELECT p.pid FROM patients p JOIN patient_obs o USING (pid) JOIN tumours t USING (pid)
  WHERE t.line = $2 AND t.source = (SELECT id FROM sources WHERE name = 'src-$1') LIMIT 1"; }
for order in AB BA; do
  # P1: A's death (and its cause) stands against B's later "alive"
  st=$(q $order "SELECT vital_status || ' ' || vital_status_date || ' ' || death_cause FROM patients WHERE birth_date = -7245")
  [ "$st" = "1 18414 C25.0" ] || fail "$order: P1 is not dead on 2020-06-01 of C25.0: $st"
  # P2: B's death stands
  st=$(q $order "SELECT vital_status || ' ' || vital_status_date FROM patients WHERE birth_date = -3528")
  [ "$st" = "1 18322" ] || fail "$order: P2's death from B: $st"
  # P3: two death dates, the earlier kept
  st=$(q $order "SELECT vital_status || ' ' || vital_status_date FROM patients WHERE birth_date = -9131")
  [ "$st" = "1 18262" ] || fail "$order: P3's earlier death: $st"
  # P4: 1950-03 refined to 1950-03-22, day precision, and B's tumour loaded
  st=$(q $order "SELECT birth_date || ' ' || birth_precision || ' ' || vital_status_date FROM patients WHERE birth_date BETWEEN -7244 AND -7200")
  [ "$st" = "-7225 0 19509" ] || fail "$order: P4's refined birth date: $st"
  [ "$(q $order "SELECT count(*) FROM tumours")" = "9" ] || fail "$order: tumours $(q $order "SELECT count(*) FROM tumours")"
  [ "$(q $order "SELECT count(*) FROM quarantine WHERE severity = 'error'")" = "0" ] || fail "$order: rows quarantined"
  [ "$(q $order "SELECT count(*) FROM patient_obs")" = "10" ] || fail "$order: observations"
  # the conflicts, listed with both sources and both values
  PRONOSTIC_KEY=$key run_pn q-$order quarantine --db "$tmp/$order.db" --conflicts --format csv
  [ "$rc" -eq 0 ] || fail "$order: quarantine --conflicts: $(cat "$tmp/q-$order.err")"
  grep -qx 'patients.csv,2,vital_status,"alive on 2021-01-01 here, after the death on 2020-06-01 reported by source src-A (patients.csv line 2): the death stands",conflict,src-B,[0-9]*' "$tmp/q-$order.out" ||
    fail "$order: P1's conflict: $(cat "$tmp/q-$order.out")"
  grep -qx 'patients.csv,4,vital_status_date,"death on 2020-02-01 here, on 2020-01-01 from source src-A (patients.csv line 4): the earlier death is kept",conflict,src-B,[0-9]*' "$tmp/q-$order.out" ||
    fail "$order: P3's conflict: $(cat "$tmp/q-$order.out")"
  grep -qx 'tumours.csv,5,diagnosis_date,diagnosis on 2020-01-15 after the death on 2020-01-01 reported by source src-A (patients.csv line 4): the tumour is left out of analyses,conflict,src-B,[0-9]*' "$tmp/q-$order.out" ||
    fail "$order: B4's conflict: $(cat "$tmp/q-$order.out")"
  [ "$(lines "$tmp/q-$order.out")" = "4" ] || fail "$order: conflicts listed: $(cat "$tmp/q-$order.out")"
  # the same survival, whatever the order
  for site in pancreas lung ovary; do
    PRONOSTIC_KEY=$key run_pn surv-$order-$site surv --db "$tmp/$order.db" --site $site --closing 2024-12-31 --format csv
    [ "$rc" -eq 0 ] || fail "$order: surv $site: $(cat "$tmp/surv-$order-$site.err")"
  done
  # liver: P3's only tumour is diagnosed after A's death: left out, and said so
  PRONOSTIC_KEY=$key run_pn liver-$order surv --db "$tmp/$order.db" --site liver --format csv
  [ "$rc" -eq 2 ] && grep -q "left out: 1 whose sources disagree" "$tmp/liver-$order.err" ||
    fail "$order: liver: $rc $(cat "$tmp/liver-$order.err")"
done
for site in pancreas lung ovary; do
  cmp -s "$tmp/surv-AB-$site.out" "$tmp/surv-BA-$site.out" || fail "surv $site differs between the orders"
done
# pancreas: P1 (A1 and B1 the same day: one first primary), P2, P5; P1 and P2 died
[ "$(tail -n +2 "$tmp/surv-AB-pancreas.out" | awk -F, '{e += $4} END {print NR " " e}')" = "3 2" ] ||
  fail "pancreas: $(cat "$tmp/surv-AB-pancreas.out")"

# re-importing A after B changes nothing: the death is still there
PRONOSTIC_KEY=$key run_pn again import "$tmp/A" --db "$tmp/AB.db" --source src-A --format csv
[ "$(sed -n 2p "$tmp/again.out" | cut -d, -f3)" = "0" ] || fail "re-import of A loaded rows: $(cat "$tmp/again.out")"
store_dump "$tmp/AB.db" >"$tmp/AB2.dump"
diff -q "$tmp/AB.dump" "$tmp/AB2.dump" >/dev/null || fail "re-import of A changed the store"

# a conflict is resolved when the source corrects its row: B now agrees on P1's death
sed -i 's/^P1,M,1950-03-02,75,alive,2021-01-01,$/P1,M,1950-03-02,75,dead,2020-06-01,C25.0/' "$tmp/B/patients.csv"
PRONOSTIC_KEY=$key run_pn fixed import "$tmp/B" --db "$tmp/AB.db" --source src-B --format csv
PRONOSTIC_KEY=$key run_pn q-fixed quarantine --db "$tmp/AB.db" --conflicts --format csv
grep -q "^patients.csv,2,vital_status," "$tmp/q-fixed.out" && fail "the corrected conflict is still listed"
[ "$(lines "$tmp/q-fixed.out")" = "3" ] || fail "conflicts after the correction: $(cat "$tmp/q-fixed.out")"

# a sex conflict: the patient is left out of analyses in both orders, both rows kept
mkdir "$tmp/C"
printf 'patient_id,sex,birth_date,residence,vital_status,vital_status_date\nP5,F,1955-05-05,31,alive,2021-06-01\n' >"$tmp/C/patients.csv"
printf 'tumour_id,patient_id,diagnosis_date,icd10\n' >"$tmp/C/tumours.csv"
PRONOSTIC_KEY=$key run_pn imp-c import "$tmp/C" --db "$tmp/AB.db" --source src-C --format csv
[ "$rc" -eq 3 ] || fail "sex conflict: exit $rc"
PRONOSTIC_KEY=$key run_pn surv-c surv --db "$tmp/AB.db" --site pancreas --closing 2024-12-31 --format csv
[ "$(tail -n +2 "$tmp/surv-c.out" | awk -F, '{e += $4 + $5} END {print e}')" = "2" ] || fail "P5 still analysed: $(cat "$tmp/surv-c.out")"
finish import_sources
