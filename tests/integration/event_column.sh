#!/usr/bin/env bash
# event_column.sh - the event column's rules in every command that reads one (surv, logrank,
# cox, netsurv, netsurv-diff, trend): a censoring value that is not a usual code (0, 1, 2,
# alive, censored, any case) is warned about once, naming the value and its rows ("Dead" for
# --event-value dead, "l" typed for "1", a value carrying a byte-order mark); text that is not
# UTF-8 is refused naming its line; a wrong --event column (many distinct values) is refused at
# its second value that is not the event value, without reading on (the file's last row, which
# is ragged, is never reached); a blank event field is missing. Env: PRONOSTIC. Run from the
# repository root.
set -uo pipefail
. tests/integration/lib/common.sh
cmds=(surv logrank cox netsurv netsurv-diff trend)
# extra options per command (the event options are given by the caller)
extra() {
  case $1 in
    surv) ;;
    logrank) echo --by g ;;
    cox) echo --covariates age ;;
    netsurv | trend) echo --age age --sex sex --year diag ;;
    netsurv-diff) echo --age age --sex sex --year diag --by g ;;
  esac
}
# rows: time, event, age, sex, diag, g (the event column filled from the arguments)
cohort() {
  local out=$1; shift
  echo 't,e,age,sex,diag,g' >"$out"
  local i=0 v
  for v in "$@"; do
    i=$((i + 1))
    printf '%d,%s,%d,%d,20%02d-0%d-15,%s\n' $((100 * i)) "$v" $((50 + i)) $((1 + i % 2)) \
      $((5 + i % 9)) $((1 + i % 9)) "$([ $((i % 2)) -eq 0 ] && echo a || echo b)" >>"$out"
  done
}

# 'Dead' for --event-value dead: censored, with one warning naming it and its 3 rows
cohort "$tmp/dead.csv" dead Dead dead Dead dead Dead dead dead
for c in "${cmds[@]}"; do
  # shellcheck disable=SC2046
  run_pn "dead.$c" "$c" "$tmp/dead.csv" --time t --event e --event-value dead $(extra "$c") --format csv
  [ "$rc" -eq 0 ] || fail "dead.$c: exit code $rc ($(cat "$tmp/dead.$c.err"))"
  [ "$(grep -c "read as censored" "$tmp/dead.$c.err")" -eq 1 ] ||
    fail "dead.$c: not one censoring warning: $(cat "$tmp/dead.$c.err")"
  grep -q "pronostic $c: warning: column 'e' of .*dead.csv: 'Dead' (3 rows) is read as censored" \
    "$tmp/dead.$c.err" || fail "dead.$c: warning does not name 'Dead' and 3 rows: $(cat "$tmp/dead.$c.err")"
done
# a typo: 'l' for '1' with R's lung coding (2 = dead)
cohort "$tmp/typo.csv" 2 l 2 l 2 2 l 2
run_pn typo surv "$tmp/typo.csv" --time t --event e --event-value 2
grep -q "'l' (3 rows) is read as censored" "$tmp/typo.err" || fail "typo: $(cat "$tmp/typo.err")"
# a byte-order mark before '1' (a file concatenated after a BOM-headed one): shown as \uFEFF
cohort "$tmp/bom.csv" 2 "$(printf '\xef\xbb\xbf1')" 2 2 "$(printf '\xef\xbb\xbf1')" 2 2 2
run_pn bom cox "$tmp/bom.csv" --time t --event e --event-value 2 --covariates age
grep -qF "'\\uFEFF1' (2 rows) is read as censored" "$tmp/bom.err" || fail "bom: $(cat "$tmp/bom.err")"
# usual codes: no warning (0/1, alive/dead, Censored/DEAD, 1/2 read the other way round)
cohort "$tmp/u1.csv" 1 0 1 0 1 1 0 1
cohort "$tmp/u2.csv" dead alive dead alive dead dead alive dead
cohort "$tmp/u3.csv" DEAD Censored DEAD Censored DEAD DEAD Censored DEAD
cohort "$tmp/u4.csv" 1 2 1 2 1 1 2 1
for u in u1:1 u2:dead u3:DEAD u4:1; do
  run_pn "${u%%:*}" surv "$tmp/${u%%:*}.csv" --time t --event e --event-value "${u##*:}"
  ! grep -q "read as censored" "$tmp/${u%%:*}.err" || fail "${u%%:*}: warned: $(cat "$tmp/${u%%:*}.err")"
done

# not UTF-8: refused at its line (5), by every reader
cohort "$tmp/latin1.csv" 1 0 1 "$(printf 'd\xe9c\xe9d\xe9')" 1 0 1 1
for c in "${cmds[@]}"; do
  # shellcheck disable=SC2046
  run_pn "latin1.$c" "$c" "$tmp/latin1.csv" --time t --event e $(extra "$c")
  expect_error "latin1.$c" 2 "latin1.csv:5" "column 'e'" "not valid UTF-8"
done

# a wrong --event column: the times, 2000 distinct values, then a ragged row the reading must not
# reach; refused at line 3, the second value that is not the event value 1
{ echo 't,e,age,sex,diag,g'
  for i in $(seq 1 2000); do echo "$((100 + i)),$((i % 2)),$((50 + i % 30)),$((1 + i % 2)),2010-05-01,$([ $((i % 2)) -eq 0 ] && echo a || echo b)"; done
  echo '5,1,60'; } >"$tmp/wrong.csv"
for c in "${cmds[@]}"; do
  # shellcheck disable=SC2046
  run_pn "wrong.$c" "$c" "$tmp/wrong.csv" --time t --event t $(extra "$c")
  expect_error "wrong.$c" 2 "wrong.csv:3: column 't': unknown event value '102'" "'101' already means censored"
done

# a blank event field is missing: the row is dropped and counted
printf 't,e\n1,1\n2, \n3,0\n4,1\n' >"$tmp/blank.csv"
run_pn blank surv "$tmp/blank.csv" --time t --event e --format csv
[ "$rc" -eq 0 ] || fail "blank: exit code $rc ($(cat "$tmp/blank.err"))"
grep -q "1 row with missing values dropped" "$tmp/blank.err" || fail "blank: $(cat "$tmp/blank.err")"
run_pn blankcox cox "$tmp/blank.csv" --time t --event e --covariates t --format csv
grep -q "1 row with missing values dropped" "$tmp/blankcox.err" || fail "blankcox: $(cat "$tmp/blankcox.err")"
finish event_column
