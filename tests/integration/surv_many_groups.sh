#!/usr/bin/env bash
# surv_many_groups.sh - with many groups the reader counts plain rows in batches sorted by group
# (src/analysis/kmread.c); each group's curve must be the one of its rows read alone (one
# group: no batch), byte for byte, with and without weights (fractional weights among the plain
# rows move the aggregate out of its integer counts mid-file), over more rows than one batch,
# and with one or two threads. Also logrank on the same file against --threads 1.
set -u
. tests/integration/lib/common.sh

# 700,000 rows in 40 groups (more than one batch of 2^19 rows); every 997th row has weight 0.3
awk 'BEGIN {
  print "time,status,g,w"; s = 12345;
  for (i = 0; i < 700000; i++) {
    s = (s * 1103515245 + 12345) % 2147483648; t = int(s / 65536) % 3000;
    s = (s * 1103515245 + 12345) % 2147483648; g = int(s / 65536) % 40;
    w = (i % 997 == 0) ? 0.3 : 1;
    printf "%d,%d,g%d,%s\n", t, (int(s / 1024) % 3 == 0), g, w
  }}' >"$tmp/many.csv"

for weights in "" "--weights w"; do
  tag=${weights:+w}
  for t in 1 2; do
    # shellcheck disable=SC2086
    run_pn "all$tag$t" surv "$tmp/many.csv" --time time --event status --by g $weights \
      --format csv --threads "$t"
    [ "$rc" -eq 0 ] || fail "surv $weights --threads $t: exit $rc: $(head -c 300 "$tmp/all$tag$t.err")"
  done
  cmp -s "$tmp/all${tag}1.out" "$tmp/all${tag}2.out" || fail "surv $weights: --threads 2 differs from 1"
  for g in 0 7 39; do
    awk -F, -v g="g$g" 'NR == 1 || $3 == g' "$tmp/many.csv" >"$tmp/one.csv"
    # shellcheck disable=SC2086
    run_pn "one$tag$g" surv "$tmp/one.csv" --time time --event status --by g $weights \
      --format csv --threads 1
    grep -F "g=g$g," "$tmp/all${tag}1.out" >"$tmp/part.csv"
    tail -n +2 "$tmp/one$tag$g.out" >"$tmp/alone.csv"
    [ -s "$tmp/alone.csv" ] || fail "surv $weights: group g$g read alone has no rows"
    cmp -s "$tmp/part.csv" "$tmp/alone.csv" ||
      fail "surv $weights: group g$g's curve among 40 groups differs from its rows read alone"
  done
done
for t in 1 2; do
  run_pn "lr$t" logrank "$tmp/many.csv" --time time --event status --by g --format csv --threads "$t"
  [ "$rc" -eq 0 ] || fail "logrank --threads $t: exit $rc"
done
cmp -s "$tmp/lr1.out" "$tmp/lr2.out" || fail "logrank: --threads 2 differs from 1"
finish surv_many_groups
