#!/usr/bin/env bash
# gen_bundle.sh - write a synthetic CSV bundle (docs/interfaces.md 2) for import benchmarks and tests.
#   gen_bundle.sh DIR PATIENTS [EVENTS_PER_PATIENT] [SEED]
# Per patient: 1 tumour, plus a second one for 20% of them (1.2 tumours per patient), and
# EVENTS_PER_PATIENT events (default 30) between diagnosis and the vital-status date. Patients
# are born 1920-1975, diagnosed 2005-2022, with exponential survival depending on the site;
# follow-up ends 2024-06-30. Rows of a patient are contiguous, as registry extracts usually are.
# GEN_SITE=CODE (e.g. C34.1) gives every patient's first tumour that ICD-10 code, for a
# selection as large as the bundle.
set -euo pipefail
dir=$1; n=$2; ev=${3:-30}; seed=${4:-42}
mkdir -p "$dir"
awk -v n="$n" -v ev="$ev" -v seed="$seed" -v dir="$dir" -v force="${GEN_SITE:-}" '
function days(y, m, d,   era, yoe, doy, doe) {  # days since 1970-01-01 (Hinnant)
  y -= (m <= 2); era = int((y >= 0 ? y : y - 399) / 400); yoe = y - era * 400
  doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
  return era * 146097 + doe - 719468
}
function iso(z,   era, doe, yoe, y, doy, mp, d, m) {
  z += 719468; era = int((z >= 0 ? z : z - 146096) / 146097); doe = z - era * 146097
  yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
  y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
  mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
  m = mp + (mp < 10 ? 3 : -9); y += (m <= 2)
  return sprintf("%04d-%02d-%02d", y, m, d)
}
BEGIN {
  srand(seed); OFS = ","
  P = dir "/patients.csv"; T = dir "/tumours.csv"; E = dir "/events.csv"
  print "patient_id,sex,birth_date,residence,vital_status,vital_status_date" > P
  print "tumour_id,patient_id,diagnosis_date,icd10,topography,morphology,stage_system,stage,centre_id" > T
  print "patient_id,date,type,tumour_id,centre_id,code,detail" > E
  nd = split("75 13 69 59 33 31 44 67 06 34 35 2A 2B 971 974 62 76 38 83 92", deps, " ")
  ns = split("C25.0 C15.9 C22.0 C34.1 C71.9 C56 C92.0 C18.7 C50.9 C61", icd, " ")
  split("0.9 0.9 0.8 0.7 0.6 0.3 0.8 0.15 0.05 0.05", haz, " "); haz[0] = 0.7
  nt = split("imaging biopsy pathology tumour_board surgery chemotherapy radiotherapy targeted_therapy immunotherapy emergency_visit hospital_admission palliative_care supportive_care pain_consultation progression", types, " ")
  closing = days(2024, 6, 30); d0 = days(2005, 1, 1); d1 = days(2022, 12, 31)
  b0 = days(1920, 1, 1); b1 = days(1975, 12, 31); tid = 0
  for (i = 1; i <= n; i++) {
    pid = sprintf("P%08d", i)
    birth = b0 + int(rand() * (b1 - b0)); dx = d0 + int(rand() * (d1 - d0))
    s = 1 + int(rand() * ns); if (force != "") { icd[0] = force; s = 0 }
    surv = int(-log(1 - rand()) / haz[s] * 365.241)
    if (dx + surv < closing) { vs = "dead"; vd = dx + surv } else { vs = "alive"; vd = closing - int(rand() * 60) }
    if (vd < dx) vd = dx
    print pid, (rand() < 0.5 ? "M" : "F"), iso(birth), deps[1 + int(rand() * nd)], vs, iso(vd) > P
    tid++; t1 = sprintf("T%08d", tid)
    print t1, pid, iso(dx), icd[s], (s == 7 ? "C42.1" : icd[s]), (s == 7 ? "9861/3" : "8140/3"), "TNM8", "II", "750000001" > T
    if (rand() < 0.2) {
      tid++; s2 = 1 + int(rand() * ns); dx2 = dx + int(rand() * (vd - dx + 1))
      print sprintf("T%08d", tid), pid, iso(dx2), icd[s2], (s2 == 7 ? "C42.1" : icd[s2]), (s2 == 7 ? "9861/3" : "8140/3"), "none", "", "" > T
    }
    span = vd - dx + 1
    for (k = 0; k < ev; k++)
      print pid, iso(dx + int(k * span / ev)), types[1 + (k + i) % nt], t1, "750000001", "Z" k, "" > E
  }
}'
