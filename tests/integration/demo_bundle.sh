#!/usr/bin/env bash
# demo_bundle.sh - `pronostic demo` writes the bundle of docs/interfaces.md 2: usage errors and exit
# codes, determinism for a seed (and patient i independent of N), required columns, vocabularies,
# and the consistency of dates and references across files.
# Env: PRONOSTIC (the binary).
set -euo pipefail
: "${PRONOSTIC:?set PRONOSTIC to the pronostic binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "demo_bundle: $*" >&2; exit 1; }

expect_exit() {   # expect_exit CODE WORD-IN-MESSAGE ARGS...
    local code=$1 word=$2
    shift 2
    set +e
    "$PRONOSTIC" demo "$@" > /dev/null 2> "$tmp/err"
    local rc=$?
    set -e
    [ "$rc" -eq "$code" ] || fail "demo $*: exit $rc, expected $code"
    [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "demo $*: expected a one-line message: $(cat "$tmp/err")"
    grep -q -- "$word" "$tmp/err" || fail "demo $*: message does not name '$word': $(cat "$tmp/err")"
}
expect_exit 1 --out --patients 10
expect_exit 1 --patients --out "$tmp/x" --patients ten
expect_exit 1 --seed --out "$tmp/x" --seed -3
expect_exit 1 --patients --out "$tmp/x" --patients 99999999999
expect_exit 1 --bogus --out "$tmp/x" --bogus
touch "$tmp/file"
expect_exit 2 "$tmp/file" --out "$tmp/file/sub" --patients 1
# A bad départements table (found through $PRONOSTIC_DATA_DIR, like the life tables).
mkdir "$tmp/data"
cp data/fr_life_table_insee.csv "$tmp/data/"   # tests run from the repository root
printf 'code,name,region,population\n01,Ain,Auvergne-Rhône-Alpes,abc\n' > "$tmp/data/departements.csv"
PRONOSTIC_DATA_DIR="$tmp/data" expect_exit 2 "departements.csv:2: column 'population'" \
    --out "$tmp/x" --patients 1
printf 'code,name,region\n01,Ain,X\n' > "$tmp/data/departements.csv"
PRONOSTIC_DATA_DIR="$tmp/data" expect_exit 1 "population" --out "$tmp/x" --patients 1

# Determinism: same seed, same bytes; patient i does not depend on N; another seed differs.
"$PRONOSTIC" demo --out "$tmp/a" --patients 3000 --seed 9 --format csv > "$tmp/a.out"
"$PRONOSTIC" demo --out "$tmp/b" --patients 3000 --seed 9 --format csv > /dev/null
"$PRONOSTIC" demo --out "$tmp/c" --patients 1000 --seed 9 --format csv > /dev/null
"$PRONOSTIC" demo --out "$tmp/d" --patients 1000 --seed 10 --format csv > /dev/null
for f in patients.csv tumours.csv events.csv lines.csv alterations.csv centres.csv \
         territories.csv trials.json; do
    cmp -s "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between two runs with the same seed"
done
cmp -s <(head -n 1001 "$tmp/a/patients.csv") "$tmp/c/patients.csv" ||
    fail "the first 1000 patients of a 3000-patient run differ from a 1000-patient run"
! cmp -s "$tmp/c/patients.csv" "$tmp/d/patients.csv" || fail "seeds 9 and 10 gave the same patients"
grep -q '^patients.csv,3000$' "$tmp/a.out" || fail "summary does not report 3000 patients"

# Headers: every required column of docs/interfaces.md 2.
B="$tmp/a"
need() {   # need FILE COL...
    local file=$1
    shift
    local header
    header=$(head -n 1 "$B/$file")
    for col in "$@"; do
        case ",$header," in *",$col,"*) ;; *) fail "$file: no column $col" ;; esac
    done
}
need patients.csv patient_id sex birth_date vital_status vital_status_date residence death_cause
need tumours.csv tumour_id patient_id diagnosis_date icd10 topography morphology stage_system stage centre_id
need events.csv patient_id date type tumour_id centre_id code
need alterations.csv patient_id gene alteration
need lines.csv patient_id line start_date end_date regimen end_reason
need centres.csv centre_id name departement authorisations networks
need territories.csv departement name region population mri ct pet mri_wait_days
[ "$(($(wc -l < "$B/territories.csv") - 1))" -eq 101 ] || fail "territories.csv: not 101 départements"

