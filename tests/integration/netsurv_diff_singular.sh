#!/usr/bin/env bash
# netsurv_diff_singular.sh - `netsurv-diff` with a singular variance matrix answers instead of
# failing (it exited 4 with no output): a group never at risk when anyone dies gives the test
# on the directions the variance spans, df its rank, and a warning; no death at all gives an
# empty p-value and a warning that the test is undefined. The values are checked against R in
# the golden case netsurv.cases `diff_singular`. Env: PRONOSTIC. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
A=(--time time --event status --age age --sex sex --year diag --by grp)
run_pn sing netsurv-diff tests/golden/data/netsurv_diff_singular.csv "${A[@]}" --format csv
[ "$rc" -eq 0 ] || fail "sing: exit code $rc ($(cat "$tmp/sing.err"))"
grep -q "variance matrix is singular" "$tmp/sing.err" || fail "sing: no warning: $(cat "$tmp/sing.err")"
grep -q "df is its rank, 1 instead of 2" "$tmp/sing.err" || fail "sing: warning without the df: $(cat "$tmp/sing.err")"
t=$(grep '^test,' "$tmp/sing.out")
[[ "$t" =~ ^test,,,,[0-9.e+-]+,1,[0-9.e+-]+$ ]] || fail "sing: test row '$t'"
# the groups in another order (the lost group last): the same statistic
sed 's/,"lost"$/,"zlost"/' tests/golden/data/netsurv_diff_singular.csv >"$tmp/z.csv"
grep -q '"zlost"' "$tmp/z.csv" || fail "order: the lost group was not renamed"
run_pn order netsurv-diff "$tmp/z.csv" "${A[@]}" --format csv
[ "$rc" -eq 0 ] || fail "order: exit code $rc"
[ "$(grep '^test,' "$tmp/order.out" | cut -d, -f5 | cut -c1-10)" = "$(echo "$t" | cut -d, -f5 | cut -c1-10)" ] ||
  fail "order: statistic $(grep '^test,' "$tmp/order.out") differs from $t"
# no death at all: chisq 0, df 0, p empty, and a warning
printf 'time,status,age,sex,diag,grp\n100,0,60,1,2010-01-01,a\n200,0,70,2,2011-01-01,a\n300,0,65,1,2012-01-01,b\n400,0,55,2,2012-06-01,b\n' >"$tmp/nodeath.csv"
run_pn nodeath netsurv-diff "$tmp/nodeath.csv" "${A[@]}" --format csv
[ "$rc" -eq 0 ] || fail "nodeath: exit code $rc ($(cat "$tmp/nodeath.err"))"
grep -q "no death in .*the test is undefined" "$tmp/nodeath.err" || fail "nodeath: no warning: $(cat "$tmp/nodeath.err")"
[ "$(grep '^test,' "$tmp/nodeath.out")" = "test,,,,0,0," ] || fail "nodeath: test row $(grep '^test,' "$tmp/nodeath.out")"
finish netsurv_diff_singular
