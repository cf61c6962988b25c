#!/usr/bin/env bash
# pathway_handbuilt.sh - every care-pathway indicator on a hand-built cohort whose values are
# worked out by hand below (docs/methods.md, "Care-pathway indicators", gives the definitions).
# Cases: a death before treatment, no imaging, events on the same day, a patient lost to
# follow-up, overlapping stays, a death without any event. The figures are checked with
# --no-suppress (the cohort is far below any cell threshold), which is recorded in the store's
# audit table; then the same query without it must mask them.
. tests/integration/lib/common.sh
export PRONOSTIC_TODAY=2025-06-01
export PRONOSTIC_KEY=$(printf '%064d' 7)
b="$tmp/bundle"
mkdir "$b"
# Six pancreas patients P1-P6 and one liver patient P8; closing date 2024-12-31.
cat >"$b/patients.csv" <<'CSV'
patient_id,sex,birth_date,residence,vital_status,vital_status_date,death_cause,death_place
P1,M,1950-01-01,75,dead,2020-12-31,C25.0,acute_hospital
P2,F,1940-06-15,75,dead,2020-06-20,C25.0,palliative_unit
P3,M,1960-01-01,75,alive,2020-02-01,,
P4,F,1955-03-03,13,dead,2021-09-30,C25.0,
P5,M,1945-01-01,13,alive,2024-12-31,,
P6,F,1970-01-01,13,alive,2024-12-31,,
P8,M,1952-02-02,69,alive,2024-12-31,,
P9,M,1950-05-05,69,dead,2021-03-20,C34.1,home
P10,F,1950-05-05,69,dead,2021-03-20,C34.1,home
CSV
cat >"$b/tumours.csv" <<'CSV'
tumour_id,patient_id,diagnosis_date,icd10,stage_system,stage
T1,P1,2020-03-01,C25.0,TNM8,II
T2,P2,2020-06-01,C25.0,TNM8,III
T3,P3,2020-01-10,C25.1,TNM8,II
T4,P4,2021-02-01,C25.0,TNM8,III
T5,P5,2021-05-10,C25.0,TNM8,IV
T6,P6,2022-03-01,C25.2,TNM8,I
T8,P8,2020-07-01,C22.0,TNM8,I
T9,P9,2020-11-01,C34.1,TNM8,IV
T10,P10,2020-11-01,C34.1,TNM8,IV
CSV
cat >"$b/centres.csv" <<'CSV'
centre_id,name,departement,authorisations
750000001,Centre A,75,SURG-A1;SURG-B1
130000002,Centre B,13,SURG-A1
CSV
cat >"$b/lines.csv" <<'CSV'
patient_id,line,start_date,end_date,regimen,end_reason
P1,1,2020-05-01,2020-08-01,FOLFIRINOX,progression
P1,2,2020-12-20,,gemcitabine,
P5,1,2021-05-15,,gemcitabine,
CSV
# P1: imaging 20 days before diagnosis; board; surgery (authorised centre) 19 days after the
#   diagnosis with a stay the same day (10 days); an emergency visit 11 days after that
#   discharge (a return); chemotherapy 05-01, 05-15 then 08-01: 78 days without contact (a
#   rupture); palliative care from 09-01 (121 days before death: early, not in the last 3
#   days); at the end of life: two emergency visits (12-15, 12-25), one admission (12-25), an ICU
#   stay (12-26), a new line (12-20) and chemotherapy 11 days before death; dies in hospital.
# P2: no imaging; an emergency visit and an unplanned admission the same day (05-25), 7 days
#   before the diagnosis and before any other work-up (an emergency diagnosis); the stay lasts
#   until death on 06-20, before any treatment (death before treatment: the competing event);
#   palliative care from 06-18 (in the last 3 days); dies in a palliative care unit.
# P3: imaging, biopsy and an emergency visit on the same day (2020-01-01; the visit counts as
#   first), 9 days before the diagnosis; lost to follow-up on 2020-02-01, never treated.
# P4: a death (2021-09-30) without any event at all: no place of death known.
# P5: stage IV; imaging 20 days before; chemotherapy from 5 days after the diagnosis every 14
#   days and radiotherapy 53 days after the last cycle (no rupture); a board after the first
#   treatment (not before); palliative care 22 days after the stage IV diagnosis (early for a
#   metastatic disease); an ICU stay 06-20 to 06-25 and an emergency visit 07-30, 20 days
#   after the cycle of 07-10 (a return).
# P6: imaging 90 days before; board; surgery 61 days after the diagnosis in a centre without
#   mention B1; overlapping stays 05-01..05-10 and 05-05..05-20, an emergency visit 07-10 (51
#   days after the last discharge, 66 after the last admission: no rupture because a stay
#   covers its days) and chemotherapy 08-01.
# P8 (liver): imaging 11 days before, surgery 31 days after in the authorised centre.
# P9, P10 (lung, no treatment lines): chemotherapy on 2021-01-01 and 10 days before death; P9's
#   second is a drug not given before (a new regimen in the last 30 days, told by its code),
#   P10's the same drug (not new): new_regimen_last_30d for lung is 1 of 2.
cat >"$b/events.csv" <<'CSV'
patient_id,date,type,tumour_id,centre_id,code,detail,end_date,setting
P1,2020-02-10,imaging,T1,,CT,,,
P1,2020-03-05,tumour_board,T1,,,,,
P1,2020-03-20,surgery,T1,750000001,,,,
P1,2020-03-20,hospital_admission,T1,750000001,,,2020-03-30,acute_hospital
P1,2020-04-10,emergency_visit,,,,,,
P1,2020-05-01,chemotherapy,T1,,L01XA03,,,
P1,2020-05-15,chemotherapy,T1,,L01XA03,,,
P1,2020-08-01,chemotherapy,T1,,L01XA03,,,
P1,2020-09-01,palliative_care,,,,,2020-12-31,home
P1,2020-12-15,emergency_visit,,,,,,
P1,2020-12-20,chemotherapy,T1,,L01BC05,,,
P1,2020-12-25,emergency_visit,,,,,,
P1,2020-12-25,hospital_admission,,,,,2020-12-31,acute_hospital
P1,2020-12-26,icu_admission,,,,,2020-12-28,acute_hospital
P1,2020-12-31,death,,,,,,acute_hospital
P2,2020-05-25,emergency_visit,,,,,,
P2,2020-05-25,hospital_admission,,,,,2020-06-20,acute_hospital
P2,2020-06-01,pathology,T2,,,,,
P2,2020-06-18,palliative_care,,,,,2020-06-20,palliative_unit
P2,2020-06-20,death,,,,,,palliative_unit
P3,2020-01-01,imaging,T3,,CT,,,
P3,2020-01-01,biopsy,T3,,,,,
P3,2020-01-01,emergency_visit,,,,,,
P5,2021-04-20,imaging,T5,,CT,,,
P5,2021-05-15,chemotherapy,T5,,L01BC05,,,
P5,2021-05-20,tumour_board,T5,,,,,
P5,2021-05-29,chemotherapy,T5,,L01BC05,,,
P5,2021-06-01,palliative_care,,,,,2021-06-01,home
P5,2021-06-12,chemotherapy,T5,,L01BC05,,,
P5,2021-06-20,icu_admission,,,,,2021-06-25,acute_hospital
P5,2021-06-26,chemotherapy,T5,,L01BC05,,,
P5,2021-07-10,chemotherapy,T5,,L01BC05,,,
P5,2021-07-30,emergency_visit,,,,,,
P5,2021-09-01,radiotherapy,T5,,,,,
P6,2021-12-01,imaging,T6,,CT,,,
P6,2022-04-15,tumour_board,T6,,,,,
P6,2022-05-01,surgery,T6,130000002,,,,
P6,2022-05-01,hospital_admission,T6,130000002,,,2022-05-10,acute_hospital
P6,2022-05-05,hospital_admission,T6,130000002,,,2022-05-20,acute_hospital
P6,2022-07-10,emergency_visit,,,,,,
P6,2022-08-01,chemotherapy,T6,,L01XA03,,,
P8,2020-06-20,imaging,T8,,CT,,,
P8,2020-08-01,surgery,T8,750000001,,,,
P9,2021-01-01,chemotherapy,T9,,L01XA01,,,
P9,2021-03-10,chemotherapy,T9,,L01BC05,,,
P10,2021-01-01,chemotherapy,T10,,L01XA01,,,
P10,2021-03-10,chemotherapy,T10,,L01XA01,,,
CSV
db="$tmp/s.db"
run_pn init init --db "$db"
[ "$rc" -eq 0 ] || fail "init: $(cat "$tmp/init.err")"
run_pn import import "$b" --db "$db"
[ "$rc" -eq 0 ] || fail "import: exit $rc: $(cat "$tmp/import.err")"
run_pn q quarantine --db "$db" --format csv
[ "$(lines "$tmp/q.out")" -le 1 ] || fail "quarantined rows: $(cat "$tmp/q.out")"

