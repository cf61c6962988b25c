#!/usr/bin/env bash
# pathway_demo.sh - `pronostic pathway` on a demo store: every indicator has its rows for the
# seven sites and all; under disclosure control no count from 1 to 9 is shown and every masked
# figure says why; the output does not depend on the number of threads; each breakdown runs;
# the ranges the protected cube cannot answer are refused naming the options; bad options and a
# bad configuration are refused naming the option, file and line.
. tests/integration/lib/common.sh
unset PRONOSTIC_KEY
"$P" demo --out "$tmp/b" --patients 30000 --seed 3 --quiet >/dev/null || fail "demo"
"$P" init --db "$tmp/s.db" >/dev/null && "$P" import "$tmp/b" --db "$tmp/s.db" >/dev/null \
  || fail "import"
run_pn t1 pathway --db "$tmp/s.db" --threads 1 --format csv
[ "$rc" -eq 0 ] || fail "pathway: exit $rc: $(cat "$tmp/t1.err")"
run_pn t2 pathway --db "$tmp/s.db" --threads 2 --format csv
cmp -s "$tmp/t1.out" "$tmp/t2.out" || fail "threads 1 and 2 differ"
run_pn t3 pathway --db "$tmp/s.db" --threads 3 --indicator no_palliative --format csv
grep '^no_palliative,' "$tmp/t1.out" | cmp -s - <(tail -n +2 "$tmp/t3.out") \
  || fail "threads 3 differ, or one indicator asked alone differs from all of them"
head -1 "$tmp/t1.out" | grep -qx 'indicator,site,group,numerator,denominator,estimate,lower,upper,benchmark,suppressed' \
  || fail "header: $(head -1 "$tmp/t1.out")"
# 23 indicators x 8 sites, less surgery for ovary, cns (missing mentions) and aml (none)
[ "$(($(lines "$tmp/t1.out") - 1))" -eq $((23 * 8 - 3)) ] || fail "rows: $(lines "$tmp/t1.out")"
grep -q 'surgery_in_authorised_centre: no authorisation mention known for cns' "$tmp/t1.err" \
  || fail "no warning for the missing mentions: $(cat "$tmp/t1.err")"
grep -q 'disclosure control (k = 10).*audit by linear programming: passed' "$tmp/t1.err" \
  || fail "no audit summary: $(cat "$tmp/t1.err")"
check_protected() {  # no count 1..9, a masked figure has its reason, a shown estimate has counts
  awk -F, 'NR > 1 {
      for (c = 4; c <= 5; c++) if ($c != "" && $c > 0 && $c < 10) { print "count " $0; exit 1 }
      if (($4 == "" || $5 == "" || $6 == "") && $5 != "0" && $10 == "") { print "no reason " $0; exit 1 }
      if ($10 != "" && $10 != "primary" && $10 != "secondary") { print "reason " $0; exit 1 } }' "$1"
}
out=$(check_protected "$tmp/t1.out") || fail "all: $out"
for by in year sex agegroup departement region centre; do
  run_pn by pathway --db "$tmp/s.db" --by "$by" --indicator diagnosis_to_treatment --format csv
  [ "$rc" -eq 0 ] || fail "--by $by: exit $rc: $(cat "$tmp/by.err")"
  grep -q ",$by=" "$tmp/by.out" || fail "--by $by: no group rows"
  out=$(check_protected "$tmp/by.out") || fail "--by $by: $out"
  if [ "$by" = centre ]; then
    grep -q ',primary$' "$tmp/by.out" || fail "--by centre: nothing masked"
    grep -q ',secondary$' "$tmp/by.out" || fail "--by centre: no secondary suppression"
  fi
