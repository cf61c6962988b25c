#!/usr/bin/env bash
# netsurv_read_threads.sh - the net-survival rows read by threads side by side
# (src/analysis/nsread.c): on a cohort big enough to be cut (2 MiB and more), with --by texts
# first seen in the second half, quoted fields holding newlines (some cuts refuted), missing
# values (dropped rows told on stderr) and a censoring spelling to warn about, `netsurv-diff`
# with --threads 2 and 3 writes the bytes of --threads 1, and `netsurv` and `trend` the same
# rows up to the order of the additions of their estimation (1e-12, netsurv_threads.sh), with
# the same stderr byte for byte; an error in the second half (a bad number, a diagnosis in the
# future, a third event value) is the message of one thread, naming the same line.
# Env: PRONOSTIC, CSVDIFF.
set -uo pipefail
. tests/integration/lib/common.sh
D=${CSVDIFF:?CSVDIFF not set}
# gen N: N patients; every fifth row has a quoted note holding a newline
awk -v n=60000 'BEGIN {
  srand(11); print "id,site,note,sex,age,diag,period,time,status"
  split("colon,lung,breast,prostate,liver", site, ",")
  for (i = 1; i <= n; i++) {
    y = 2000 + int(rand() * 15); m = 1 + int(rand() * 12); d = 1 + int(rand() * 28)
    s = site[1 + int(rand() * 5)]
    if (i > 40000 && i % 9 == 0) s = "anus"
    note = (i % 5 == 0) ? sprintf("\"line %d\nsecond, \"\"part\"\"\"", i) : "x"
    age = (i % 211 == 0) ? "" : sprintf("%.2f", 30 + rand() * 60)
    st = (rand() < 0.5) ? "1" : "alive"
    printf "%d,%s,%s,%s,%s,%04d-%02d-%02d,%d-%d,%d,%s\n", i, s, note, (rand() < 0.5) ? "M" : "F",
           age, y, m, d, y - y % 5, y - y % 5 + 4, 1 + int(rand() * 3000), st
  }
}' >"$tmp/c.csv"
[ "$(wc -c <"$tmp/c.csv")" -gt 2200000 ] || fail "c.csv is too small to be cut"
common=(--time time --event status --age age --sex sex --year diag --ratetable fr --format csv)

# run3 NAME ARGS...: the command with --threads 1, 2 and 3; same exit code and stderr
run3() {
  local name=$1; shift
  for t in 1 2 3; do
    run_pn "$name.t$t" "$@" --threads "$t"
    [ "$t" -eq 1 ] && { rc1=$rc; continue; }
    [ "$rc" -eq "$rc1" ] || fail "$name: exit $rc with --threads $t, $rc1 with 1"
    cmp -s "$tmp/$name.t1.err" "$tmp/$name.t$t.err" ||
      fail "$name: --threads $t stderr differs: $(head -c 300 "$tmp/$name.t$t.err") vs $(head -c 300 "$tmp/$name.t1.err")"
  done
}
# same NAME ARGS...: run3, and the same bytes on stdout
same() {
  local name=$1
  run3 "$@"
  [ "$(lines "$tmp/$name.t1.out")" -gt 2 ] || fail "$name: no rows"
  for t in 2 3; do
    cmp -s "$tmp/$name.t1.out" "$tmp/$name.t$t.out" || fail "$name: --threads $t output differs"
  done
}
# near NAME ARGS...: run3, and the same rows within 1e-12
near() {
  local name=$1
  run3 "$@"
  [ "$(lines "$tmp/$name.t1.out")" -gt 2 ] || fail "$name: no rows"
  for t in 2 3; do
    "$D" --abs 1e-12 --rel 0 "$tmp/$name.t1.out" "$tmp/$name.t$t.out" >/dev/null ||
      fail "$name: --threads $t differs from --threads 1 by more than 1e-12"
  done
}

same diff netsurv-diff "$tmp/c.csv" "${common[@]}" --by site
grep -q "site=anus" "$tmp/diff.t2.out" || fail "diff: no group of the second half"
grep -q "dropped" "$tmp/diff.t1.err" || fail "diff: no dropped rows told: $(cat "$tmp/diff.t1.err")"
same diff2 netsurv-diff "$tmp/c.csv" "${common[@]}" --by sex --event-value alive
near ns netsurv "$tmp/c.csv" "${common[@]}" --by site,period --at 365,1826
grep -q "site=anus" "$tmp/ns.t3.out" || fail "ns: no group of the second half"
near trend trend "$tmp/c.csv" "${common[@]}"

# errors in the second half: in this file a row with a note spans two lines, so line numbers
# are not row numbers
awk -F, -v OFS=, 'NR == 50001 { $8 = "abc" } { print }' "$tmp/c.csv" >"$tmp/badnum.csv"
line=$(awk 'index($0, "abc,") { print NR; exit }' "$tmp/badnum.csv")
run3 badnum netsurv-diff "$tmp/badnum.csv" "${common[@]}" --by site
expect_error badnum.t2 2 "badnum.csv:$line:" "column 'time'" "'abc' is not a number"
awk -F, -v OFS=, 'NR == 52001 { $6 = "2099-01-01" } { print }' "$tmp/c.csv" >"$tmp/future.csv"
line=$(awk 'index($0, "2099-01-01") { print NR; exit }' "$tmp/future.csv")
run3 future netsurv "$tmp/future.csv" "${common[@]}" --by site
expect_error future.t3 2 "future.csv:$line:" "column 'diag'" "in the future"
awk -F, -v OFS=, 'NR == 56001 { $9 = "lost" } { print }' "$tmp/c.csv" >"$tmp/third.csv"
line=$(awk 'index($0, ",lost") { print NR; exit }' "$tmp/third.csv")
run3 third trend "$tmp/third.csv" "${common[@]}"
expect_error third.t2 2 "third.csv:$line:" "unknown event value 'lost'"
finish netsurv_read_threads
