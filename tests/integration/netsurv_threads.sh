#!/usr/bin/env bash
# netsurv_threads.sh - the threaded driver of the net-survival states (src/cli/netsurv_threads.c):
# `netsurv` and `trend` with --threads 2 and 3 give the same rows as --threads 1 up to the order
# of the additions (1e-12), the same bytes from one run to the next (the parts are merged in
# their order, whatever the scheduling), and the errors of one thread. Both schemes, delayed
# entry (--period), Brenner's weights and ICSS standardisation. Env: PRONOSTIC, CSVDIFF.
set -uo pipefail
. tests/integration/lib/common.sh
D=${CSVDIFF:?CSVDIFF not set}
data=tests/golden/data/colrec_iso.csv
base=(netsurv "$data" --time time --event stat --age age_days --age-unit days --sex sex
      --year diag --ratetable slopop --format csv)
n=0
for extra in "" "--scheme exact" "--method ederer2" "--by sex" "--period 1997-01-01,1999-12-31" \
             "--scheme exact --period 1997-01-01,1999-12-31" \
             "--standardise icss1 --standardise-method brenner" \
             "--standardise icss1 --at 365.241,1826.205"; do
  n=$((n + 1))
  # shellcheck disable=SC2086
  for t in 1 2 3; do run_pn "c$n.t$t" "${base[@]}" $extra --threads "$t"; [ "$rc" -eq 0 ] || fail "netsurv $extra --threads $t: exit $rc"; done
  # shellcheck disable=SC2086
  run_pn "c$n.again" "${base[@]}" $extra --threads 2
  [ "$(lines "$tmp/c$n.t1.out")" -gt 2 ] || fail "netsurv $extra: no rows"
  cmp -s "$tmp/c$n.t2.out" "$tmp/c$n.again.out" || fail "netsurv $extra --threads 2: two runs differ"
  for t in 2 3; do
    "$D" --abs 1e-12 --rel 0 "$tmp/c$n.t1.out" "$tmp/c$n.t$t.out" >/dev/null ||
      fail "netsurv $extra: --threads $t differs from --threads 1 by more than 1e-12"
  done
done
trend=(trend "$data" --time time --event stat --age age_days --age-unit days --sex sex --year diag
       --ratetable slopop --format csv)
run_pn trend1 "${trend[@]}" --threads 1
run_pn trend2 "${trend[@]}" --threads 2
[ "$(lines "$tmp/trend1.out")" -gt 2 ] || fail "trend: no rows"
"$D" --abs 1e-12 --rel 0 "$tmp/trend1.out" "$tmp/trend2.out" >/dev/null ||
  fail "trend: --threads 2 differs from --threads 1 by more than 1e-12"
# an error met in the parts is the command's error, as with one thread: a follow-up over 10^6
# days with the relsurv scheme (one step per day)
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^"?time"?$/) c = i }
                  NR == 4000 { $c = 2000000 } { print }' "$data" >"$tmp/long.csv"
for t in 1 2; do
  run_pn "long$t" netsurv "$tmp/long.csv" --time time --event stat --age age_days --age-unit days \
    --sex sex --year diag --ratetable slopop --threads "$t" --format csv
  cp "$tmp/long$t.err" "$tmp/long$t.msg"
  expect_error "long$t" 2 "10^6"
done
cmp -s "$tmp/long1.msg" "$tmp/long2.msg" || fail "the error differs with 2 threads: $(cat "$tmp/long2.msg")"
finish netsurv_threads
