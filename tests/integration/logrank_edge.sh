#!/usr/bin/env bash
# logrank_edge.sh - `pronostic logrank` on edge cases and bad input: values (from R's survdiff),
# exit codes and the one-line messages naming file, line and column.
# Env: PRONOSTIC (the binary), CSVDIFF. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
D=${CSVDIFF:?CSVDIFF not set}

# run NAME ARGS...: run pronostic logrank with csv output; sets rc, out ($tmp/NAME.out), err
run() {
  local name=$1; shift
  "$P" logrank "$@" --format csv >"$tmp/$name.out" 2>"$tmp/$name.err"
  rc=$?
  err=$(cat "$tmp/$name.err")
}
expect_rc() { [ "$rc" -eq "$2" ] || fail "$1: exit code $rc, expected $2 (stderr: $err)"; }
expect_err() { grep -qF -- "$2" "$tmp/$1.err" || fail "$1: stderr lacks '$2' (got: $err)"; }
one_line() { [ "$(wc -l <"$tmp/$1.err")" -eq 1 ] || fail "$1: stderr is not one line: $err"; }
# values NAME EXPECTED_CSV: compare the output with R's values
values() {
  printf '%s\n' "$2" >"$tmp/$1.exp"
  "$D" --abs 1e-12 --rel 1e-12 "$tmp/$1.exp" "$tmp/$1.out" >&2 || fail "$1: values differ from R"
}

# everyone censored: R gives chisq 0 on -1 df and p NaN; we print df 0 and p missing, and warn
printf 't,e,g\n1,0,a\n2,0,a\n3,0,b\n4,0,b\n' >"$tmp/cens.csv"
run cens "$tmp/cens.csv" --time t --event e --by g
expect_rc cens 0
values cens 'group,n,observed,expected,chisq,df,p
g=a,2,0,0,,,
g=b,2,0,0,,,
test,,,,0,0,NA'
expect_err cens "no event"

# one subject: one group only, as R's survdiff ("There is only 1 group"): an input error
printf 't,e,g\n5,1,a\n' >"$tmp/one.csv"
run one "$tmp/one.csv" --time t --event e --by g
expect_rc one 2
expect_err one "at least two groups"
one_line one

# an event and a censoring at the same time (t = 2), rho 1
printf 't,e,g\n1,1,1\n2,1,2\n2,0,1\n3,1,2\n4,0,1\n' >"$tmp/tie.csv"
run tie "$tmp/tie.csv" --time t --event e --by g --rho 1
expect_rc tie 0
values tie 'group,n,observed,expected,chisq,df,p
g=1,3,1,1.3,,,
g=2,2,1.4000000000000001,1.1000000000000001,,,
test,,,,0.18367346938775514,1,0.66823514179524934'

# a group with no events
printf 't,e,g\n1,1,1\n2,1,1\n3,0,2\n4,0,2\n5,1,3\n6,0,3\n' >"$tmp/gnoev.csv"
run gnoev "$tmp/gnoev.csv" --time t --event e --by g
expect_rc gnoev 0
values gnoev 'group,n,observed,expected,chisq,df,p
g=1,2,2,0.53333333333333333,,,
g=2,2,0,0.73333333333333339,,,
g=3,2,1,1.7333333333333332,,,
test,,,,5.6279069767441836,2,0.059967442539708565'

# a stratum with no events
printf 't,e,g,s\n1,1,1,1\n2,1,2,1\n3,0,1,1\n4,1,2,1\n5,0,1,2\n6,0,2,2\n7,0,1,2\n8,0,2,2\n' >"$tmp/snoev.csv"
run snoev "$tmp/snoev.csv" --time t --event e --by g --strata s
expect_rc snoev 0
values snoev 'group,n,observed,expected,chisq,df,p
g=1,4,1,0.83333333333333326,,,
g=2,4,2,2.1666666666666665,,,
test,,,,0.058823529411764601,1,0.80836515591451041'

