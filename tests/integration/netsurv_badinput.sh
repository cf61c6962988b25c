#!/usr/bin/env bash
# netsurv_badinput.sh - bad input to `netsurv`, `netsurv-diff` and `trend`: ages and years beyond
# the life table (one warning each, rates carried forward, results still written), sex codes not
# understood and diagnoses after the follow-up date (exit 2, one line naming file, line and
# column), missing columns and bad options (exit 1 naming them), broken life tables (exit 2),
# rows with missing values (dropped and counted), and period and conditional options.
# Env: PRONOSTIC (the binary). Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
A=(--time time --event status --age age --sex sex --year diag)

# a small cohort: one patient aged 104 (beyond the French table's 99), one followed into 2023
cat >"$tmp/ok.csv" <<'CSV'
time,status,age,sex,diag,exit
400,1,64.5,male,2010-03-01,2011-04-05
900,0,104.2,female,2012-06-15,2014-12-02
2500,0,55,F,2016-01-10,2022-11-13
120,1,71,1,2009-09-09,2010-01-07
700,1,80,2,2011-11-30,2013-10-30
CSV
run_pn edges netsurv "$tmp/ok.csv" "${A[@]}" --format csv
[ "$rc" -eq 0 ] || fail "edges: exit code $rc ($(cat "$tmp/edges.err"))"
[ "$(grep -c "last age (99)" "$tmp/edges.err")" -eq 1 ] || fail "edges: no single age warning: $(cat "$tmp/edges.err")"
[ "$(grep -c "last year (2019)" "$tmp/edges.err")" -eq 1 ] || fail "edges: no single year warning: $(cat "$tmp/edges.err")"
[ "$(lines "$tmp/edges.out")" -eq 6 ] || fail "edges: expected a header and 5 rows, got $(lines "$tmp/edges.out")"

# the same with --exit-date instead of --time gives the same curve
run_pn exitdate netsurv "$tmp/ok.csv" --exit-date exit --event status --age age --sex sex --year diag --format csv
[ "$rc" -eq 0 ] || fail "exitdate: exit code $rc ($(cat "$tmp/exitdate.err"))"
cut -d, -f2- "$tmp/edges.out" >"$tmp/a"; cut -d, -f2- "$tmp/exitdate.out" >"$tmp/b"
[ "$(sed -n 2p "$tmp/a" | cut -d, -f1)" = "$(sed -n 2p "$tmp/b" | cut -d, -f1)" ] || fail "exitdate: first time differs"

# sex code not understood: line 3, column sex
sed 's/^900,0,104.2,female/900,0,104.2,X/' "$tmp/ok.csv" >"$tmp/sex.csv"
run_pn sex netsurv "$tmp/sex.csv" "${A[@]}"
expect_error sex 2 "sex.csv:3" "'sex'" "'X'"
run_pn sexdiff netsurv-diff "$tmp/sex.csv" "${A[@]}" --by sex
expect_error sexdiff 2 "sex.csv:3" "'sex'"

# diagnosis after the follow-up date: line 4
sed 's/2022-11-13/2015-11-13/' "$tmp/ok.csv" >"$tmp/after.csv"
run_pn after netsurv "$tmp/after.csv" --exit-date exit --event status --age age --sex sex --year diag
expect_error after 2 "after.csv:4" "'exit'" "before the diagnosis date"

# a negative time, a bad date, a bad age
sed 's/^120,1,71/-3,1,71/' "$tmp/ok.csv" >"$tmp/neg.csv"
run_pn neg netsurv "$tmp/neg.csv" "${A[@]}"
expect_error neg 2 "neg.csv:5" "'time'"
sed 's/2011-11-30/2011-13-30/' "$tmp/ok.csv" >"$tmp/date.csv"
run_pn date netsurv "$tmp/date.csv" "${A[@]}"
expect_error date 2 "date.csv:6" "'diag'"
sed 's/^400,1,64.5/400,1,abc/' "$tmp/ok.csv" >"$tmp/age.csv"
run_pn age netsurv "$tmp/age.csv" "${A[@]}"
expect_error age 2 "age.csv:2" "'age'"

