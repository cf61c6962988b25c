#!/usr/bin/env bash
# threads_identical.sh - the CSV read by threads side by side (src/analysis/): `surv`, `logrank`
# and `cox` with --threads 2 and 3 write the same bytes as with --threads 1, on files big enough
# to be cut (2 MiB and more) with groups, quoted fields holding newlines (so that some cuts fall
# inside a quoted field and are refuted), CRLF line ends; an error placed in the second half,
# a third event value there, and the censoring warning give the message of one thread, naming
# the same line. Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
# gen N NOTE: N rows; NOTE 1 puts a quoted note with a newline (and a comma) in every row
gen() {
  awk -v n="$1" -v note="$2" 'BEGIN {
    srand(7); print "id,time,status,region,note,age,sex,score,w,t0"
    split("Bretagne,Occitanie,Grand-Est,Normandie,Corse,Hauts-de-France,Ile-de-France", reg, ",")
    for (i = 1; i <= n; i++) {
      t = int(rand() * 3000); t0 = int(rand() * t * 0.5)
      s = (rand() < 0.6) ? 1 : 0
      nt = note ? sprintf("\"line %d\nsecond, \"\"part\"\"\"", i) : "x"
      printf "%d,%d,%d,%s,%s,%d,%d,%.2f,%d,%d\n", i, t, s, reg[1 + int(rand() * 7)], nt,
             40 + int(rand() * 50), 1 + int(rand() * 2), rand() * 10, 1 + int(rand() * 3), t0
    }
  }'
}
gen 60000 0 >"$tmp/plain.csv"
gen 60000 1 >"$tmp/notes.csv"
sed 's/$/\r/' "$tmp/plain.csv" >"$tmp/crlf.csv"
for f in plain notes crlf; do
  [ "$(wc -c <"$tmp/$f.csv")" -gt 2200000 ] || fail "$f.csv is too small to be cut"
done

# same NAME ARGS...: the command's output and stderr with --threads 2 and 3 equal --threads 1's
same() {
  local name=$1; shift
  run_pn "$name.t1" "$@" --threads 1
  local rc1=$rc
  [ "$rc1" -eq 0 ] && [ "$(lines "$tmp/$name.t1.out")" -lt 2 ] && fail "$name: no rows"
  for t in 2 3; do
    run_pn "$name.t$t" "$@" --threads "$t"
    [ "$rc" -eq "$rc1" ] || fail "$name: exit $rc with --threads $t, $rc1 with 1"
    cmp -s "$tmp/$name.t1.out" "$tmp/$name.t$t.out" || fail "$name: --threads $t output differs"
    cmp -s "$tmp/$name.t1.err" "$tmp/$name.t$t.err" ||
      fail "$name: --threads $t stderr differs: $(head -c 300 "$tmp/$name.t$t.err") vs $(head -c 300 "$tmp/$name.t1.err")"
  done
}

for f in plain notes crlf; do
  d=$tmp/$f.csv
  same "surv.$f" surv "$d" --time time --event status --by region --format csv
  same "survby2.$f" surv "$d" --time time --event status --by region,sex --format csv
  same "survw.$f" surv "$d" --time time --event status --by sex --weights w --entry t0 --format csv
  same "survsum.$f" surv "$d" --time time --event status --by region --summary --format csv
  same "survall.$f" surv "$d" --time time --event status --at 365,730 --format csv
  same "logrank.$f" logrank "$d" --time time --event status --by region --strata sex --format csv
done
# fractional weights: the compensated sums merge to the same bits
awk -F, -v OFS=, 'NR > 1 { $9 = $9 / 3 } { print }' "$tmp/plain.csv" >"$tmp/frac.csv"
same survfrac surv "$tmp/frac.csv" --time time --event status --by region --weights w --format csv

# errors in the second half name the line of one thread
total=$(lines "$tmp/notes.csv")
awk -F, -v OFS=, 'NR == 50001 { $2 = "abc" } { print }' "$tmp/plain.csv" >"$tmp/badnum.csv"
same badnum surv "$tmp/badnum.csv" --time time --event status --by region --format csv
expect_error badnum.t2 2 "badnum.csv:50001:" "column 'time'" "'abc' is not a number"
# in the file with notes every row spans two lines: row 45000 starts on line 2 * 45000
awk -F, -v OFS=, -v line=$((2 * 45000)) 'NR == line { $3 = 7 } { print }' "$tmp/notes.csv" \
  >"$tmp/badnotes.csv"