run_pn pw pathway --db "$db" --site pancreas --closing 2024-12-31 --no-suppress --format csv
[ "$rc" -eq 0 ] || fail "pathway: exit $rc: $(cat "$tmp/pw.err")"
# the expected rows: indicator,numerator,denominator,estimate,lower,upper (site pancreas, all)
#   imaging_to_diagnosis: 4 of 6 with imaging; delays 9, 20, 20, 90: median 20, quartiles
#     (R's type 7) 9 + 0.75 (20 - 9) = 17.25 and 20 + 0.25 (90 - 20) = 37.5
#   diagnosis_to_treatment: P1 19, P5 5, P6 61: median 19, quartiles 12 and 40
#   ..._cuminc by day 42: (time, state) P5 (5, treated), P1 (19, treated) and P2 (19, died),
#     P3 (22, censored), P6 (61, treated), P4 (241, died): at 5, 1/6; at 19, 1/6 + (5/6)(1/5)
#     = 1/3 (the death at 19 competes); so 1/3, where a Kaplan-Meier censoring P2 would give more
#   imaging_to_treatment: P1 39, P5 25, P6 151: median 39, quartiles 32 and 95; within 42: 2 of 3
#     cuminc from imaging by 42: P5 (25, treated), P3 (31, censored), P1 (39, treated),
#     P6 (151, treated): 1/4 + (3/4)(1/2) = 5/8
#   tumour_board_before_treatment: P1, P6 of the treated P1, P5, P6: 2/3
#   rupture: P1 of P1, P5, P6: 1/3;  emergency_return_30d: P1, P5 of P1, P2, P5, P6: 2/4
#   emergency_diagnosis: P2, P3 of 6;  early_palliative: P1 of the dead P1, P2, P4: 1/3
#   early_palliative_metastatic: P5 of P5: 1/1
#   chemo_last_14d, new_regimen_last_30d, ed_visits_last_30d, icu_last_30d: P1 of 3
#   admissions_last_30d: 0 of 3 (one admission each);  death_acute_hospital: P1 of P1, P2
#   palliative_last_3d: P2 of P1, P2;  no_palliative: P4 of 3
#   surgery_in_authorised_centre: P1 of P1, P6: 1/2
check() {  # check INDICATOR NUM DEN ESTIMATE [LOWER UPPER]
  local row
  row=$(awk -F, -v i="$1" '$1 == i && $2 == "pancreas" && $3 == "all"' "$tmp/pw.out")
  [ -n "$row" ] || { fail "$1: no row"; return; }
  awk -F, -v n="$2" -v d="$3" -v e="$4" -v lo="${5:-}" -v hi="${6:-}" -v name="$1" '
    function near(a, b) { return (a - b) < 1e-9 && (b - a) < 1e-9 }
    { if ($4 != n || $5 != d) { print name ": counts " $4 "/" $5 ", expected " n "/" d; exit 1 }
      if (!near($6, e)) { print name ": estimate " $6 ", expected " e; exit 1 }
      if (lo != "" && (!near($7, lo) || !near($8, hi))) { print name ": limits " $7 " " $8 ", expected " lo " " hi; exit 1 }
      if ($10 != "") { print name ": suppressed with --no-suppress"; exit 1 } }' <<<"$row" \
    || fail "$(awk -F, -v i="$1" '$1 == i && $2 == "pancreas" && $3 == "all"' "$tmp/pw.out")"
}
check imaging_to_diagnosis 4 6 20 17.25 37.5
check imaging_to_diagnosis_within_target 3 4 0.75
check diagnosis_to_treatment 3 6 19 12 40
check diagnosis_to_treatment_within_target 2 3 0.6666666666666666
check diagnosis_to_treatment_cuminc 2 6 0.3333333333333333
check imaging_to_treatment 3 4 39 32 95
check imaging_to_treatment_within_target 2 3 0.6666666666666666
check imaging_to_treatment_cuminc 2 4 0.625
check tumour_board_before_treatment 2 3 0.6666666666666666
check rupture 1 3 0.3333333333333333
check emergency_return_30d 2 4 0.5
check emergency_diagnosis 2 6 0.3333333333333333
check early_palliative 1 3 0.3333333333333333
check early_palliative_metastatic 1 1 1
check chemo_last_14d 1 3 0.3333333333333333
check new_regimen_last_30d 1 3 0.3333333333333333
check ed_visits_last_30d 1 3 0.3333333333333333
check admissions_last_30d 0 3 0
check icu_last_30d 1 3 0.3333333333333333
check death_acute_hospital 1 2 0.5
check palliative_last_3d 1 2 0.5
check no_palliative 1 3 0.3333333333333333
check surgery_in_authorised_centre 1 2 0.5
# Wilson limits of 1/3 (R: prop.test(1, 3, correct = FALSE)$conf.int)
check rupture 1 3 0.3333333333333333 0.06149194472039602 0.7923403991979523
# Earle's benchmark beside the end-of-life rows
grep -q '^chemo_last_14d,pancreas,all,1,3,.*,0.10000000000000001,$' "$tmp/pw.out" \
  || fail "chemo_last_14d: benchmark 0.10 not printed: $(grep '^chemo_last_14d,pancreas,all' "$tmp/pw.out")"
