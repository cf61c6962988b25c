#!/usr/bin/env bash
# import_dbselect.sh - `surv`, `cox` and `netsurv` with `--db --site` give the same results as
# with the CSV that an independent SQL query writes from the same store by the documented rules
# (docs/methods.md "Cohort extraction"): first primary per person and site, time from diagnosis
# to the vital-status date cut at the closing date, death counted up to the closing date.
# (db_surv_cox.sh checks surv and cox on a demo store; this adds netsurv and every filter.)
set -uo pipefail
: "${PRONOSTIC:?}" "${CSVDIFF:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
unset PRONOSTIC_KEY
export PRONOSTIC_TODAY=2025-01-01

bash bench/import/gen_bundle.sh "$tmp/b" 3000 1 5 || fail "generator"
"$PRONOSTIC" init --db "$tmp/s.db" 2>/dev/null || fail "init"
"$PRONOSTIC" import "$tmp/b" --db "$tmp/s.db" --format csv >/dev/null 2>&1 || fail "import"

closing=2022-12-31
# the lung selection, by SQL: first lung tumour per person (earliest diagnosis, then row id),
# then the filters given as $1 (an SQL condition on t and p)
export_csv() {
  sqlite3 -header -csv "$tmp/s.db" "
    WITH c AS (SELECT julianday('$closing') - 2440587.5 AS d),
    first AS (SELECT t.* FROM tumours t WHERE t.site = 4 AND t.tid = (
      SELECT t2.tid FROM tumours t2 WHERE t2.pid = t.pid AND t2.site = 4
      ORDER BY t2.diagnosis_date, t2.tid LIMIT 1))
    SELECT min(p.vital_status_date, c.d) - t.diagnosis_date AS time,
           (p.vital_status = 1 AND p.vital_status_date <= c.d) AS status,
           printf('%.17g', (t.diagnosis_date - p.birth_date) / 365.241) AS age,
           CASE p.sex WHEN 1 THEN 'male' ELSE 'female' END AS sex,
           date(t.diagnosis_date * 86400, 'unixepoch') AS dx
    FROM first t JOIN patients p ON p.pid = t.pid, c
    WHERE t.diagnosis_date <= c.d AND ($1)
    ORDER BY t.pid"
}
export_csv "1" >"$tmp/all.csv"
n=$(($(wc -l <"$tmp/all.csv") - 1))
[ "$n" -gt 200 ] || fail "only $n rows in the lung selection"

run_both() { # name, --db filters, SQL condition, analysis arguments...
  local name=$1 filters=$2 cond=$3; shift 3
  export_csv "$cond" >"$tmp/$name.csv"
  # shellcheck disable=SC2086
  "$PRONOSTIC" "$@" --db "$tmp/s.db" --site lung --closing "$closing" $filters --format csv \
      >"$tmp/$name.db.out" 2>"$tmp/$name.db.err" || fail "$name --db: $(cat "$tmp/$name.db.err")"
  local a=("$@")
  case ${a[0]} in
    surv|cox) "$PRONOSTIC" "${a[0]}" "$tmp/$name.csv" --time time --event status "${a[@]:1}" \
                  --format csv >"$tmp/$name.csv.out" 2>"$tmp/$name.csv.err" ;;
    netsurv) "$PRONOSTIC" netsurv "$tmp/$name.csv" --time time --event status --age age \
                  --sex sex --year dx "${a[@]:1}" --format csv >"$tmp/$name.csv.out" 2>"$tmp/$name.csv.err" ;;
  esac || fail "$name csv: $(cat "$tmp/$name.csv.err")"
  "$CSVDIFF" --abs 1e-9 --rel 1e-9 "$tmp/$name.csv.out" "$tmp/$name.db.out" || fail "$name: --db and CSV differ"
  [ "$(wc -l <"$tmp/$name.db.out")" -gt 1 ] || fail "$name: empty output"
}

run_both km "" "1" surv --by sex --at 90,365,1826
run_both kmsum "" "1" surv --summary
run_both period "--from 2010 --to 2015" "strftime('%Y', t.diagnosis_date * 86400, 'unixepoch') BETWEEN '2010' AND '2015'" surv --at 365
run_both female "--sex female" "p.sex = 2" surv --at 365
run_both dep "--departement 31" "p.residence = '31'" surv --at 365
run_both region "--region Occitanie" "p.residence IN ('09','11','12','30','31','32','34','46','48','65','66','81','82')" surv --at 365
run_both ages "--ages 65-75" "(t.diagnosis_date - p.birth_date) / 365.241 >= 65 AND (t.diagnosis_date - p.birth_date) / 365.241 < 75" surv --at 365
run_both cox "" "1" cox --covariates age,sex --factor sex
run_both net "" "1" netsurv --at 365,1826
echo "ok ($n lung tumours)"