# missing values in time, event, group and stratum: dropped and counted on stderr
printf 't,e,g,s\n1,1,1,1\n,1,2,1\n2,1,2,1\n3,0,1,1\n4,1,2,NA\n4,1,2,1\n5,0,1,2\n6,NA,2,2\n6,0,2,2\n7,0,,2\n7,0,1,2\n8,0,2,2\n' >"$tmp/miss.csv"
run miss "$tmp/miss.csv" --time t --event e --by g --strata s
expect_rc miss 0
values miss 'group,n,observed,expected,chisq,df,p
g=1,4,1,0.83333333333333326,,,
g=2,4,2,2.1666666666666665,,,
test,,,,0.058823529411764601,1,0.80836515591451041'
expect_err miss "4 rows with missing values dropped"

# times of zero
printf 't,e,g\n0,1,1\n0,0,2\n2,1,1\n3,1,2\n4,0,1\n5,1,2\n' >"$tmp/zero.csv"
run zero "$tmp/zero.csv" --time t --event e --by g
expect_rc zero 0
values zero 'group,n,observed,expected,chisq,df,p
g=1,3,2,1.3333333333333333,,,
g=2,3,2,2.6666666666666665,,,
test,,,,0.61538461538461509,1,0.43276758066778476'

# groups that never meet in a stratum: R's solve() stops; we warn and give df 0
printf 't,e,g,s\n1,1,1,1\n2,1,1,1\n3,1,2,2\n4,1,2,2\n' >"$tmp/sing.csv"
run sing "$tmp/sing.csv" --time t --event e --by g --strata s
expect_rc sing 0
expect_err sing "singular"

# bad input: a missing column (usage error naming the column and the file)
run nocol "$tmp/tie.csv" --time time --event e --by g
expect_rc nocol 1
expect_err nocol "column 'time'"
expect_err nocol "tie.csv"
one_line nocol
run nocolby "$tmp/tie.csv" --time t --event e --by grp
expect_rc nocolby 1
expect_err nocolby "column 'grp'"

# bad input: a non-numeric time (input error naming file, line and column)
printf 't,e,g\n1,1,1\n2,1,2\nabc,0,1\n' >"$tmp/nonnum.csv"
run nonnum "$tmp/nonnum.csv" --time t --event e --by g
expect_rc nonnum 2
expect_err nonnum "nonnum.csv:4"
expect_err nonnum "column 't'"
one_line nonnum

# bad input: an unknown event value (a third value besides event and censoring)
printf 't,e,g\n1,2,1\n2,0,2\n3,0,1\n4,7,2\n' >"$tmp/badev.csv"
run badev "$tmp/badev.csv" --time t --event e --event-value 2 --by g
expect_rc badev 2
expect_err badev "badev.csv:5"
expect_err badev "column 'e'"
one_line badev

# usage errors: a required option missing, a bad --rho, no file
run noby "$tmp/tie.csv" --time t --event e
expect_rc noby 1
expect_err noby "'--by'"
one_line noby
run badrho "$tmp/tie.csv" --time t --event e --by g --rho -1
expect_rc badrho 1
expect_err badrho "'--rho'"
run badrho2 "$tmp/tie.csv" --time t --event e --by g --rho x
expect_rc badrho2 1
expect_err badrho2 "'--rho'"
run nofile --time t --event e --by g
expect_rc nofile 1
run unread "$tmp/absent.csv" --time t --event e --by g
expect_rc unread 2
expect_err unread "absent.csv"

# --help: usage on stdout, exit 0
"$P" logrank --help >"$tmp/help.out" 2>&1 || fail "logrank --help failed"
grep -q -- "--strata" "$tmp/help.out" || fail "logrank --help does not list --strata"

# an identifier given as --by: a clear input error before a 10^10-cell variance matrix
awk 'BEGIN { print "t,e,id"; for (i = 0; i < 20000; i++) printf "%d,%d,p%d\n", i % 97 + 1, i % 3 == 0, i }' >"$tmp/ids.csv"
run many "$tmp/ids.csv" --time t --event e --by id
expect_rc many 2
expect_err many "20000 groups"
one_line many
finish logrank_edge
