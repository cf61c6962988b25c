#!/usr/bin/env bash
# netsurv_time_unit.sh - `netsurv --time-unit years --at 1,3,5` on follow-up times in years gives
# the same net survival as the same data in days at 365.241, 1095.723 and 1826.205 days
# (--at is read in the unit of --time-unit, like the time column). Env: PRONOSTIC.
set -euo pipefail
: "${PRONOSTIC:?set PRONOSTIC to the pronostic binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "netsurv_time_unit: $*" >&2; exit 1; }
data=tests/golden/data/colrec_iso.csv
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /"?time"?/) c = i; print; next }
                  { $c = sprintf("%.17g", $c / 365.241); print }' "$data" > "$tmp/years.csv"
common=(--event stat --age age --sex sex --year diag --ratetable slopop --by sex --format csv)
"$PRONOSTIC" netsurv "$data" --time time "${common[@]}" --at 365.241,1095.723,1826.205 \
    > "$tmp/days.out" 2>/dev/null || fail "netsurv in days failed"
"$PRONOSTIC" netsurv "$tmp/years.csv" --time time --time-unit years "${common[@]}" --at 1,3,5 \
    > "$tmp/years.out" 2>"$tmp/err" || fail "netsurv in years failed: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/years.out")" -eq 7 ] || fail "expected 6 rows: $(cat "$tmp/years.out")"
paste -d, "$tmp/days.out" "$tmp/years.out" | awk -F, 'NR > 1 {
    if ($2 / 365.241 - $11 > 1e-9 || $11 - $2 / 365.241 > 1e-9) { print "time " $2 " vs " $11; bad = 1 }
    for (i = 6; i <= 6; i++) { d = $i - $(i + 9); if (d < 0) d = -d; if (d > 1e-9) { print "surv " $i " vs " $(i + 9); bad = 1 } }
} END { exit bad }' || fail "years and days disagree"
echo "netsurv_time_unit: ok"
