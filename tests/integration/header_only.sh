#!/usr/bin/env bash
# header_only.sh - a CSV with a header and no row, given to the commands that group rows
# (cox --factor and --strata, netsurv --by, netsurv-diff --by, surv --by, logrank): each ends
# with its usual answer for no data, and none reaches undefined behaviour on the way (under the
# ASan/UBSan build a NULL array handed to qsort for zero groups aborted the run).
# Env: PRONOSTIC (the binary). Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
printf 'time,status,age,sex,diag,g,x\n' >"$tmp/h.csv"
N=(--time time --event status --age age --sex sex --year diag)

no_sanitizer() {
  ! grep -q "runtime error\|AddressSanitizer" "$tmp/$1.err" || fail "$1: $(head -c 300 "$tmp/$1.err")"
}

run_pn coxfactor cox "$tmp/h.csv" --time time --event status --covariates g,x --factor g
no_sanitizer coxfactor
expect_error coxfactor 2 "h.csv" "no row left"
run_pn coxstrata cox "$tmp/h.csv" --time time --event status --covariates x --strata g
no_sanitizer coxstrata
expect_error coxstrata 2 "h.csv" "no row left"
run_pn nsby netsurv "$tmp/h.csv" "${N[@]}" --by g --format csv
no_sanitizer nsby
[ "$rc" -eq 0 ] || fail "nsby: exit code $rc ($(cat "$tmp/nsby.err"))"
[ "$(cat "$tmp/nsby.out")" = "stratum,time,n_risk,n_event,n_censor,surv,std_err,lower,upper" ] ||
  fail "nsby: expected the header alone: $(cat "$tmp/nsby.out")"
run_pn nsdiff netsurv-diff "$tmp/h.csv" "${N[@]}" --by g
no_sanitizer nsdiff
expect_error nsdiff 2 "at least two groups" "--by g"
run_pn survby surv "$tmp/h.csv" --time time --event status --by g --format csv
no_sanitizer survby
[ "$rc" -eq 0 ] || fail "survby: exit code $rc ($(cat "$tmp/survby.err"))"
run_pn lr logrank "$tmp/h.csv" --time time --event status --by g
no_sanitizer lr
expect_error lr 2 "at least two groups"
finish header_only
