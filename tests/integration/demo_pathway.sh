#!/usr/bin/env bash
# demo_pathway.sh - the care pathway `pronostic demo` writes for bundle format version 2 follows
# the generator's documented assumptions (docs/methods.md, "Synthetic data", "Care pathway
# (bundle format version 2)"): about 30 events per patient; stays with an end and the
# acute_hospital setting; the death event's setting is patients.csv's death_place, given for the
# dead only, in all six settings; systemic lines given in cycles of 14 or 21 days from the line's
# start; ruptures (a gap of more than 60 days) in about 10% of the long lines; emergency visits
# admitted the same day, after a discharge, before a diagnosis; the end of life (chemotherapy in
# the last 14 days, a new line or acute care in the last 30 days, early, late or no palliative
# care); surgery in centres without a surgery authorisation for some. Each share is recomputed
# here from the files and checked within a band around the assumption (20,000 patients).
# Env: PRONOSTIC (the binary).
set -euo pipefail
: "${PRONOSTIC:?set PRONOSTIC to the pronostic binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "demo_pathway: $*" >&2; exit 1; }
"$PRONOSTIC" demo --out "$tmp/b" --patients 20000 --seed 2 --quiet > /dev/null
B=$tmp/b
[ "$(head -n 1 "$B/events.csv")" = "patient_id,date,type,tumour_id,centre_id,code,detail,end_date,setting" ] ||
  fail "events.csv header: $(head -n 1 "$B/events.csv")"
[ "$(head -n 1 "$B/patients.csv" | awk -F, '{ print $8 }')" = "death_place" ] || fail "no death_place column"
# the place of death for the dead only; vocabularies; an end never before its date; the
# palliative care episodes with their setting and end
awk -F, 'FNR == 1 { next }
FILENAME ~ /patients.csv$/ {
    if (($5 == "dead") != ($8 != "")) { print "patient " $1 ": " $5 " with death_place " $8; bad++ }
    dead[$1] = $5 == "dead"; next }
{
    if ($9 != "" && $9 !~ /^(acute_hospital|home|hospice|palliative_unit|nursing_home|other)$/) { print "setting " $9; bad++ }
    if ($8 != "" && $8 < $2) { print "end_date " $8 " before " $2; bad++ }
    # an episode has a setting, and an end unless it goes on at the last news of the living
    if ($3 == "palliative_care" && ($9 == "" || ($8 == "" && dead[$1]))) { print "palliative care without end or setting"; bad++ }
}
END { exit bad > 0 }' "$B/patients.csv" "$B/events.csv" || fail "bad values (above)"
# the first administration of every line is on its start date, with the line's regimen
awk -F, 'FNR == 1 { next } FILENAME ~ /lines.csv$/ { want[$1 "," $3 "," $5] = 1; next }
($3 == "chemotherapy" || $3 == "targeted_therapy" || $3 == "immunotherapy") { have[$1 "," $2 "," $7] = 1 }
END { for (k in want) if (!(k in have)) { if (miss++ < 5) print "no administration on the start of line " k }; exit miss > 0 }' \
  "$B/lines.csv" "$B/events.csv" || fail "lines without their first administration"
(head -n 1 "$B/events.csv"; tail -n +2 "$B/events.csv" | sort -t, -k1,1 -k2,2) > "$tmp/ev.csv"
# cycles: the gaps between consecutive administrations of one regimen are 14-16 or 21-23 days
awk -F, '
function days(s,   y, m, d) { y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
  if (m <= 2) { y--; m += 12 }
  return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d }
FNR == 1 { next }
$3 == "chemotherapy" || $3 == "targeted_therapy" || $3 == "immunotherapy" {
    k = $1 SUBSEP $6 SUBSEP $7; d = days($2)
    if (k in prev) { g = d - prev[k]; n++; if ((g >= 14 && g <= 16) || (g >= 21 && g <= 23)) reg++ }
    prev[k] = d }
END { printf "cycles: %d gaps, %.3f of 14-16 or 21-23 days\n", n, reg / n; exit !(n > 50000 && reg / n > 0.95) }' \
  "$tmp/ev.csv" || fail "administrations are not in cycles of 14 or 21 days"

awk -F, -f - "$B/centres.csv" "$B/patients.csv" "$B/lines.csv" "$tmp/ev.csv" > "$tmp/m.txt" <<'AWK'
# input: centres.csv patients.csv lines.csv events-sorted (by patient, date)
function days(s,   y, m, d) { y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
  if (m <= 2) { y--; m += 12 }
  return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d }
