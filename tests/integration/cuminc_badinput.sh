#!/usr/bin/env bash
# cuminc_badinput.sh - `pronostic cuminc` on malformed input and wrong options: each case must
# exit with the code of docs/interfaces.md 1 (1 for a usage error or a missing column, 2 for bad
# data), print exactly one line on stderr naming the file, the line and the column (or the
# option), write nothing on stdout, and never crash.
# Env: PRONOSTIC. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh

bad() {
  local name=$1 code=$2 pattern=$3 text=$4; shift 4
  printf '%b' "$text" >"$tmp/$name.csv"
  "$P" cuminc "$tmp/$name.csv" --time t --status s "$@" --format csv </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"
  local rc=$?
  [ "$rc" -lt 128 ] || fail "$name: crashed (exit $rc)"
  [ "$rc" -eq "$code" ] || fail "$name: exit code $rc, expected $code ($(head -c 300 "$tmp/$name.err"))"
  [ "$(wc -l <"$tmp/$name.err")" -eq 1 ] || fail "$name: stderr is not one line: $(head -c 300 "$tmp/$name.err")"
  grep -Eq -- "$pattern" "$tmp/$name.err" || fail "$name: stderr '$(head -c 300 "$tmp/$name.err")' does not match '$pattern'"
  [ ! -s "$tmp/$name.out" ] || fail "$name: wrote to stdout"
}

bad nocol 1 "column 's' not found in .*nocol.csv" 't,e\n1,1\n'
bad nocol_by 1 "column 'arm' not found" 't,s\n1,1\n' --by arm
bad nocol_entry 1 "column 'start' not found" 't,s\n1,1\n' --entry start
bad text_time 2 "text_time.csv:3: column 't': 'abc' is not a number" 't,s\n1,1\nabc,0\n'
bad negative_time 2 "negative_time.csv:4: column 't': negative time -3" 't,s\n1,1\n2,0\n-3,2\n'
bad entry_after 2 "entry_after.csv:3: column 'a': entry time 5 is not before the exit time 2" \
  't,s,a\n3,1,0\n2,0,5\n' --entry a
bad entry_equal 2 "entry_equal.csv:2: column 'a': entry time 2 is not before the exit time 2" \
  't,s,a\n2,1,2\n' --entry a
bad only_censor 2 "only_censor.csv: column 's': no event: every value is the censoring value '0'" \
  't,s\n1,0\n2,0\n'
bad only_censor_text 2 "column 's': no event: every value is the censoring value 'alive'" \
  't,s\n1,alive\n2,alive\n' --censor-value alive
bad all_missing 2 "all_missing.csv: no row left" 't,s\n1,\n2,NA\n'
bad not_utf8 2 "not_utf8.csv:3: column 's': not valid UTF-8" 't,s\n1,1\n2,\xff\n'
bad ragged 2 "ragged.csv:3: column 3: " 't,s\n1,1\n2,0,5\n'
bad gray_one_group 2 "Gray's test needs at least 2 groups" 't,s,g\n1,1,a\n2,2,a\n' --by g --test gray
bad gray_no_by 1 "option '--test gray' needs '--by'" 't,s\n1,1\n' --test gray
bad gray_entry 1 "option '--entry' does not apply to '--test gray'" 't,s,g,a\n1,1,a,0\n' --by g --entry a --test gray
bad test_other 1 "option '--test': 'logrank' is not gray" 't,s,g\n1,1,a\n' --by g --test logrank
bad strata_alone 1 "option '--strata' applies to '--test gray' only" 't,s,g\n1,1,a\n' --strata g
bad at_text 1 "option '--at': 'x' is not a list of numbers" 't,s\n1,1\n' --at x
bad at_negative 1 "option '--at': time -1 is not a finite" 't,s\n1,1\n' --at 1,-1
bad conf 1 "option '--conf': 2 is not between 0 and 1" 't,s\n1,1\n' --conf 2
bad empty 2 "empty.csv" ''

finish cuminc_badinput
