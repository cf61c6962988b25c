#!/usr/bin/env bash
# report_demo.sh - `pronostic report` on a small synthetic store (demo -> init -> import):
# the long CSV form and its vocabulary, estimates as proportions with lower <= estimate <= upper,
# trend rows per site (and per sex with --by sex), the follow-up rule for 5-year cells, and
# agreement of the observed, net and standardised net rows with `pronostic surv` and
# `pronostic netsurv` run on the same cohort extracted from the store with sqlite3 (an
# independent SQL statement of the first-primary and closing-date rules). Exit codes of bad use.
# Env: PRONOSTIC (the binary).
set -euo pipefail
: "${PRONOSTIC:?set PRONOSTIC to the pronostic binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "report_demo: $*" >&2; exit 1; }

"$PRONOSTIC" demo --out "$tmp/b" --patients 4000 --seed 11 --quiet > /dev/null
"$PRONOSTIC" init --db "$tmp/s.db" 2>/dev/null
"$PRONOSTIC" import "$tmp/b" --db "$tmp/s.db" > /dev/null 2>&1 || [ $? -eq 3 ] ||
    fail "import of the demo bundle failed"

"$PRONOSTIC" report --db "$tmp/s.db" --format csv > "$tmp/r.csv" 2> "$tmp/r.err" ||
    fail "report failed: $(cat "$tmp/r.err")"
[ "$(head -1 "$tmp/r.csv")" = "site,period,sex,measure,horizon_years,estimate,lower,upper,n,events,suppressed" ] ||
    fail "header: $(head -1 "$tmp/r.csv")"

# Vocabulary, proportions, limits around the estimate; trend rows have an empty period.
awk -F, 'NR > 1 {
    if ($1 !~ /^(pancreas|oesophagus|liver|lung|cns|ovary|aml)$/) { print "site " $1; bad = 1 }
    if ($3 !~ /^(all|male|female)$/) { print "sex " $3; bad = 1 }
    if ($4 !~ /^(observed|net|net_std|trend_per_year|trend_p|projection_2030)$/) { print "measure " $4; bad = 1 }
    trend = $4 ~ /^(trend|projection)/
    if (trend != ($2 == "")) { print "period of " $4 ": [" $2 "]"; bad = 1 }
    if (!trend && $2 !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]$/) { print "period " $2; bad = 1 }
    if ($5 != 1 && $5 != 5) { print "horizon " $5; bad = 1 }
    if (trend && $5 != 5) { print "trend horizon " $5; bad = 1 }
    # disclosure control: a masked figure is empty and its row says why
    if ($11 !~ /^(|primary|secondary)$/) { print "suppressed " $11; bad = 1 }
    if ($11 == "" && ($9 !~ /^[0-9]+$/ || $10 !~ /^[0-9]+$/ || $10 + 0 > $9 + 0)) { print "n/events " $9 "," $10; bad = 1 }
    if ($11 != "" && ($6 != "" || $7 != "" || $8 != "")) { print "estimate of a suppressed row: " $0; bad = 1 }
    if ($9 != "" && $9 + 0 >= 1 && $9 + 0 < 10 && $11 != "primary") { print "n under 10 shown: " $0; bad = 1 }
    if ($10 != "" && $10 + 0 >= 1 && $10 + 0 < 10) { print "events under 10 shown: " $0; bad = 1 }
    if ($11 != "") sup++
    if ($4 != "trend_per_year" && $6 != "" && ($6 < 0 || $6 > 1)) { print "estimate " $0; bad = 1 }
    if ($7 != "" && $7 > $6 + 1e-12) { print "lower > estimate: " $0; bad = 1 }
    if ($8 != "" && $8 < $6 - 1e-12) { print "upper < estimate: " $0; bad = 1 }
    if ($4 ~ /^(observed|net|net_std|projection_2030)$/ && $8 != "" && $8 > 1 + 1e-12) { print "upper > 1: " $0; bad = 1 }
    if ($6 != "") est++
} END { if (est < 100) { print "only " est " estimates"; bad = 1 }
        if (sup < 1) { print "nothing suppressed: the demo has small cells"; bad = 1 } exit bad }' "$tmp/r.csv" > "$tmp/vocab.txt" ||
    fail "bad rows: $(head -5 "$tmp/vocab.txt")"

