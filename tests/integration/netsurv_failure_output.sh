#!/usr/bin/env bash
# netsurv_failure_output.sh - `netsurv` writes nothing on stdout when it exits with an error,
# even when the error comes from a stratum after others were estimated (the table is held
# until the last stratum): here stratum g=b has a follow-up beyond the 10^6 days relsurv's
# daily scheme can walk, after stratum g=a. Every format; and with the exact scheme, which has
# no such bound, the same input gives both strata. Env: PRONOSTIC. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
printf 'time,status,age,sex,diag,g\n100,1,60,1,2010-05-01,a\n200,0,70,2,2011-01-01,a\n3000000,1,65,1,2012-01-01,b\n' >"$tmp/long.csv"
A=("$tmp/long.csv" --time time --event status --age age --sex sex --year diag --by g)
for f in csv json table; do
  run_pn "long.$f" netsurv "${A[@]}" --format "$f"
  expect_error "long.$f" 2 "stratum g=b" "10^6 days"
done
run_pn exact netsurv "${A[@]}" --scheme exact --format csv
[ "$rc" -eq 0 ] || fail "exact: exit code $rc ($(cat "$tmp/exact.err"))"
[ "$(grep -c '^g=a,' "$tmp/exact.out")" -eq 2 ] && [ "$(grep -c '^g=b,' "$tmp/exact.out")" -eq 1 ] ||
  fail "exact: expected 2 rows of g=a and 1 of g=b: $(cat "$tmp/exact.out")"
finish netsurv_failure_output