# missing values: dropped and counted
sed 's/^700,1,80,2/700,1,,2/' "$tmp/ok.csv" >"$tmp/na.csv"
run_pn na netsurv "$tmp/na.csv" "${A[@]}" --format csv
[ "$rc" -eq 0 ] || fail "na: exit code $rc"
grep -q "1 row with missing values dropped" "$tmp/na.err" || fail "na: drop not reported: $(cat "$tmp/na.err")"

# usage errors name the option or column
run_pn nocol netsurv "$tmp/ok.csv" --time time --event status --age agex --sex sex --year diag
expect_error nocol 1 "'agex'"
run_pn method netsurv "$tmp/ok.csv" "${A[@]}" --method hakulinen
expect_error method 1 "--method"
run_pn scheme netsurv "$tmp/ok.csv" "${A[@]}" --scheme weekly
expect_error scheme 1 "--scheme"
run_pn std netsurv "$tmp/ok.csv" "${A[@]}" --standardise icss9
expect_error std 1 "--standardise"
run_pn stdsite netsurv "$tmp/ok.csv" "${A[@]}" --standardise site
expect_error stdsite 1 "--site"
run_pn both netsurv "$tmp/ok.csv" "${A[@]}" --exit-date exit
expect_error both 1 "--exit-date"
run_pn noby netsurv-diff "$tmp/ok.csv" "${A[@]}"
expect_error noby 1 "--by"
run_pn periods trend "$tmp/ok.csv" "${A[@]}" --periods 2010-2005
expect_error periods 1 "--periods"

# broken life tables: a hole in the grid, a negative rate
printf 'age,sex,year,value\n0,male,2000,0.001\n0,female,2000,0.001\n0,male,2001,0.001\n' >"$tmp/hole.csv"
run_pn hole netsurv "$tmp/ok.csv" "${A[@]}" --ratetable "$tmp/hole.csv"
expect_error hole 2 "hole.csv" "incomplete grid" "female" "2001"
printf 'age,sex,year,value\n0,male,2000,0.001\n0,female,2000,-1\n' >"$tmp/negrate.csv"
run_pn negrate netsurv "$tmp/ok.csv" "${A[@]}" --ratetable "$tmp/negrate.csv"
expect_error negrate 2 "negrate.csv:3" "'value'"
run_pn notable netsurv "$tmp/ok.csv" "${A[@]}" --ratetable "$tmp/none.csv"
[ "$rc" -eq 2 ] || fail "notable: exit code $rc, expected 2"

# period analysis and conditional survival run; the period window excludes rows outside it
run_pn period netsurv "$tmp/ok.csv" "${A[@]}" --period 2012,2014 --format csv
[ "$rc" -eq 0 ] || fail "period: exit code $rc ($(cat "$tmp/period.err"))"
grep -q "not under follow-up in the period window" "$tmp/period.err" || fail "period: exclusions not reported"
run_pn plast netsurv "$tmp/ok.csv" "${A[@]}" --period-last 2 --closing 2014-12-31 --format csv
[ "$rc" -eq 0 ] || fail "plast: exit code $rc ($(cat "$tmp/plast.err"))"
grep -q "from 2013-01-01 to 2014-12-31" "$tmp/plast.err" || fail "plast: window not reported: $(cat "$tmp/plast.err")"
run_pn plast0 netsurv "$tmp/ok.csv" "${A[@]}" --period-last 0
expect_error plast0 1 "--period-last"
run_pn given netsurv "$tmp/ok.csv" "${A[@]}" --given 365.241 --at 730.482 --format csv
[ "$rc" -eq 0 ] || fail "given: exit code $rc ($(cat "$tmp/given.err"))"
[ "$(lines "$tmp/given.out")" -eq 2 ] || fail "given: expected one row"

# direct standardisation with an empty ICSS age group: empty estimates, and a warning that says why
awk -F, 'NR == 1 || $2 >= 45' tests/golden/data/fr_cohort.csv > "$tmp/over45.csv"
run_pn std45 netsurv "$tmp/over45.csv" "${A[@]}" --standardise icss1 --at 365.241
[ "$rc" -eq 0 ] || fail "std45: exit $rc"
grep -q "1 ICSS age group without patients" "$tmp/std45.err" || fail "std45: no warning about the empty age group: $(cat "$tmp/std45.err")"
[ "$(tail -n 1 "$tmp/std45.out" | cut -d, -f6)" = "" ] || fail "std45: an estimate despite an empty age group"
finish netsurv_badinput
