#!/usr/bin/env bash
# surv_edge.sh - `pronostic surv` on edge cases, beyond the values checked against R in
# tests/golden/surv.cases: the count of dropped rows on stderr, output formats, an empty input,
# a stratum whose rows were all dropped, requested times past the end, usage errors of the
# options (exit 1, one line naming the option), and the same result from stdin.
# Env: PRONOSTIC, CSVDIFF. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
call() { local name=$1; shift; run_pn "$name" surv "$@" --format csv; }
G=tests/golden/data

# missing values: rows dropped and counted on stderr (3 of 7 rows), exit 0
call missing "$G/surv_edge_missing.csv" --time t --event e --by g
[ "$rc" -eq 0 ] || fail "missing: exit code $rc"
grep -qx "pronostic surv: 3 rows with missing values dropped" "$tmp/missing.err" ||
  fail "missing: stderr is '$(cat "$tmp/missing.err")'"
call one "$G/surv_edge_missing.csv" --time t --event e
grep -qx "pronostic surv: 2 rows with missing values dropped" "$tmp/one.err" ||
  fail "missing without --by: stderr is '$(cat "$tmp/one.err")'"
call nodrop "$G/lung.csv" --time time --event status --event-value 2
[ ! -s "$tmp/nodrop.err" ] || fail "nothing dropped: stderr is '$(cat "$tmp/nodrop.err")'"

# no row has the event value: a warning on stderr (as logrank and cox), the curve still written
call noev "$G/surv_edge_allcensored.csv" --time t --event e
[ "$rc" -eq 0 ] || fail "no event: exit code $rc"
grep -qx "pronostic surv: warning: no event (value '1' of column 'e') in $G/surv_edge_allcensored.csv: every row is censored" \
  "$tmp/noev.err" || fail "no event: stderr is '$(cat "$tmp/noev.err")'"
[ "$(lines "$tmp/noev.out")" -gt 1 ] || fail "no event: no curve written"
printf 't,status\n1,alive\n2,alive\n' >"$tmp/alive.csv"
call noev2 "$tmp/alive.csv" --time t --event status --event-value dead
grep -q "warning: no event (value 'dead' of column 'status')" "$tmp/noev2.err" ||
  fail "no event with --event-value: stderr is '$(cat "$tmp/noev2.err")'"

# header only: the header row and nothing else, exit 0
printf 't,e\n' >"$tmp/empty.csv"
call empty "$tmp/empty.csv" --time t --event e
[ "$rc" -eq 0 ] || fail "empty: exit code $rc"
[ "$(cat "$tmp/empty.out")" = "stratum,time,n_risk,n_event,n_censor,surv,std_err,lower,upper" ] ||
  fail "empty: output '$(cat "$tmp/empty.out")'"

# a stratum whose only rows are dropped does not appear (R's strata come from kept rows)
printf 't,e,g\n1,1,a\n2,0,a\n3,1,b\n,1,c\n' >"$tmp/gone.csv"
call gone "$tmp/gone.csv" --time t --event e --by g --summary
[ "$(cut -d, -f1 "$tmp/gone.out" | tr '\n' ' ')" = "stratum g=a g=b " ] ||
  fail "dropped stratum: output $(cat "$tmp/gone.out")"

# --at past the end of a stratum: that row is left out (R's extend = FALSE)
call past "$G/surv_edge_noevents.csv" --time t --event e --by g --at 1,3.5,5
[ "$(cut -d, -f1,2 "$tmp/past.out" | tr '\n' ' ')" = "stratum,time g=a,1 g=b,1 g=b,3.5 g=b,5 " ] ||
  fail "--at past the end: output $(cat "$tmp/past.out")"

# json and table formats carry the same rows
"$P" surv "$G/surv_edge_tie.csv" --time t --event e --format json >"$tmp/tie.json" || fail "json: exit $?"
grep -q '"n_censor"' "$tmp/tie.json" || fail "json: no n_censor key"
"$P" surv "$G/surv_edge_tie.csv" --time t --event e --format table >"$tmp/tie.txt" || fail "table: exit $?"
[ "$(lines "$tmp/tie.txt")" -ge 4 ] || fail "table: $(cat "$tmp/tie.txt")"

# stdin ("-") gives the same output as the file
STDIN="$G/lung.csv" call stdin - --time time --event status --event-value 2 --by sex
cmp -s "$tmp/stdin.out" <("$P" surv "$G/lung.csv" --time time --event status --event-value 2 --by sex --format csv) ||
  fail "stdin: output differs from the file's"

# option errors: exit 1 and one line naming the option
call m1 "$G/lung.csv" --time time --event status --method cox
expect_error m1 1 "--method"
call m2 "$G/lung.csv" --time time --event status --conf-type logit
expect_error m2 1 "--conf-type"
call m3 "$G/lung.csv" --time time --event status --conf 1.5
expect_error m3 1 "--conf"
call m4 "$G/lung.csv" --time time --event status --at 10,x
expect_error m4 1 "--at"
call m5 "$G/lung.csv" --time time --event status --method lifetable
expect_error m5 1 "--at"
call m6 "$G/lung.csv" --time time --event status --at -5
expect_error m6 1 "--at"
call m7 "$G/lung.csv" --event status
expect_error m7 1 "--time"
call m8 --time time --event status
expect_error m8 1 "FILE"
call m10 "$G/lung.csv" --time time
expect_error m10 1 "option '--event' is required"
call m11 "$G/lung.csv" "$G/lung.csv" --time time --event status
expect_error m11 1 "expected one input file, got 2"
call m9 "$G/surv_entry.csv" --time time --event status --entry entry --method lifetable --at 365
expect_error m9 1 "--entry"

# --help documents the output columns
"$P" surv --help >"$tmp/help.out" || fail "--help: exit $?"
grep -q "stratum,time,n_risk,n_event,n_censor,surv,std_err,lower,upper" "$tmp/help.out" ||
  fail "--help does not give the output columns"

# non-integer weights: a warning that the variance is Greenwood's (R's robust = FALSE); none
# for integer weights
call fracw "$G/surv_lung_fracweights.csv" --time time --event status --event-value 2 --weights w
[ "$rc" -eq 0 ] && grep -q "non-integer weights" "$tmp/fracw.err" || fail "fracw: no warning ($(cat "$tmp/fracw.err"))"
call intw "$G/surv_lung_weights.csv" --time time --event status --event-value 2 --weights w
[ "$rc" -eq 0 ] && ! grep -q "non-integer" "$tmp/intw.err" || fail "intw: a warning for integer weights"
finish surv_edge
