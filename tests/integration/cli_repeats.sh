#!/usr/bin/env bash
# cli_repeats.sh - an option given twice, and a name listed twice in a list option (--by,
# --strata, --covariates, --factor), are usage errors naming the option (exit 1, one line on
# stderr, nothing on stdout) for every subcommand: a second value would otherwise replace the
# first silently, and `--by sex,sex` would make strata labelled twice by one column.
# Env: PRONOSTIC (the binary). Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh

run_pn help help
mapfile -t cmds < <(sed -n '/^subcommands:/,/^$/p' "$tmp/help.out" | awk 'NF >= 2 && /^  / {print $1}')
[ "${#cmds[@]}" -ge 10 ] || fail "help lists ${#cmds[@]} subcommands"
for c in "${cmds[@]}"; do
  run_pn "$c.fmt" "$c" --format csv --format json
  expect_error "$c.fmt" 1 "'--format'" "twice"
  run_pn "$c.fmteq" "$c" --format=csv --format=csv
  expect_error "$c.fmteq" 1 "'--format'" "twice"
  # the subcommand's first option that takes a value, given twice (the same value both times;
  # a path in the temporary directory, should the option name a file to write)
  "$P" "$c" --help >"$tmp/$c.help" 2>/dev/null
  opt=$(awk '/^  --[a-z0-9-]+ [^ ]/ {sub(/^  --/, ""); print $1; exit}' "$tmp/$c.help")
  [ -n "$opt" ] || { fail "$c: no option with a value in its help"; continue; }
  run_pn "$c.opt" "$c" "--$opt" "$tmp/v" "--$opt=$tmp/v"
  expect_error "$c.opt" 1 "'--$opt'" "twice"
done
# a flag given twice
run_pn flag surv tests/golden/data/ovarian.csv --time futime --event fustat --summary --summary
expect_error flag 1 "'--summary'" "twice"

# a name listed twice in a list option
O=tests/golden/data/ovarian.csv
S=(--time futime --event fustat)
run_pn by surv "$O" "${S[@]}" --by rx,rx
expect_error by 1 "'--by'" "'rx'" "twice"
run_pn lrby logrank "$O" "${S[@]}" --by rx,resid.ds,rx
expect_error lrby 1 "'--by'" "'rx'"
run_pn lrstrata logrank "$O" "${S[@]}" --by rx --strata ecog.ps,ecog.ps
expect_error lrstrata 1 "'--strata'" "'ecog.ps'"
run_pn cov cox "$O" "${S[@]}" --covariates age,rx,age
expect_error cov 1 "'--covariates'" "'age'"
run_pn fac cox "$O" "${S[@]}" --covariates age,rx --factor rx,rx
expect_error fac 1 "'--factor'" "'rx'"
run_pn coxstrata cox "$O" "${S[@]}" --covariates age --strata rx,rx
expect_error coxstrata 1 "'--strata'" "'rx'"
F=(tests/golden/data/fr_cohort.csv --time time --event status --age age --sex sex --year diag)
run_pn nsby netsurv "${F[@]}" --by region,sex,region
expect_error nsby 1 "'--by'" "'region'"
run_pn diffby netsurv-diff "${F[@]}" --by region,region
expect_error diffby 1 "'--by'" "'region'"

# the same rule for --by on a selection of the store
"$P" demo --out "$tmp/bundle" --patients 300 --seed 3 >/dev/null 2>&1 || fail "demo failed"
"$P" init --db "$tmp/s.db" >/dev/null 2>&1 || fail "init failed"
"$P" import "$tmp/bundle" --db "$tmp/s.db" >/dev/null 2>&1
[ $? -le 3 ] || fail "import failed"
run_pn dbns netsurv --db "$tmp/s.db" --site lung --by sex,sex
expect_error dbns 1 "'--by'" "'sex'"
run_pn dbsurv surv --db "$tmp/s.db" --site lung --by sex,period,sex
expect_error dbsurv 1 "'--by'" "'sex'"
run_pn dbok netsurv --db "$tmp/s.db" --site lung --by sex --at 365 --format csv
[ "$rc" -eq 0 ] || fail "dbok: exit code $rc ($(cat "$tmp/dbok.err"))"
finish cli_repeats
