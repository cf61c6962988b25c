#!/usr/bin/env bash
# report_disclosure.sh - disclosure control of `pronostic report` (docs/interfaces.md 1.4): by
# default counts from 1 to K-1 are masked and the row says `primary`, more cells are masked
# (`secondary`) and a masked count's estimate is empty; the same cell gets the same status
# whatever the query (--by sex, --by region, --site), since the cube is protected once, so two
# reports cannot be differenced to undo a mask; --min-cell moves the threshold; --no-suppress
# shows everything and first writes an audit row (who: the user name; when; what: the command
# line) into the store's audit table, and is refused (exit 2, nothing on stdout, nothing
# written) when the store cannot be opened for writing. Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
. tests/integration/lib/store_reads.sh
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

demo_store "$tmp/w" || fail "demo store"
db=$tmp/w/s.db
run_pn def report --db "$db" --format csv
[ "$rc" -eq 0 ] || fail "report: exit $rc: $(head -c 300 "$tmp/def.err")"
[ "$(head -1 "$tmp/def.out")" = "site,period,sex,measure,horizon_years,estimate,lower,upper,n,events,suppressed" ] ||
  fail "header: $(head -1 "$tmp/def.out")"

# the same cells in three queries: the rows of everyone (sex all, region all) of the default
# report, of --by sex and of --by region, and lung's rows of --site lung, are the same lines
run_pn sex report --db "$db" --by sex --format csv
run_pn reg report --db "$db" --by region --format csv
run_pn lung report --db "$db" --by sex --site lung --format csv
awk -F, 'NR > 1 && $2 != "" && $3 == "all"' "$tmp/def.out" > "$tmp/all_def"
awk -F, 'NR > 1 && $2 != "" && $3 == "all"' "$tmp/sex.out" > "$tmp/all_sex"
cmp -s "$tmp/all_def" "$tmp/all_sex" || fail "--by sex masks the rows of everyone differently"
# --by region: compare the n, events and status of every row of everyone
cut -d, -f1-10 "$tmp/all_def" > "$tmp/a"; awk -F, 'NR > 1 && $2 != "" && $11 == "all"' "$tmp/reg.out" | cut -d, -f1-10 > "$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "--by region masks the rows of everyone differently"
awk -F, '$1 == "lung" && $2 != ""' "$tmp/sex.out" > "$tmp/lung_all"
awk -F, 'NR > 1 && $2 != ""' "$tmp/lung.out" > "$tmp/lung_only"
cmp -s "$tmp/lung_all" "$tmp/lung_only" || fail "--site lung masks lung's rows differently from the seven sites' report"

# what is masked and why, over --by region (small cells)
awk -F, 'NR > 1 {
    if ($12 == "primary") p++; else if ($12 == "secondary") s++; else if ($12 != "") { print "status " $12; bad = 1 }
    if ($12 == "" && ($9 == "" || $10 == "")) { print "empty count, no reason: " $0; bad = 1 }
    if ($9 != "" && $9 + 0 >= 1 && $9 + 0 < 10) { print "n shown: " $0; bad = 1 }
    if ($10 != "" && $10 + 0 >= 1 && $10 + 0 < 10) { print "events shown: " $0; bad = 1 }
    if ($12 != "" && $6 != "") { print "estimate of a masked row: " $0; bad = 1 }
} END { if (p < 1 || s < 1) { print "primary " p ", secondary " s; bad = 1 } exit bad }' "$tmp/reg.out" > "$tmp/chk" ||
  fail "--by region: $(head -3 "$tmp/chk")"

# --min-cell: a lower threshold masks fewer rows, 1 none at all
run_pn k5 report --db "$db" --by region --min-cell 5 --format csv
run_pn k1 report --db "$db" --by region --min-cell 1 --format csv
m10=$(awk -F, 'NR > 1 && $12 != ""' "$tmp/reg.out" | wc -l)
m5=$(awk -F, 'NR > 1 && $12 != ""' "$tmp/k5.out" | wc -l)
m1=$(awk -F, 'NR > 1 && $12 != ""' "$tmp/k1.out" | wc -l)
[ "$m5" -lt "$m10" ] && [ "$m1" -eq 0 ] || fail "--min-cell: $m10 masked rows at 10, $m5 at 5, $m1 at 1"
run_pn k0 report --db "$db" --min-cell 0
expect_error k0 1 "'--min-cell'"

