#!/usr/bin/env bash
# netsurv_diagnosis_dates.sh - the date of diagnosis of `netsurv`, `netsurv-diff` and `trend`
# (--year), an ISO date or a decimal year, follows one rule whatever its form: a diagnosis after
# today (PRONOSTIC_TODAY, else the system date; as `import` refuses dates in the future) is an
# input error naming file, line and column, and so is a diagnosis after --closing when it is
# given; with `netsurv --period-last`, --closing ends the analysis window instead and a later
# diagnosis is outside it (excluded and counted), both forms alike.
# Env: PRONOSTIC. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
export PRONOSTIC_TODAY=2020-06-30
A=(--time time --event status --age age --sex sex --year diag)
head='time,status,age,sex,diag,g'
rows='400,1,64,1,2010-03-01,a
900,0,70,2,2012-06-15,b
500,1,55,2,2011-01-10,a
120,1,71,1,2013-09-09,b
700,0,66,1,2014-11-30,a
300,1,80,2,2015-02-02,b'
# the same cohort with the dates as decimal years
printf '%s\n%s\n' "$head" "$rows" >"$tmp/iso.csv"
printf '%s\n' "$head" >"$tmp/dec.csv"
printf '%s\n' "$rows" | awk -F, -v OFS=, '{ split($5, d, "-"); $5 = d[1] + (d[2] - 1) / 12; print }' >>"$tmp/dec.csv"

for form in iso dec; do
  # a diagnosis in the future, on line 4
  if [ "$form" = iso ]; then fut=2021-02-01; else fut=2021.1; fi
  awk -F, -v OFS=, -v f="$fut" 'NR == 4 { $5 = f } { print }' "$tmp/$form.csv" >"$tmp/$form.future.csv"
  for cmd in netsurv netsurv-diff trend; do
    extra=(); [ "$cmd" = netsurv-diff ] && extra=(--by g)
    run_pn "$form.future.$cmd" "$cmd" "$tmp/$form.future.csv" "${A[@]}" "${extra[@]}"
    expect_error "$form.future.$cmd" 2 "$form.future.csv:4" "column 'diag'" "'$fut'" "in the future" "2020-06-30"
    # after --closing (2014-12-31): line 7 (2015-02-02, or 2015.083...)
    run_pn "$form.closing.$cmd" "$cmd" "$tmp/$form.csv" "${A[@]}" "${extra[@]}" --closing 2014-12-31
    expect_error "$form.closing.$cmd" 2 "$form.csv:7" "column 'diag'" "after --closing 2014-12-31"
    # on or before the closing date and today: accepted
    run_pn "$form.ok.$cmd" "$cmd" "$tmp/$form.csv" "${A[@]}" "${extra[@]}" --closing 2015-02-02 --format csv
    [ "$rc" -eq 0 ] || fail "$form.ok.$cmd: exit code $rc ($(cat "$tmp/$form.ok.$cmd.err"))"
  done
  # netsurv --period-last: --closing ends the window, the 2015 diagnosis is outside it
  run_pn "$form.plast" netsurv "$tmp/$form.csv" "${A[@]}" --period-last 3 --closing 2014-12-31 --format csv
  [ "$rc" -eq 0 ] || fail "$form.plast: exit code $rc ($(cat "$tmp/$form.plast.err"))"
  grep -q "rows\? not under follow-up in the period window excluded" "$tmp/$form.plast.err" ||
    fail "$form.plast: no exclusion reported: $(cat "$tmp/$form.plast.err")"
done
run_pn badclosing netsurv-diff "$tmp/iso.csv" "${A[@]}" --by g --closing 2014.5
expect_error badclosing 1 "--closing" "2014.5"
finish netsurv_diagnosis_dates