# Per site: 3 trend rows, and 6 cells per period.
for s in pancreas oesophagus liver lung cns ovary aml; do
    nt=$(awk -F, -v s=$s '$1 == s && $2 == "" && $3 == "all"' "$tmp/r.csv" | wc -l)
    [ "$nt" -eq 3 ] || fail "$s: $nt trend rows, expected 3"
    nc=$(awk -F, -v s=$s '$1 == s && $2 != ""' "$tmp/r.csv" | wc -l)
    [ $((nc % 6)) -eq 0 ] && [ "$nc" -ge 6 ] || fail "$s: $nc period cells"
done
# The default periods are 5-year periods from the earliest year; the demo covers 2000-2024 and
# its closing date is 2024-12-31: 5-year cells are empty for 2020-2024 only, and the trend of
# every site is estimated from the four earlier periods.
awk -F, '$2 == "2020-2024" && $5 == 5 && $6 != "" { exit 1 }' "$tmp/r.csv" ||
    fail "a 5-year estimate for 2020-2024 despite the closing date"
awk -F, '$2 == "2015-2019" && $5 == 5 && $4 == "observed" && $6 == "" { exit 1 }' "$tmp/r.csv" ||
    fail "a 5-year estimate is missing for 2015-2019"
# A trend is fitted exactly where two periods or more have a 5-year net_std (lung, at least).
awk -F, '$4 == "net_std" && $5 == 5 && $6 != "" { k[$1]++ }
         $4 == "trend_per_year" && (($6 != "") != (k[$1] >= 2)) { print $1; bad = 1 }
         END { if (k["lung"] < 2) bad = 1; exit bad }' "$tmp/r.csv" > "$tmp/t.txt" ||
    fail "trend rows do not follow the 5-year net_std cells: $(cat "$tmp/t.txt")"

# The cohort, extracted by SQL: first primary of each person and site, follow-up to the
# vital-status date cut at the closing date (the latest vital-status date), one row per tumour,
# with its default period (5-year periods from the earliest year of diagnosis).
sqlite3 -csv -header "$tmp/s.db" > "$tmp/cohort.csv" <<'SQL'
WITH closing AS (SELECT max(vital_status_date) AS c FROM patients),
y0 AS (SELECT min(strftime('%Y', diagnosis_date * 86400, 'unixepoch')) AS y FROM tumours
       WHERE site BETWEEN 1 AND 7),
first AS (SELECT t.*, row_number() OVER (PARTITION BY t.pid, t.site
                                         ORDER BY t.diagnosis_date, t.tid) AS k
          FROM tumours t WHERE t.site BETWEEN 1 AND 7)
SELECT f.site AS site,
       y0.y + 5 * ((strftime('%Y', f.diagnosis_date * 86400, 'unixepoch') - y0.y) / 5) AS p,
       min(p.vital_status_date, closing.c) - f.diagnosis_date AS time,
       (p.vital_status = 1 AND p.vital_status_date <= closing.c) AS event,
       printf('%.17g', (f.diagnosis_date - p.birth_date) / 365.241) AS age,
       p.sex AS sex,
       date(f.diagnosis_date * 86400, 'unixepoch') AS dx
FROM first f JOIN patients p ON p.pid = f.pid, closing, y0
WHERE f.k = 1 AND f.diagnosis_date <= closing.c;
SQL
awk -F, -v dir="$tmp" 'NR == 1 { next }
    { f = dir "/site" $1 ".csv"; y = $2
      if (!(f in seen)) { seen[f] = 1; print "time,event,age,sex,dx,period" > f }
      print $3 "," $4 "," $5 "," $6 "," $7 "," y "-" y + 4 > f }' "$tmp/cohort.csv"