# --no-suppress: recorded first, then every figure
[ "$(sqlite3 "$db" 'SELECT count(*) FROM audit')" = 0 ] || fail "audit rows before any --no-suppress"
t0=$(date -u +%s)
run_pn ns report --db "$db" --by region --no-suppress --format csv
[ "$rc" -eq 0 ] || fail "--no-suppress: exit $rc: $(head -c 300 "$tmp/ns.err")"
awk -F, 'NR > 1 && $12 != ""' "$tmp/ns.out" | grep -q . && fail "--no-suppress still masks"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM audit')" = 1 ] || fail "no audit row after --no-suppress"
IFS='|' read -r at who action detail < <(sqlite3 "$db" 'SELECT at, who, action, detail FROM audit')
[ "$who" = "$(id -un)" ] || fail "audit who: '$who', expected $(id -un)"
[ "$action" = no-suppress ] || fail "audit action: '$action'"
[ "$detail" = "pronostic report --db $db --by region --no-suppress --format csv" ] ||
  fail "audit detail: '$detail'"
ts=$(date -u -d "$at" +%s 2>/dev/null) || fail "audit time '$at' is not a date"
[ "${ts:-0}" -ge $((t0 - 5)) ] && [ "${ts:-0}" -le $(($(date -u +%s) + 5)) ] || fail "audit time '$at' is not now"
# and the masked figures of the default were the true ones
awk -F, 'NR == FNR { if (FNR > 1) v[$1 FS $2 FS $3 FS $4 FS $5 FS $11] = $9; next }
         FNR > 1 && $12 == "" && $9 != "" && v[$1 FS $2 FS $3 FS $4 FS $5 FS $11] != $9 { bad = 1 }
         END { exit bad }' "$tmp/ns.out" "$tmp/reg.out" || fail "a published n differs from the unmasked one"

# without a writable store: refused, nothing printed, nothing recorded. Root ignores file
# modes: the command then runs as nobody.
as=()
if [ "$(id -u)" -eq 0 ]; then
  if setpriv --reuid=65534 --regid=65534 --clear-groups "$P" --version >/dev/null 2>&1; then
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  else
    echo "report_disclosure: the read-only case is skipped (running as root, no setpriv)"
  fi
fi
if [ "$(id -u)" -ne 0 ] || [ ${#as[@]} -gt 0 ]; then
  chmod 755 "$tmp"
  cp -r "$(dirname "$0")/../../data" "$tmp/data" && chmod -R a+rX "$tmp/data"
  export PRONOSTIC_DATA_DIR=$tmp/data
  ro=$tmp/ro
  mkdir "$ro" && cp "$db" "$db.key" "$ro/"
  [ "$(id -u)" -eq 0 ] && chown -R 65534:65534 "$ro"
  chmod 444 "$ro/s.db"; chmod 400 "$ro/s.db.key"; chmod 555 "$ro"
  before=$(md5sum < "$ro/s.db")
  "${as[@]}" "$P" report --db "$ro/s.db" --no-suppress --format csv </dev/null >"$tmp/nsro.out" 2>"$tmp/nsro.err"
  rc=$?
  expect_error nsro 2 "--no-suppress" "for writing"
  [ "$(md5sum < "$ro/s.db")" = "$before" ] || fail "the refused --no-suppress changed the store"
  # the same store still gives the protected report
  "${as[@]}" "$P" report --db "$ro/s.db" --format csv </dev/null >"$tmp/ro.out" 2>/dev/null ||
    fail "report on the read-only store failed"
  cmp -s "$tmp/ro.out" "$tmp/def.out" || fail "the read-only store's report differs"
fi
finish report_disclosure
