#!/usr/bin/env bash
# cox_edge.sh - `pronostic cox` on edge cases and bad input: everyone censored, one subject,
# missing values (dropped and counted on stderr), times of zero, separated and non-convergent
# data (a warning as R gives, exit 0, never a crash), a collinear column, delayed entry that
# changes nothing, and the exit codes of usage and input errors (docs/interfaces.md 1).
# Env: PRONOSTIC (the binary), CSVDIFF. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
D=${CSVDIFF:?CSVDIFF not set}
G=tests/golden/data

# call NAME ARGS...: run `pronostic cox ARGS --format csv`; sets rc; output in $tmp/NAME.*
call() { local name=$1; shift; run_pn "$name" cox "$@" --format csv; }
# expect NAME CODE WORD: exit code CODE and WORD on stderr
expect() {
  [ "$rc" -eq "$2" ] || fail "$1: exit code $rc, expected $2 (stderr: $(head -c 300 "$tmp/$1.err"))"
  grep -qF -- "$3" "$tmp/$1.err" || fail "$1: stderr lacks '$3': $(head -c 300 "$tmp/$1.err")"
}
# field NAME TERM COLUMN: the value of COLUMN (1-based) in the row whose term is TERM
field() { awk -F, -v t="$2" -v c="$3" '$1 == t {print $c}' "$tmp/$1.out"; }

# everyone censored: no fit, empty coefficients, 0 iterations, a warning, exit 0
call censored "$G/cox_edge_censored.csv" --time t --event s --covariates x
expect censored 0 "no event"
[ -z "$(field censored x 2)" ] || fail "censored: coefficient is not empty"
[ "$(field censored iterations 2)" = 0 ] || fail "censored: iterations $(field censored iterations 2)"
[ "$(field censored events 2)" = 0 ] || fail "censored: events $(field censored events 2)"

# one subject: nothing is estimable, but no crash
printf 't,s,x\n5,1,2\n' >"$tmp/one.csv"
call one "$tmp/one.csv" --time t --event s --covariates x
expect one 0 "not estimable"
[ -z "$(field one x 2)" ] || fail "one: coefficient is not empty"
[ "$(field one n 2)" = 1 ] || fail "one: n is $(field one n 2)"

# missing values: dropped, counted on stderr as the interface says
call missing "$G/cox_edge_missing.csv" --time t --event s --covariates x,g --factor g
expect missing 0 "pronostic cox: 4 rows with missing values dropped"
[ "$(field missing n 2)" = 6 ] || fail "missing: n is $(field missing n 2)"

# times of zero are valid follow-up times
call zero "$G/cox_edge_zero.csv" --time t --event s --covariates x
[ "$rc" -eq 0 ] || fail "zero: exit code $rc"
[ -n "$(field zero x 2)" ] || fail "zero: no coefficient"

# separated data: R's warning, exit 0, a (huge) finite coefficient
call separated "$G/cox_edge_separated.csv" --time t --event s --covariates x,age
expect separated 0 "coefficient may be infinite"
grep -qF "'x'" "$tmp/separated.err" || fail "separated: the warning does not name x"
grep -qF "'age'" "$tmp/separated.err" && fail "separated: age is flagged too"
call separated_entry "$G/cox_edge_separated.csv" --entry a --time t --event s --covariates x
expect separated_entry 0 "coefficient may be infinite"

# iterations run out: a warning, exit 0
call noconv "$G/cox_edge_separated.csv" --time t --event s --covariates x --iter-max 3
expect noconv 0 "did not converge"

# a column that is a multiple of another: its coefficient is empty, with a warning
call singular "$G/cox_lung_entry.csv" --time time --event status --event-value 2 \
  --covariates age,sex,age_months
expect singular 0 "age_months"
[ -z "$(field singular age_months 2)" ] || fail "singular: age_months has a coefficient"

# delayed entry at time 0 for everyone (all times > 0) is the right-censored fit
call noentry "$G/veteran.csv" --time time --event status --covariates karno,age
awk -F, 'NR == 1 {print $0 ",zero"; next} {print $0 ",0"}' "$G/veteran.csv" >"$tmp/vet0.csv"
call entry0 "$tmp/vet0.csv" --entry zero --time time --event status --covariates karno,age
[ "$rc" -eq 0 ] || fail "entry0: exit code $rc ($(cat "$tmp/entry0.err"))"
"$D" --abs 1e-12 --rel 1e-9 "$tmp/noentry.out" "$tmp/entry0.out" >/dev/null ||
  fail "entry0: delayed entry at 0 differs from the right-censored fit"

# json output and --help
"$P" cox "$G/veteran.csv" --time time --event status --covariates karno --format json \
  >"$tmp/json.out" 2>/dev/null || fail "json: exit code $?"
grep -q '"term": *"karno"' "$tmp/json.out" || fail "json: no karno term: $(head -c 200 "$tmp/json.out")"
"$P" cox --help >"$tmp/help.out" 2>&1 || fail "--help: exit code $?"
grep -q -- "--covariates" "$tmp/help.out" || fail "--help: does not list --covariates"

# usage errors: exit 1, naming the option or column
call nocov "$G/veteran.csv" --time time --event status
expect nocov 1 "--covariates"
call badcol "$G/veteran.csv" --time time --event status --covariates karno,nosuch
expect badcol 1 "nosuch"
call badties "$G/veteran.csv" --time time --event status --covariates karno --ties exact
expect badties 1 "--ties"
call onelevel "$G/veteran.csv" --time time --event status --covariates karno,trt --factor trt \
  --strata trt
[ "$rc" -eq 0 ] || fail "onelevel: a factor that is also a stratum should fit (exit $rc)"
printf 't,s,g\n1,1,a\n2,0,a\n3,1,a\n' >"$tmp/onelev.csv"
call onelev "$tmp/onelev.csv" --time t --event s --covariates g --factor g
expect onelev 1 "'g'"

# input errors: exit 2, naming file, line and column
printf 't,s,x\n1,1,2\n2,0,abc\n' >"$tmp/bad.csv"
call badnum "$tmp/bad.csv" --time t --event s --covariates x
expect badnum 2 "bad.csv:3"
printf 't,s,x\n1,1,2\n-2,0,1\n' >"$tmp/neg.csv"
call negtime "$tmp/neg.csv" --time t --event s --covariates x
expect negtime 2 "neg.csv:3"
printf 'e,t,s,x\n0,1,1,2\n3,2,0,1\n' >"$tmp/ent.csv"
call badentry "$tmp/ent.csv" --entry e --time t --event s --covariates x
expect badentry 2 "ent.csv:3"
call textcov "$G/veteran.csv" --time time --event status --covariates celltype,karno
expect textcov 2 "--factor"
call nofile "$tmp/absent.csv" --time t --event s --covariates x
expect nofile 2 "absent.csv"

finish cox_edge