# Cross-file checks in one awk pass: vocabularies, dates, references.
awk -F, -v closing=2024-12-31 '
function bad(msg) { if (errors++ < 20) print FILENAME ":" FNR ": " msg > "/dev/stderr" }
function isdate(s) { return s ~ /^(19|20)[0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/ }
BEGIN {
    split("imaging biopsy pathology tumour_board surgery chemotherapy radiotherapy targeted_therapy immunotherapy emergency_visit hospital_admission icu_admission palliative_care supportive_care pain_consultation trial_screening trial_inclusion progression death", t, " ")
    for (k in t) types[t[k]] = 1
    split("progression toxicity completed death other", r, " ")
    for (k in r) reasons[r[k]] = 1
    split("msi-high tmb-high amplification deletion fusion", a, " ")
    for (k in a) kinds[a[k]] = 1
}
FNR == 1 { file = FILENAME; sub(/.*\//, "", file); next }
file == "territories.csv" { dept[$1] = 1; next }
file == "centres.csv" {
    if (length($1) != 9) bad("centre_id " $1 " is not 9 characters")
    if (!($3 in dept)) bad("unknown département " $3)
    centre[$1] = 1; next
}
file == "patients.csv" {
    if ($2 != "M" && $2 != "F") bad("sex " $2)
    if (!isdate($3) || !isdate($6)) bad("bad date")
    if (!($4 in dept)) bad("residence " $4)
    if ($5 == "dead") { if ($7 == "") bad("dead without a cause") }
    else if ($5 == "alive") { if ($7 != "") bad("alive with a cause of death") }
    else bad("vital_status " $5)
    if ($6 > closing) bad("vital status after the closing date")
    if ($1 in birth) bad("duplicate patient " $1)
    birth[$1] = $3; last[$1] = $6; dead[$1] = ($5 == "dead"); next
}
file == "tumours.csv" {
    if (!($2 in birth)) bad("tumour of unknown patient " $2)
    if (!isdate($3) || !($3 > birth[$2]) || $3 > last[$2]) bad("diagnosis date " $3 " out of birth..vital status")
    if ($3 < "2000-01-01") bad("diagnosis before 2000")
    if ($4 !~ /^C[0-9][0-9](\.[0-9])?$/ || $5 !~ /^C[0-9][0-9]\.[0-9]$/ || $6 !~ /^[0-9][0-9][0-9][0-9]\/3$/) bad("codes")
    if (!($9 in centre)) bad("unknown centre " $9)
    dx[$2] = $3; next
}
file == "events.csv" {
    if (!($1 in birth)) bad("event of unknown patient " $1)
    if (!($3 in types)) bad("event type " $3)
    if (!isdate($2) || $2 > last[$1]) bad("event after the vital status date")
    if ($2 < birth[$1]) bad("event before birth")
    if ($3 == "death") { ndeath[$1]++; if ($2 != last[$1] || !dead[$1]) bad("death event off the death date") }
    if ($5 != "" && !($5 in centre)) bad("unknown centre " $5)
    nevents[$3]++; next
}
file == "lines.csv" {
    if (!($1 in birth)) bad("line of unknown patient " $1)
    if ($2 != prevline[$1] + 1) bad("line numbers not consecutive")
    prevline[$1] = $2
    if (!isdate($3) || ($4 != "" && (!isdate($4) || $4 < $3))) bad("line dates")
    if ($4 != "" && !($6 in reasons)) bad("end_reason " $6)
    if ($4 == "" && $6 != "") bad("end_reason without end_date")
    if ($3 < dx[$1]) bad("line before diagnosis"); next
}
file == "alterations.csv" {
    if (!($1 in birth)) bad("alteration of unknown patient " $1)
    if ($7 != "" && ($7 > last[$1] || $7 < dx[$1])) bad("alteration dated " $7 " out of diagnosis..vital status")
    if ($2 !~ /^[A-Z0-9-]+$/) bad("gene " $2)
    if (!($3 in kinds) && $3 !~ /^[A-Z][0-9]+/) bad("alteration " $3)
    if ($3 == "fusion" && $5 == "") bad("fusion without partner"); next
}
END {
    for (p in dead) if (dead[p] && ndeath[p] != 1) { print "patient " p ": " ndeath[p] + 0 " death events" > "/dev/stderr"; errors++ }
    for (k in types) if (k != "trial_inclusion" && k != "trial_screening" && !(k in nevents)) { print "no event of type " k > "/dev/stderr"; errors++ }
    exit errors > 0
}' "$B/territories.csv" "$B/centres.csv" "$B/patients.csv" "$B/tumours.csv" "$B/events.csv" \
   "$B/lines.csv" "$B/alterations.csv" || fail "inconsistent bundle (see above)"
[ -z "$(sort "$B/events.csv" | uniq -d | head -n 3)" ] || fail "events.csv has duplicate rows"
# Site and sex shares follow the 2018 incidence and its trends (docs/methods.md, "Synthetic
# data"), recomputed here independently: within 4 standard errors on 30,000 patients.
"$PRONOSTIC" demo --out "$tmp/big" --patients 30000 --seed 5 --quiet > /dev/null
awk -F, '
BEGIN {
    # site: men women trend_men trend_women (cases 2018, yearly change)
    d["C25"] = "7300 6900 0.025 0.035"; d["C15"] = "4000 1400 -0.015 0.010"
    d["C22"] = "8200 2400 0.010 0.020"; d["C34"] = "31200 15100 0.000 0.050"
    d["C71"] = "3100 2600 0.010 0.010"; d["C56"] = "0 5200 0.000 -0.010"
    d["C9"] = "1800 1600 0.015 0.015"
    for (s in d) {
        split(d[s], v, " ")
        for (y = 2000; y <= 2024; y++) {
            w[s, "M"] += v[1] * (1 + v[3]) ^ (y - 2018); w[s, "F"] += v[2] * (1 + v[4]) ^ (y - 2018)
        }
        total += w[s, "M"] + w[s, "F"]
    }
}
FNR == 1 { next }
FILENAME ~ /patients.csv$/ { sex[$1] = $2; next }
{ s = substr($4, 1, 3); if (s ~ /^C7/) s = "C71"; if (s ~ /^C9/) s = "C9"; n[s, sex[$2]]++; N++ }
END {
    for (s in d) for (x = 0; x < 2; x++) {
        k = x ? "F" : "M"; p = w[s, k] / total; got = n[s, k] / N
        se = sqrt(p * (1 - p) / N) + 1e-12
        if ((got - p) / se > 4 || (p - got) / se > 4) {
            printf "site %s sex %s: share %.4f, expected %.4f\n", s, k, got, p > "/dev/stderr"; bad++
        }
    }
    exit bad > 0
}' "$tmp/big/patients.csv" "$tmp/big/tumours.csv" || fail "site and sex shares off the incidence figures"
# Stage is prognostic: more stage IV than stage I patients die within a year of diagnosis.
awk -F, '
function days(s) { return (substr(s, 1, 4) * 372 + substr(s, 6, 2) * 31 + substr(s, 9, 2)) }
FNR == 1 { next }
FILENAME ~ /patients.csv$/ { dead[$1] = $5 == "dead"; last[$1] = $6; next }
$8 == "I" || $8 == "IV" { n[$8]++; if (dead[$2] && days(last[$2]) - days($3) < 372) d[$8]++ }
END { if (!(n["I"] > 100 && d["IV"] / n["IV"] > d["I"] / n["I"] + 0.2)) exit 1 }
' "$tmp/big/patients.csv" "$tmp/big/tumours.csv" || fail "stage IV does not do worse than stage I"
echo "demo_bundle: ok"