n_sql=$(($(wc -l < "$tmp/cohort.csv") - 1))
n_rep=$(awk -F, '$4 == "observed" && $5 == 1 { n += $9 } END { print n }' "$tmp/r.csv")
[ "$n_sql" -eq "$n_rep" ] || fail "the report counts $n_rep tumours, the SQL extraction $n_sql"

# Compare two CSVs keyed on period and horizon: report rows of one site and measure against
# the surv/netsurv output (stratum=period=..., time in days); returns the number compared.
compare() {  # site measure file.csv
    awk -F, -v site="$1" -v m="$2" '
        FNR == 1 { f++; next }
        f == 1 && $1 == site && $4 == m && $6 != "" { want[$2 "," $5] = $6 "," $7 "," $8 }
        f == 2 { split($1, a, "="); h = ($2 < 1000) ? 1 : 5; got[a[2] "," h] = $6 "," $8 "," $9 }
        END {
            for (k in want) {
                if (!(k in got)) { print "missing " k; bad = 1; continue }
                split(want[k], w, ","); split(got[k], g, ",")
                for (i = 1; i <= 3; i++) {
                    d = w[i] - g[i]; if (d < 0) d = -d
                    if (d > 1e-9) { print k ": report " want[k] " vs " got[k]; bad = 1; break }
                }
                n++
            }
            print n + 0 > "/dev/stderr"
            exit bad
        }' "$tmp/r.csv" "$3"
}
at=365.241,1826.205
compared=0
for pair in 4:lung 1:pancreas 6:ovary; do
    code=${pair%%:*}; site=${pair#*:}
    in="$tmp/site$code.csv"
    "$PRONOSTIC" surv "$in" --time time --event event --by period --at $at --format csv \
        > "$tmp/surv.csv"
    n=$(compare "$site" observed "$tmp/surv.csv" 2>&1 >/dev/null) ||
        fail "$site observed differs from pronostic surv: $(compare "$site" observed "$tmp/surv.csv" 2>/dev/null | head -3)"
    [ "$n" -ge 4 ] || fail "$site: only $n observed cells compared"
    compared=$((compared + n))
    "$PRONOSTIC" netsurv "$in" --time time --event event --age age --sex sex --year dx \
        --by period --at $at --format csv > "$tmp/net.csv" 2>/dev/null
    n=$(compare "$site" net "$tmp/net.csv" 2>&1 >/dev/null) ||
        fail "$site net differs from pronostic netsurv: $(compare "$site" net "$tmp/net.csv" 2>/dev/null | head -3)"
    [ "$n" -ge 4 ] || fail "$site: only $n net cells compared"
    compared=$((compared + n))
    "$PRONOSTIC" netsurv "$in" --time time --event event --age age --sex sex --year dx \
        --by period --at $at --standardise icss1 --format csv > "$tmp/std.csv" 2>/dev/null
    n=$(compare "$site" net_std "$tmp/std.csv" 2>&1 >/dev/null) ||
        fail "$site net_std differs from pronostic netsurv --standardise: $(compare "$site" net_std "$tmp/std.csv" 2>/dev/null | head -3)"
    [ "$site" != lung ] || [ "$n" -ge 3 ] || fail "$site: only $n net_std cells compared"
    compared=$((compared + n))
done

# --by sex: trend rows per sex; ovary has women only. (The partition checks read every count:
# run with --no-suppress, which the store, writable here, records.)
"$PRONOSTIC" report --db "$tmp/s.db" --by sex --site ovary --format csv > "$tmp/sex.csv" 2>/dev/null
awk -F, 'NR > 1 && $3 == "male" { exit 1 }' "$tmp/sex.csv" || fail "ovary rows for men"
[ "$(awk -F, '$4 == "trend_p"' "$tmp/sex.csv" | wc -l)" -eq 2 ] || fail "ovary --by sex: trend rows"
"$PRONOSTIC" report --db "$tmp/s.db" --by sex --site lung --no-suppress --format csv > "$tmp/sexl.csv" 2>/dev/null
[ "$(awk -F, '$4 == "trend_p"' "$tmp/sexl.csv" | wc -l)" -eq 3 ] || fail "lung --by sex: trend rows"
# men and women partition everyone
awk -F, '$4 == "observed" && $5 == 1 { n[$2 "," $3] = $9 }
         END { for (k in n) { split(k, a, ","); if (a[2] == "all" && n[k] != n[a[1] ",male"] + n[a[1] ",female"]) exit 1 } }' \
    "$tmp/sexl.csv" || fail "--by sex: men and women do not add up to all"
# --by region adds a region column; --periods and --closing are honoured.
"$PRONOSTIC" report --db "$tmp/s.db" --by region --site lung --format csv > "$tmp/reg.csv" 2>/dev/null
[ "$(head -1 "$tmp/reg.csv")" = "site,period,sex,measure,horizon_years,estimate,lower,upper,n,events,region,suppressed" ] ||
    fail "--by region header: $(head -1 "$tmp/reg.csv")"
"$PRONOSTIC" report --db "$tmp/s.db" --site liver --periods 2004-2008,2009-2013 --closing 2015-06-30 \
    --format csv > "$tmp/per.csv" 2>/dev/null
[ "$(awk -F, 'NR > 1 && $2 != "" { print $2 }' "$tmp/per.csv" | sort -u | tr '\n' ' ')" = "2004-2008 2009-2013 " ] ||
    fail "--periods not honoured"
awk -F, '$2 == "2009-2013" && $5 == 5 && $6 != "" { exit 1 }' "$tmp/per.csv" ||
    fail "--closing 2015-06-30 still gives a 5-year estimate for 2009-2013"
awk -F, '$2 == "2004-2008" && $5 == 5 && $4 == "observed" && $6 == "" { exit 1 }' "$tmp/per.csv" ||
    fail "--closing 2015-06-30: no 5-year estimate for 2004-2008"
"$PRONOSTIC" report --db "$tmp/s.db" --site aml --format json > "$tmp/r.json" 2>/dev/null
grep -q '"measure": *"projection_2030"' "$tmp/r.json" || fail "json output lacks the projection"

# Bad use: exit 1 naming the option; a missing store: exit 2.
expect() {  # code pattern args...
    local code=$1 pat=$2; shift 2
    set +e; "$PRONOSTIC" report "$@" > /dev/null 2> "$tmp/e.txt"; local rc=$?; set -e
    [ "$rc" -eq "$code" ] || fail "report $*: exit $rc, expected $code"
    [ "$(wc -l < "$tmp/e.txt")" -ge 1 ] && grep -q -- "$pat" "$tmp/e.txt" ||
        fail "report $*: message '$(cat "$tmp/e.txt")' lacks '$pat'"
}
expect 1 "'--db'"
expect 1 "'--site'" --db "$tmp/s.db" --site kidney
expect 1 "'--by'" --db "$tmp/s.db" --by age
expect 1 "'--periods'" --db "$tmp/s.db" --periods 2010-2005
expect 1 "'--periods'" --db "$tmp/s.db" --periods 2000-2009,2005-2014
expect 1 "'--closing'" --db "$tmp/s.db" --closing 2020-13-01
expect 2 "nope.db" --db "$tmp/nope.db"
expect 2 "matches the filters" --db "$tmp/s.db" --from 2030 --to 2031
echo "report_demo: ok ($(($(wc -l < "$tmp/r.csv") - 1)) rows; $compared cells equal to surv/netsurv on the SQL extraction)"