# the liver patient is in the all-sites rows, not in pancreas's
run_pn all pathway --db "$db" --indicator surgery_in_authorised_centre --closing 2024-12-31 \
  --no-suppress --format csv
grep -q '^surgery_in_authorised_centre,all,all,2,3,' "$tmp/all.out" \
  || fail "all sites: $(grep ',all,all,' "$tmp/all.out")"
grep -q '^surgery_in_authorised_centre,liver,all,1,1,' "$tmp/all.out" \
  || fail "liver: $(grep ',liver,all,' "$tmp/all.out")"
run_pn lung pathway --db "$db" --site lung --indicator new_regimen_last_30d --closing 2024-12-31 \
  --no-suppress --format csv
grep -q '^new_regimen_last_30d,lung,all,1,2,' "$tmp/lung.out" \
  || fail "new regimen by codes: $(cat "$tmp/lung.out")"
# the audit table records both --no-suppress runs: who, when, what
n=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'no-suppress' AND detail LIKE
  'pronostic pathway --db % --no-suppress%' AND who <> '' AND at LIKE '20%Z'")
[ "$n" = "3" ] || fail "audit rows: $n, expected 3"

# without --no-suppress every count from 1 to 9 is masked: no figure of this cohort is shown
run_pn prot pathway --db "$db" --site pancreas --closing 2024-12-31 --format csv
[ "$rc" -eq 0 ] || fail "protected pathway: exit $rc: $(cat "$tmp/prot.err")"
shown=$(awk -F, 'NR > 1 && (($4 != "" && $4 > 0 && $4 < 10) || ($5 != "" && $5 > 0 && $5 < 10) ||
  ($6 != "" && $5 != 0))' "$tmp/prot.out" | head -3)
[ -z "$shown" ] || fail "figures shown under disclosure control: $shown"
grep -q ',primary$' "$tmp/prot.out" || fail "no row says primary"
n=$(sqlite3 "$db" "SELECT count(*) FROM audit")
[ "$n" = "3" ] || fail "a protected run wrote to the audit ($n rows)"
finish pathway_handbuilt