FNR == 1 { file = FILENAME; sub(/.*\//, "", file); next }
file == "centres.csv" { unauth[$1] = ($4 == ""); next }
file == "patients.csv" { np++; dead[$1] = $5 == "dead"; last[$1] = days($6); place[$1] = $8; if ($5 == "dead") { nd++; places[$8]++ }; next }
file == "lines.csv" { nl++; if ($3 != "") { ls[nl] = $1; lstart[nl] = days($3); lend[nl] = $4 == "" ? -1 : days($4); lreason[nl] = $6
    if (dead[$1] && days($3) >= last[$1] - 29) newline30[$1] = 1 }; next }
{ # events, sorted by patient then date
  ne++; id = $1; d = days($2); t = $3
  if (t == "death") { if ($9 != place[id]) badplace++ }
  if (t == "hospital_admission" || t == "icu_admission") { nstay++; if ($8 == "" && dead[id]) noend++; if ($9 != "acute_hospital") badset++ }
  if (t == "emergency_visit") { ned++; edday[id, d] = 1; if (dead[id] && d >= last[id] - 29) ed30[id]++ }
  if (t == "hospital_admission" && $7 == "via emergency") viaed[id, d] = 1
  if (t == "hospital_admission" && ($7 == "surgery" || $7 == "induction") && $8 != "") { nplanned++; pend[nplanned] = days($8); pid[nplanned] = id }
  if (t == "icu_admission" && dead[id] && d >= last[id] - 29) icu30[id] = 1
  if ((t == "chemotherapy" || t == "targeted_therapy" || t == "immunotherapy") && dead[id] && d >= last[id] - 13) chemo14[id] = 1
  if (t == "palliative_care" && !(id in firstpc)) firstpc[id] = d
  if (t == "imaging" && $7 == "diagnostic") diagimg[id] = d
  if (t == "surgery") { nsurg++; if (unauth[$5]) surgun++ }
  if (t == "hospital_admission" && $7 == "surgery") surgadm[id] = d
  ev[id] = ev[id] " " d
}
END {
  printf "events_per_patient %.2f\n", ne / np
  printf "stays %d without_end_dead %d bad_setting %d death_event_place mismatches %d\n", nstay, noend, badset, badplace
  for (k in edday) { split(k, a, SUBSEP); if ((a[1], a[2]) in viaed) adm++ }
  printf "ed_visits_admitted_same_day %.3f\n", adm / ned
  for (i = 1; i <= nplanned; i++) { for (dd = 1; dd <= 30; dd++) if ((pid[i], pend[i] + dd) in edday) { ret++; break } }
  printf "planned_stays_with_ed_within_30d %.3f\n", ret / nplanned
  for (id in diagimg) { for (dd = 0; dd <= 2; dd++) if ((id, diagimg[id] - dd) in edday) { edx++; break } }
  printf "cancers_found_by_ed %.3f\n", edx / np
  printf "surgery_unauthorised_centre %.3f\n", surgun / nsurg
  for (id in dead) if (dead[id]) { if (id in chemo14) c14++; if (id in newline30) n30++; if (ed30[id] >= 2) e2++; if (id in icu30) i30++
     if (!(id in firstpc)) pcn++; else if (firstpc[id] <= last[id] - 91) pce++; else if (firstpc[id] >= last[id] - 2) pcl++; else pcm++ }
  printf "dead %d: chemo_last14 %.3f new_line_last30 %.3f ed2_last30 %.3f icu_last30 %.3f\n", nd, c14 / nd, n30 / nd, e2 / nd, i30 / nd
  printf "palliative: none %.3f early %.3f between %.3f late %.3f\n", pcn / nd, pce / nd, pcm / nd, pcl / nd
  printf "death places:"; for (k in places) printf " %s %.3f", k, places[k] / nd; printf "\n"
  # ruptures: ended lines longer than 150 days with a gap > 60 days between two events in [start, end]
  for (i = 1; i <= nl; i++) { if (!(i in ls) || lend[i] < 0 || lreason[i] == "death" || lend[i] - lstart[i] <= 150) continue
    nlong++; n = split(ev[ls[i]], e, " "); prev = -1; gap = 0
    for (k = 1; k <= n; k++) { x = e[k] + 0; if (x < lstart[i] || x > lend[i]) continue; if (prev >= 0 && x - prev > 60) gap = 1; prev = x }
    if (gap) nrup++ }
  printf "ruptures among %d ended lines > 150 days: %.3f\n", nlong, nrup / nlong
}
AWK
cat "$tmp/m.txt"
# metric LOW HIGH: the value printed after the metric's name lies in [LOW, HIGH]
check() {
    awk -v k="$1" -v lo="$2" -v hi="$3" '{ for (i = 1; i < NF; i++) if ($i == k) { v = $(i + 1); f = 1 } }
      END { if (!f) { print "no metric " k; exit 1 } if (v < lo || v > hi) { print k " = " v ", outside [" lo ", " hi "]"; exit 1 } }' \
      "$tmp/m.txt" >&2 || fail "$1"
}
check events_per_patient 27 33
check without_end_dead 0 0
check bad_setting 0 0
check mismatches 0 0
check ed_visits_admitted_same_day 0.45 0.65
check planned_stays_with_ed_within_30d 0.10 0.25
check cancers_found_by_ed 0.20 0.30
check surgery_unauthorised_centre 0.05 0.11
check chemo_last14 0.05 0.25
check new_line_last30 0.03 0.15
check ed2_last30 0.08 0.25
check icu_last30 0.05 0.20
check none 0.25 0.40
check early 0.08 0.20
check late 0.10 0.20
check acute_hospital 0.35 0.60
for place in home palliative_unit hospice nursing_home other; do check "$place" 0.02 0.35; done
check "days:" 0.05 0.13
echo "demo_pathway: ok"