done
# a region's row is the same whether asked alone (--site) or with every site
run_pn r1 pathway --db "$tmp/s.db" --by region --indicator rupture --format csv
run_pn r2 pathway --db "$tmp/s.db" --by region --site lung --indicator rupture --format csv
grep '^rupture,lung,' "$tmp/r1.out" >"$tmp/r1.lung"
tail -n +2 "$tmp/r2.out" | cmp -s - "$tmp/r1.lung" || fail "the lung rows differ between queries"
# ranges
run_pn cut pathway --db "$tmp/s.db" --by region --from 2011 --to 2016
expect_error cut 1 "--from" "whole periods"
run_pn dep pathway --db "$tmp/s.db" --by departement --from 2015 --to 2019
expect_error dep 1 "--by departement" "whole range"
run_pn yr pathway --db "$tmp/s.db" --by year --from 2011 --to 2016 --indicator icu_last_30d --format csv
[ "$rc" -eq 0 ] || fail "--by year with a range: $(cat "$tmp/yr.err")"
out=$(check_protected "$tmp/yr.out") || fail "--by year range: $out"
# bad options and configuration
run_pn badi pathway --db "$tmp/s.db" --indicator nothing
expect_error badi 1 "--indicator" "nothing"
run_pn badb pathway --db "$tmp/s.db" --by town
expect_error badb 1 "--by" "town"
run_pn badk pathway --db "$tmp/s.db" --min-cell 1
expect_error badk 1 "--min-cell"
run_pn both pathway --db "$tmp/s.db" --min-cell 5 --no-suppress
expect_error both 1 "--no-suppress"
printf 'target_days = 42\nrupture_gap = 60\n' >"$tmp/bad.conf"
run_pn badc pathway --db "$tmp/s.db" --config "$tmp/bad.conf"
expect_error badc 2 "bad.conf:2" "rupture_gap"
run_pn nodb pathway --db "$tmp/none.db"
expect_error nodb 2 "none.db"
# --no-suppress on a store that cannot be written is refused, nothing printed, nothing recorded
# (root ignores file modes: the command then runs as nobody, when setpriv can)
as=()
if [ "$(id -u)" -eq 0 ] && setpriv --reuid=65534 --regid=65534 --clear-groups "$P" --version >/dev/null 2>&1; then
  as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if [ "$(id -u)" -ne 0 ] || [ ${#as[@]} -gt 0 ]; then
  chmod 755 "$tmp"
  cp -r data "$tmp/data" && chmod -R a+rX "$tmp/data"
  ro=$tmp/ro
  mkdir "$ro" && cp "$tmp/s.db" "$tmp/s.db.key" "$ro/"
  [ "$(id -u)" -eq 0 ] && chown -R 65534:65534 "$ro"
  chmod 444 "$ro/s.db"; chmod 400 "$ro/s.db.key"; chmod 555 "$ro"
  before=$(md5sum <"$ro/s.db")
  PRONOSTIC_DATA_DIR=$tmp/data "${as[@]}" "$P" pathway --db "$ro/s.db" --no-suppress \
    --indicator rupture --format csv </dev/null >"$tmp/ro.out" 2>"$tmp/ro.err"
  rc=$?
  expect_error ro 2 "--no-suppress" "for writing"
  [ "$(md5sum <"$ro/s.db")" = "$before" ] || fail "the refused --no-suppress changed the store"
else
  echo "pathway_demo: the read-only case is skipped (running as root, no setpriv)"
fi
# --audit writes the masked cells with their intervals, each at least 10 wide
run_pn aud pathway --db "$tmp/s.db" --indicator rupture --audit "$tmp/audit.csv" --format csv
[ "$rc" -eq 0 ] || fail "--audit: $(cat "$tmp/aud.err")"
head -1 "$tmp/audit.csv" | grep -qx 'count,cell,status,value,min,max' || fail "audit header"
[ "$(lines "$tmp/audit.csv")" -gt 1 ] || fail "audit: no masked cell"
awk -F, 'NR > 1 && ($4 < $5 - 1e-6 || $4 > $6 + 1e-6) { print; exit 1 }' "$tmp/audit.csv" \
  || fail "audit: a true value outside its interval"
finish pathway_demo
