#!/usr/bin/env bash
# surv_badinput.sh - `pronostic surv` on malformed input: each case must exit with the code of
# docs/interfaces.md 1 (1 for a missing column, 2 for bad data), print exactly one line on stderr
# naming the file, the line and the column, write nothing on stdout, and never crash.
# Env: PRONOSTIC. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh

# bad NAME CODE PATTERN CSV-TEXT [extra options]: write the file, run, check
bad() {
  local name=$1 code=$2 pattern=$3 text=$4; shift 4
  printf '%b' "$text" >"$tmp/$name.csv"
  check "$name" "$code" "$pattern" "$tmp/$name.csv" "$@"
}
check() {
  local name=$1 code=$2 pattern=$3 file=$4; shift 4
  "$P" surv "$file" --time t --event e "$@" --format csv </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"
  local rc=$?
  [ "$rc" -lt 128 ] || fail "$name: crashed (exit $rc)"
  [ "$rc" -eq "$code" ] || fail "$name: exit code $rc, expected $code ($(head -c 300 "$tmp/$name.err"))"
  [ "$(wc -l <"$tmp/$name.err")" -eq 1 ] || fail "$name: stderr is not one line: $(head -c 300 "$tmp/$name.err")"
  grep -Eq -- "$pattern" "$tmp/$name.err" || fail "$name: stderr '$(head -c 300 "$tmp/$name.err")' does not match '$pattern'"
  [ ! -s "$tmp/$name.out" ] || fail "$name: wrote to stdout"
}

bad nocol 1 "column 'e' not found in .*nocol.csv" 't,status\n1,1\n'
bad nocol_by 1 "column 'arm' not found" 't,e\n1,1\n' --by arm
bad nocol_entry 1 "column 'start' not found" 't,e\n1,1\n' --entry start
bad text_time 2 "text_time.csv:3: column 't': 'abc' is not a number" 't,e\n1,1\nabc,0\n'
bad negative_time 2 "negative_time.csv:4: column 't': negative time -3" 't,e\n1,1\n2,0\n-3,1\n'
bad unknown_event 2 "unknown_event.csv:4: column 'e': unknown event value '2'" 't,e\n1,1\n2,0\n3,2\n4,2\n'
bad unknown_event_value 2 "unknown_event_value.csv:3: column 'e': unknown event value 'dead'" \
  't,e\n1,alive\n2,dead\n3,censored\n' --event-value censored
bad ragged_long 2 "ragged_long.csv:3: column 3: " 't,e\n1,1\n2,0,5\n'
bad ragged_short 2 "ragged_short.csv:4: column 'e': " 't,e\n1,1\n2,0\n3\n'
bad entry_after 2 "entry_after.csv:3: column 'a': entry time 5 is not before the exit time 2" \
  't,e,a\n3,1,0\n2,0,5\n' --entry a
bad negative_weight 2 "negative_weight.csv:2: column 'w': negative weight -1" 't,e,w\n1,1,-1\n' --weights w
bad text_weight 2 "text_weight.csv:2: column 'w': 'one' is not a number" 't,e,w\n1,1,one\n' --weights w
bad quote 2 "quote.csv:3" 't,e\n1,1\n"2,0\n'
bad empty 2 "empty.csv" ''
check nofile 2 "no-such-file.csv" "$tmp/no-such-file.csv"

# a 100 MB single line: refused with file, line and column, in bounded memory
{ printf 't,e\n1,1\n2,'; head -c 104857600 /dev/zero | tr '\0' '9'; printf '\n'; } >"$tmp/huge.csv"
check huge 2 "huge.csv:3: column e" "$tmp/huge.csv"
rm -f "$tmp/huge.csv"

finish surv_badinput
