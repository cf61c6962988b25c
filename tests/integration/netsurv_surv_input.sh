#!/usr/bin/env bash
# netsurv_surv_input.sh - `netsurv`, `netsurv-diff` and `trend` read time and event as `surv`
# does (survinput.h rules shared by netsurv_cli.c): the same inputs refused with the same
# one-line message and exit code (a third event value, a negative time, a time that is not a
# number, a ragged row), and the same inputs accepted with the same rows ("2.0" means the event
# value "2", blank and NA fields drop the row): the curves' time, n_risk, n_event and n_censor
# columns are equal. Env: PRONOSTIC. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
N=(--age age --sex sex --year diag)

# same_error NAME CODE PATTERN CSV-TEXT [options]: surv and each net-survival command exit with
# CODE and print one identical line (after "pronostic CMD: ") matching PATTERN
same_error() {
  local name=$1 code=$2 pattern=$3 text=$4; shift 4
  printf '%b' "$text" >"$tmp/$name.csv"
  "$P" surv "$tmp/$name.csv" --time t --event e "$@" --format csv </dev/null >"$tmp/s.out" 2>"$tmp/s.err"
  local rc=$?
  [ "$rc" -eq "$code" ] || fail "$name: surv exit $rc, expected $code ($(cat "$tmp/s.err"))"
  grep -Eq -- "$pattern" "$tmp/s.err" || fail "$name: surv said '$(cat "$tmp/s.err")', not '$pattern'"
  local want
  want=$(sed 's/^pronostic surv: //' "$tmp/s.err")
  for cmd in netsurv netsurv-diff trend; do
    local extra=()
    [ "$cmd" = netsurv-diff ] && extra=(--by g)
    "$P" "$cmd" "$tmp/$name.csv" --time t --event e "${N[@]}" "${extra[@]}" "$@" --format csv \
      </dev/null >"$tmp/n.out" 2>"$tmp/n.err"
    rc=$?
    [ "$rc" -eq "$code" ] || fail "$name: $cmd exit $rc, expected $code ($(cat "$tmp/n.err"))"
    [ "$(wc -l <"$tmp/n.err")" -eq 1 ] || fail "$name: $cmd stderr is not one line: $(cat "$tmp/n.err")"
    [ "$(sed "s/^pronostic $cmd: //" "$tmp/n.err")" = "$want" ] ||
      fail "$name: $cmd said '$(cat "$tmp/n.err")', surv said '$(cat "$tmp/s.err")'"
    [ ! -s "$tmp/n.out" ] || fail "$name: $cmd wrote to stdout"
  done
}

row() { printf '%s,%s,%s,%s,%s,%s\n' "$@"; }
H='t,e,age,sex,diag,g\n'
same_error third_value 2 "third_value.csv:5: column 'e': unknown event value '2' \(the event value is '1' and '0'" \
  "${H}400,1,64,male,2010-03-01,a\n900,0,70,female,2012-06-15,b\n2500,0,55,F,2016-01-10,a\n120,2,71,1,2009-09-09,b\n"
same_error third_word 2 "third_word.csv:3: column 'e': unknown event value 'dead'" \
  "${H}400,alive,64,male,2010-03-01,a\n900,dead,70,female,2012-06-15,b\n2500,censored,55,F,2016-01-10,a\n" \
  --event-value censored
same_error negative 2 "negative.csv:3: column 't': negative time -5" \
  "${H}400,1,64,male,2010-03-01,a\n-5,0,70,female,2012-06-15,b\n"
same_error negative_in_dropped_row 2 "negative_in_dropped_row.csv:3: column 't': negative time -5" \
  "${H}400,1,64,male,2010-03-01,a\n-5,,70,female,2012-06-15,b\n"
same_error text_time 2 "text_time.csv:2: column 't': 'abc' is not a number" \
  "${H}abc,1,64,male,2010-03-01,a\n900,0,70,female,2012-06-15,b\n"
same_error ragged 2 "ragged.csv:3: " "${H}400,1,64,male,2010-03-01,a\n900,0,70,female,2012-06-15\n"

# accepted: "2.0" is the event value 2, "0" and blank/NA drop as in surv; the risk sets agree
cat >"$tmp/ok.csv" <<'CSV'
t,e,age,sex,diag,g
400,2.0,64.5,male,2010-03-01,a
900,0,70,female,2012-06-15,b
2500,0,55,F,2016-01-10,a
120,2,71,1,2009-09-09,b
,2,71,1,2009-09-09,b
700,NA,80,2,2011-11-30,a
300,2,66,M,2012-05-05,b
300,0,67,F,2013-05-05,a
1500,2,72,female,2011-02-03,a
CSV
"$P" surv "$tmp/ok.csv" --time t --event e --event-value 2 --format csv >"$tmp/s.csv" 2>"$tmp/s.err" ||
  fail "ok: surv failed: $(cat "$tmp/s.err")"
"$P" netsurv "$tmp/ok.csv" --time t --event e --event-value 2 "${N[@]}" --format csv >"$tmp/n.csv" \
  2>"$tmp/n.err" || fail "ok: netsurv failed: $(cat "$tmp/n.err")"
cut -d, -f2-5 "$tmp/s.csv" >"$tmp/s.cols"
cut -d, -f2-5 "$tmp/n.csv" >"$tmp/n.cols"
cmp -s "$tmp/s.cols" "$tmp/n.cols" || fail "ok: netsurv's risk sets differ from surv's: $(diff "$tmp/s.cols" "$tmp/n.cols" | head -5)"
[ "$(awk -F, 'NR > 1 { d += $4 } END { print d }' "$tmp/n.csv")" = 4 ] ||
  fail "ok: netsurv counted $(awk -F, 'NR > 1 { d += $4 } END { print d }' "$tmp/n.csv") deaths, expected 4"
grep -q "pronostic surv: 2 rows with missing values dropped" "$tmp/s.err" || fail "ok: surv drop count: $(cat "$tmp/s.err")"
grep -q "pronostic netsurv: 2 rows with missing values dropped" "$tmp/n.err" || fail "ok: netsurv drop count: $(cat "$tmp/n.err")"

# --by with more than four columns (no fixed limit): the strata and their rows are surv's
# (five distinct columns, copies of g and sex: a column listed twice is a usage error)
awk -F, -v OFS=, '{ print $0, (NR == 1 ? "g2" : $6), (NR == 1 ? "s2" : $4), (NR == 1 ? "g3" : $6) }' \
  "$tmp/ok.csv" >"$tmp/ok5.csv"
"$P" surv "$tmp/ok5.csv" --time t --event e --event-value 2 --by g,sex,g2,s2,g3 --format csv \
  >"$tmp/sby.csv" 2>/dev/null || fail "by: surv failed"
"$P" netsurv "$tmp/ok5.csv" --time t --event e --event-value 2 "${N[@]}" --by g,sex,g2,s2,g3 \
  --format csv >"$tmp/by.csv" 2>"$tmp/by.err" || fail "by: netsurv failed: $(cat "$tmp/by.err")"
# the stratum label is quoted (it holds commas): compare label, time and counts
split() { sed -E 's/^("[^"]*"),([^,]*),([^,]*),([^,]*),([^,]*),.*/\1 \2 \3 \4 \5/' "$1"; }
[ "$(split "$tmp/sby.csv")" = "$(split "$tmp/by.csv")" ] ||
  fail "by: strata differ from surv's: $(diff <(split "$tmp/sby.csv") <(split "$tmp/by.csv") | head -4)"
[ "$(grep -c '^"g=' "$tmp/by.csv")" -ge 4 ] || fail "by: expected rows of several strata: $(cat "$tmp/by.csv")"
"$P" netsurv "$tmp/ok.csv" --time t --event e "${N[@]}" --by g,,sex >/dev/null 2>"$tmp/by2.err"
[ $? -eq 1 ] && grep -q "option '--by': empty item" "$tmp/by2.err" || fail "by: empty item not refused: $(cat "$tmp/by2.err")"

finish netsurv_surv_input