[ "$(lines "$tmp/badnotes.csv")" -eq "$total" ] || fail "badnotes.csv: wrong size"
same badnotes logrank "$tmp/badnotes.csv" --time time --event status --by region --format csv
expect_error badnotes.t2 2 "badnotes.csv:90000:" "column 'status'" "unknown event value '7'"
awk -F, -v OFS=, 'NR == 55000 { $2 = -5 } { print }' "$tmp/crlf.csv" >"$tmp/neg.csv"
same neg surv "$tmp/neg.csv" --time time --event status --format csv
expect_error neg.t3 2 "neg.csv:55000:" "negative time"
# a ragged row, and a third event value after a second censoring spelling far apart
awk -F, -v OFS=, 'NR == 40000 { $0 = $1 "," $2 } { print }' "$tmp/plain.csv" >"$tmp/ragged.csv"
same ragged surv "$tmp/ragged.csv" --time time --event status --format csv
expect_error ragged.t2 2 "ragged.csv:40000:" "missing"
awk -F, -v OFS=, 'NR > 1 { $3 = ($3 == 1) ? "dead" : "alive" } NR == 58000 { $3 = "lost" } { print }' \
  "$tmp/plain.csv" >"$tmp/third.csv"
same third surv "$tmp/third.csv" --time time --event status --event-value dead --format csv
expect_error third.t2 2 "third.csv:58000:" "unknown event value 'lost'"
# the censoring warning names the value and its rows, as with one thread
awk -F, -v OFS=, 'NR > 1 { $3 = ($3 == 1) ? "dead" : "Vivant" } { print }' "$tmp/plain.csv" >"$tmp/warn.csv"
same warn surv "$tmp/warn.csv" --time time --event status --event-value dead --by region --format csv
grep -q "Vivant" "$tmp/warn.t2.err" || fail "warn: no censoring warning: $(cat "$tmp/warn.t2.err")"
# cox keeps its rows as columns: numeric ones concatenated, --factor and --strata levels unified
# across the ranges in R's order (levels that first appear in the second half, "Alsace" (the
# reference) and "Aquitaine", sort before the others); the fit sees the same rows in the same order
awk -F, -v OFS=, 'NR > 45000 && NR % 7 == 0 { $4 = "Aquitaine" } NR > 52000 && NR % 11 == 0 { $4 = "Alsace" }
  NR > 50000 && NR % 13 == 0 { $7 = 3 } { print }' "$tmp/plain.csv" >"$tmp/late.csv"
for f in plain notes crlf late; do
  d=$tmp/$f.csv
  same "cox.$f" cox "$d" --time time --event status --covariates age,score,region --factor region \
    --strata sex --format csv
  same "coxew.$f" cox "$d" --time time --event status --covariates age,sex,score --entry t0 \
    --weights w --ties breslow --format csv
done
grep -q "regionAquitaine" "$tmp/cox.late.t2.out" || fail "cox.late: no level of the second half"
same badcox cox "$tmp/badnum.csv" --time time --event status --covariates age,region --factor region \
  --strata sex --format csv
expect_error badcox.t2 2 "badnum.csv:50001:" "column 'time'" "'abc' is not a number"
awk -F, -v OFS=, 'NR == 52001 { $8 = "high" } { print }' "$tmp/late.csv" >"$tmp/badcov.csv"
same badcov cox "$tmp/badcov.csv" --time time --event status --covariates age,score,region \
  --factor region --strata sex --format csv
expect_error badcov.t3 2 "badcov.csv:52001:" "column 'score'" "'high' is not a number" "--factor"
same thirdcox cox "$tmp/third.csv" --time time --event status --event-value dead \
  --covariates age,score --format csv
expect_error thirdcox.t2 2 "third.csv:58000:" "unknown event value 'lost'"
same badnotescox cox "$tmp/badnotes.csv" --time time --event status --covariates age,score \
  --strata region --format csv
expect_error badnotescox.t3 2 "badnotes.csv:90000:" "column 'status'" "unknown event value '7'"

# standard input is read by one thread, with the same result
STDIN=$tmp/plain.csv run_pn stdin surv - --time time --event status --by region --format csv --threads 2
cmp -s "$tmp/stdin.out" "$tmp/surv.plain.t1.out" || fail "stdin: output differs"
run_pn threads0 surv "$tmp/plain.csv" --time time --event status --threads 0
expect_error threads0 1 "--threads"
finish threads_identical
