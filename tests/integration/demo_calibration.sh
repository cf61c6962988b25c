#!/usr/bin/env bash
# demo_calibration.sh - the synthetic France's calibration, measured by pronostic's own netsurv:
# on 300,000 generated patients, the ICSS-standardised 5-year net survival (Pohar-Perme) of the
# diagnoses 2010-2015 of each site lies within 2 points of its published French target.
# Env: PRONOSTIC (the binary). Optional: DEMO_CAL_PATIENTS (default 300000), DEMO_CAL_SEED (1).
set -euo pipefail
: "${PRONOSTIC:?set PRONOSTIC to the pronostic binary}"
N=${DEMO_CAL_PATIENTS:-300000}
SEED=${DEMO_CAL_SEED:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PRONOSTIC" demo --out "$tmp/bundle" --patients "$N" --seed "$SEED" --quiet --format csv >/dev/null

# One flat CSV per site (time in days, event, age in years, sex, diagnosis date), diagnoses
# 2010-01-01..2015-12-31, joined from patients.csv and tumours.csv (one tumour per patient).
awk -F, -v dir="$tmp" '
function days(s,   y, m, d) {            # civil date -> day number (Hinnant), for differences
    y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
    if (m <= 2) y--
    era = int((y >= 0 ? y : y - 399) / 400); yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return era * 146097 + doe - 719468
}
function site(c) {
    if (c ~ /^C25/) return "pancreas"; if (c ~ /^C15/) return "oesophagus"
    if (c ~ /^C22/) return "liver";    if (c ~ /^C3[34]/) return "lung"
    if (c ~ /^C7[012]/) return "cns";  if (c ~ /^C56/) return "ovary"
    if (c ~ /^C9[234]/) return "aml";  return ""
}
FNR == 1 { next }
FILENAME ~ /patients.csv$/ { sex[$1] = $2; birth[$1] = $3; dead[$1] = ($5 == "dead"); last[$1] = $6; next }
{
    p = $2; dx = $3; s = site($4)
    if (s == "" || !(p in sex) || dx < "2010-01-01" || dx > "2015-12-31") next
    f = dir "/" s ".csv"
    if (!(f in seen)) { seen[f] = 1; print "time,dead,age,sex,dx" > f }
    printf "%d,%d,%.6f,%s,%s\n", days(last[p]) - days(dx), dead[p],
           (days(dx) - days(birth[p])) / 365.241, sex[p], dx > f
}' "$tmp/bundle/patients.csv" "$tmp/bundle/tumours.csv"

fail=0
printf '%-11s %8s %8s %8s\n' site n net5_std target
for pair in pancreas:0.11 oesophagus:0.17 liver:0.18 lung:0.20 cns:0.26 ovary:0.43 aml:0.27; do
    s=${pair%%:*}; target=${pair#*:}
    n=$(($(wc -l < "$tmp/$s.csv") - 1))
    out=$("$PRONOSTIC" netsurv "$tmp/$s.csv" --time time --event dead --age age --sex sex \
          --year dx --time-unit days --at 1826.205 --standardise site --site "$s" \
          --format csv 2>"$tmp/$s.err")
    est=$(printf '%s\n' "$out" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "surv") c = i; next }
                                          { v = $c } END { print v }')
    ok=$(awk -v e="$est" -v t="$target" 'BEGIN { d = e - t; if (d < 0) d = -d; print (e != "" && d <= 0.02) ? 1 : 0 }')
    printf '%-11s %8d %8s %8s %s\n' "$s" "$n" "$est" "$target" "$([ "$ok" = 1 ] && echo ok || echo FAIL)"
    if [ "$ok" != 1 ]; then fail=1; cat "$tmp/$s.err" >&2; printf '%s\n' "$out" >&2; fi
done
exit $fail
