#!/usr/bin/env bash
# csv_header_causes.sh - two files that look broken for a reason the message must name: CR-only
# line ends (old Mac files: read naively, the whole file is one header row) and a byte-order mark
# before a header name (a file saved twice, or concatenated). `surv`, `cox` and `netsurv` exit 2
# with one line naming the file, the line and the cause; `import` puts one quarantine entry per
# such file (line 1, the cause, "file not loaded") instead of a list of "missing" columns.
# Env: PRONOSTIC. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

printf 'time,event,age,sex,year\r10,1,60,1,2010\r20,0,70,2,2011\r30,1,65,1,2012\r' >"$tmp/mac.csv"
printf '\xEF\xBB\xBF\xEF\xBB\xBFtime,event\n10,1\n20,0\n' >"$tmp/twobom.csv"
printf 'event,\xEF\xBB\xBFtime\n1,10\n0,20\n' >"$tmp/midbom.csv"

run_pn mac_surv surv "$tmp/mac.csv" --time time --event event
expect_error mac_surv 2 "mac.csv:1:" "CR-only line ends (convert the file to LF or CRLF)"
run_pn mac_cox cox "$tmp/mac.csv" --time time --event event --covariates age
expect_error mac_cox 2 "mac.csv:1:" "CR-only line ends"
run_pn mac_netsurv netsurv "$tmp/mac.csv" --time time --event event --age age --sex sex --year year
expect_error mac_netsurv 2 "mac.csv:1:" "CR-only line ends"
run_pn twobom_surv surv "$tmp/twobom.csv" --time time --event event
expect_error twobom_surv 2 "twobom.csv:1:" "byte-order mark before header name 'time'"
run_pn midbom_surv surv "$tmp/midbom.csv" --time time --event event
expect_error midbom_surv 2 "midbom.csv:1:" "byte-order mark before header name 'time'"
# the same data with LF line ends and one leading mark is read
tr '\r' '\n' <"$tmp/mac.csv" | sed '1s/^/\xEF\xBB\xBF/' >"$tmp/unix.csv"
run_pn unix_surv surv "$tmp/unix.csv" --time time --event event --format csv
[ "$rc" -eq 0 ] || fail "the converted file: exit $rc ($(cat "$tmp/unix_surv.err"))"

# a bundle: patients.csv with CR-only line ends, tumours.csv with a second byte-order mark
mkdir "$tmp/b"
printf 'patient_id,sex,birth_date,vital_status,vital_status_date\rP1,M,1950-01-01,dead,2020-01-01\r' \
  >"$tmp/b/patients.csv"
printf '\xEF\xBB\xBF\xEF\xBB\xBFtumour_id,patient_id,diagnosis_date,icd10\nT1,P1,2019-01-01,C25.1\n' \
  >"$tmp/b/tumours.csv"
run_pn init init --db "$tmp/s.db"
[ "$rc" -eq 0 ] || fail "init: exit $rc"
run_pn import import "$tmp/b" --db "$tmp/s.db" --format csv
[ "$rc" -eq 3 ] || fail "import: exit $rc, expected 3 ($(cat "$tmp/import.err"))"
run_pn q quarantine --db "$tmp/s.db" --format csv
[ "$rc" -eq 0 ] || fail "quarantine: exit $rc"
grep -qx 'patients.csv,1,,CR-only line ends (convert the file to LF or CRLF); file not loaded,error,default,1' \
  "$tmp/q.out" || fail "no quarantine entry naming the CR-only line ends: $(cat "$tmp/q.out")"
grep -qx "tumours.csv,1,,byte-order mark before header name 'tumour_id'; file not loaded,error,default,1" \
  "$tmp/q.out" || fail "no quarantine entry naming the byte-order mark: $(cat "$tmp/q.out")"
grep -q "required column is missing" "$tmp/q.out" && fail "columns reported missing: $(cat "$tmp/q.out")"
finish csv_header_causes
