#!/usr/bin/env bash
# nonfinite_missing.sh - a number that is not finite is a missing value in every format: `cox`
# on separated data has an infinite upper limit of exp(coef) (R prints Inf): empty in CSV,
# null in JSON, blank in the table, never "Inf" or "-Inf". Env: PRONOSTIC. Run from the
# repository root.
set -uo pipefail
. tests/integration/lib/common.sh
A=(cox tests/golden/data/cox_edge_separated.csv --time t --event s --covariates x,age)
run_pn csv "${A[@]}" --format csv
[ "$rc" -eq 0 ] || fail "csv: exit code $rc ($(cat "$tmp/csv.err"))"
! grep -qi "inf\|nan" "$tmp/csv.out" || fail "csv: a non-finite number: $(cat "$tmp/csv.out")"
# term,coef,exp_coef,se,z,p,lower,upper: x's upper is missing, its other fields are numbers
x=$(grep '^x,' "$tmp/csv.out")
[[ "$x" =~ ^x,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,$ ]] || fail "csv: row x is '$x'"
run_pn json "${A[@]}" --format json
[ "$rc" -eq 0 ] || fail "json: exit code $rc"
python3 - "$tmp/json.out" <<'PY' || fail "json: $(head -c 400 "$tmp/json.out")"
import json, sys
rows = json.load(open(sys.argv[1]))
x = [r for r in rows if r["term"] == "x"][0]
assert x["upper"] is None and isinstance(x["lower"], (int, float)), x
PY
run_pn table "${A[@]}" --format table
[ "$rc" -eq 0 ] || fail "table: exit code $rc"
! grep -qi "inf\|nan" "$tmp/table.out" || fail "table: a non-finite number: $(cat "$tmp/table.out")"
[ "$(grep '^x ' "$tmp/table.out" | awk '{print NF}')" -eq 7 ] ||
  fail "table: row x should have 7 fields and a blank upper: $(grep '^x ' "$tmp/table.out")"
finish nonfinite_missing
