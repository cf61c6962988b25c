#!/usr/bin/env bash
# db_surv_cox.sh - `surv --db` and `cox --db` on a small synthetic store give exactly what the
# same subcommands give on the cohort extracted from the store by an independent SQL statement
# (first primary tumour of the site per person, follow-up to the vital-status date cut at the
# closing date, --from/--to on the year of diagnosis); options naming CSV columns are refused
# with --db, and FILE.csv with --db is a usage error. Env: PRONOSTIC, CSVDIFF.
set -uo pipefail
. tests/integration/lib/common.sh
: "${CSVDIFF:?set CSVDIFF}"

"$P" demo --out "$tmp/b" --patients 6000 --seed 21 --quiet > /dev/null
"$P" init --db "$tmp/s.db" 2>/dev/null
"$P" import "$tmp/b" --db "$tmp/s.db" > /dev/null 2>&1 || fail "import failed"

# lung (site 4), diagnosed 2005-2019, closing 2022-06-30
sqlite3 -csv -header "$tmp/s.db" > "$tmp/lung.csv" <<'SQL'
WITH closing AS (SELECT CAST(julianday('2022-06-30') - 2440587.5 AS INTEGER) AS c),
first AS (SELECT t.*, row_number() OVER (PARTITION BY t.pid, t.site
                                         ORDER BY t.diagnosis_date, t.tid) AS k
          FROM tumours t WHERE t.site = 4)
SELECT min(p.vital_status_date, closing.c) - f.diagnosis_date AS time,
       (p.vital_status = 1 AND p.vital_status_date <= closing.c) AS event,
       printf('%.17g', (f.diagnosis_date - p.birth_date) / 365.241) AS age,
       CASE p.sex WHEN 1 THEN 'male' ELSE 'female' END AS sex
FROM first f JOIN patients p ON p.pid = f.pid, closing
WHERE f.k = 1 AND f.diagnosis_date <= closing.c
  AND strftime('%Y', f.diagnosis_date * 86400, 'unixepoch') BETWEEN '2005' AND '2019';
SQL
[ "$(wc -l < "$tmp/lung.csv")" -gt 200 ] || fail "too few lung tumours in the SQL extraction"
sel=(--db "$tmp/s.db" --site lung --from 2005 --to 2019 --closing 2022-06-30)

for extra in "" "--summary" "--at 365.241,1826.205" "--method fh --conf-type log-log"; do
    # shellcheck disable=SC2086
    "$P" surv "${sel[@]}" --by sex $extra --format csv > "$tmp/db.csv" 2>/dev/null ||
        fail "surv --db $extra failed"
    # shellcheck disable=SC2086
    "$P" surv "$tmp/lung.csv" --time time --event event --by sex $extra --format csv \
        > "$tmp/ref.csv" 2>/dev/null
    "$CSVDIFF" --abs 0 --rel 0 "$tmp/ref.csv" "$tmp/db.csv" > /dev/null ||
        fail "surv --db $extra differs from surv on the SQL extraction"
done

"$P" cox "${sel[@]}" --covariates age,sex --factor sex --format csv > "$tmp/db.csv" 2>/dev/null ||
    fail "cox --db failed"
"$P" cox "$tmp/lung.csv" --time time --event event --covariates age,sex --factor sex \
    --format csv > "$tmp/ref.csv" 2>/dev/null
"$CSVDIFF" --abs 0 --rel 1e-12 "$tmp/ref.csv" "$tmp/db.csv" > /dev/null ||
    fail "cox --db differs from cox on the SQL extraction"
grep -q '^sexmale,' "$tmp/db.csv" || fail "cox --db: no sexmale term"

# --time-unit: the store's days reported in years, --at read in years
"$P" surv "${sel[@]}" --at 365.241,1826.205 --format csv > "$tmp/days.csv" 2>/dev/null
"$P" surv "${sel[@]}" --time-unit years --at 1,5 --format csv > "$tmp/years.csv" 2>/dev/null
[ "$(cut -d, -f2 "$tmp/years.csv" | tail -n +2 | tr '\n' ' ')" = "1 5 " ] || fail "surv --time-unit years: times $(cut -d, -f2 "$tmp/years.csv")"
[ "$(cut -d, -f1,3- "$tmp/days.csv")" = "$(cut -d, -f1,3- "$tmp/years.csv")" ] || fail "surv --time-unit years differs from days"
run_pn unit surv "${sel[@]}" --time-unit weeks
expect_error unit 1 "'--time-unit'"
run_pn nsage netsurv "${sel[@]}" --age age
expect_error nsage 1 "'--age' names a CSV column"
run_pn time surv "${sel[@]}" --time time
expect_error time 1 "'--time' names a CSV column"
run_pn weights cox "${sel[@]}" --covariates age --weights w
expect_error weights 1 "'--weights'"
run_pn both surv "$tmp/lung.csv" "${sel[@]}"
expect_error both 1 "not both"
run_pn site surv --db "$tmp/s.db" --site lungs
expect_error site 1 "'--site'"
finish db_surv_cox
