#!/usr/bin/env bash
# cli_conventions.sh - the command-line conventions of INTERFACES.md 1 for every subcommand:
# --version, help, SUBCOMMAND --help, unknown options and missing values (exit 1, one line naming
# the option), unknown subcommands, and --format csv|json|table on logrank's output.
# Env: PRONOSTIC (the binary). Run from the repository root.
set -uo pipefail
P=${PRONOSTIC:?PRONOSTIC not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# call NAME ARGS...: run pronostic with ARGS (stdin from /dev/null); sets rc; output in $tmp/NAME.*
call() {
  local name=$1; shift
  "$P" "$@" </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"
  rc=$?
}
lines() { wc -l <"$1" | tr -d ' '; }
# usage_error NAME WORD: exit 1, stderr one line that contains WORD, stdout empty
usage_error() {
  [ "$rc" -eq 1 ] || fail "$1: exit code $rc, expected 1 (stderr: $(head -c 300 "$tmp/$1.err"))"
  [ "$(lines "$tmp/$1.err")" -eq 1 ] || fail "$1: stderr is not one line: $(head -c 300 "$tmp/$1.err")"
  grep -qF -- "$2" "$tmp/$1.err" || fail "$1: stderr does not name '$2': $(head -c 300 "$tmp/$1.err")"
  [ ! -s "$tmp/$1.out" ] || fail "$1: wrote to stdout on a usage error"
}

# --version and version
call version --version
[ "$rc" -eq 0 ] || fail "--version: exit code $rc"
grep -Eq '^pronostic [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/version.out" || fail "--version: got '$(cat "$tmp/version.out")'"

# help: lists the subcommands on stdout, exit 0
call help help
[ "$rc" -eq 0 ] || fail "help: exit code $rc"
grep -q '^subcommands:' "$tmp/help.out" || fail "help: no 'subcommands:' section"
mapfile -t cmds < <(sed -n '/^subcommands:/,/^$/p' "$tmp/help.out" | awk 'NF >= 2 && /^  / {print $1}')
[ "${#cmds[@]}" -ge 1 ] || fail "help: lists no subcommand"
grep -q 'logrank' "$tmp/help.out" || fail "help: does not list logrank"

# no argument: usage on stderr, exit 1; an unknown subcommand: exit 1, one line naming it
call noargs
[ "$rc" -eq 1 ] || fail "no arguments: exit code $rc, expected 1"
[ ! -s "$tmp/noargs.out" ] || fail "no arguments: wrote to stdout"
call unknown no-such-subcommand
usage_error unknown "no-such-subcommand"

for c in "${cmds[@]}"; do
  # SUBCOMMAND --help and help SUBCOMMAND: usage on stdout, exit 0
  call "$c.help" "$c" --help
  [ "$rc" -eq 0 ] || fail "$c --help: exit code $rc"
  grep -q "^usage: pronostic $c" "$tmp/$c.help.out" || fail "$c --help: no 'usage: pronostic $c' line"
  grep -q -- '--format' "$tmp/$c.help.out" || fail "$c --help: does not document --format"
  call "$c.help2" help "$c"
  [ "$rc" -eq 0 ] || fail "help $c: exit code $rc"
  cmp -s "$tmp/$c.help.out" "$tmp/$c.help2.out" || fail "help $c differs from $c --help"
  # an unknown option, an unknown short option, a missing value, a bad --format value
  call "$c.unk" "$c" --no-such-option
  usage_error "$c.unk" "--no-such-option"
  call "$c.unk2" "$c" --no-such-option=3
  usage_error "$c.unk2" "--no-such-option"
  call "$c.short" "$c" -z
  usage_error "$c.short" "-z"
  call "$c.noval" "$c" --format
  usage_error "$c.noval" "--format"
  call "$c.badfmt" "$c" --format xml
  usage_error "$c.badfmt" "--format"
  # every option of the help that takes a value, given last without it
  while read -r opt; do
    call "$c.noval.$opt" "$c" "--$opt"
    usage_error "$c.noval.$opt" "--$opt"
  done < <(awk '/^  --[a-z0-9-]+ [^ ]/ {sub(/^  --/, ""); print $1}' "$tmp/$c.help.out")
done

# logrank: missing values of its options, a flag given a value
call lr.notime logrank tests/golden/data/ovarian.csv --event fustat --by rx --time
usage_error lr.notime "--time"

# --format csv, json and table on logrank's output, and the default (csv when not a terminal)
args=(logrank tests/golden/data/ovarian.csv --time futime --event fustat --by rx)
call csv "${args[@]}" --format csv
[ "$rc" -eq 0 ] || fail "logrank --format csv: exit code $rc"
[ "$(head -n 1 "$tmp/csv.out")" = "group,n,observed,expected,chisq,df,p" ] || fail "csv: bad header"
[ "$(lines "$tmp/csv.out")" -eq 4 ] || fail "csv: expected 4 lines"
grep -q '^rx=1,13,7,' "$tmp/csv.out" || fail "csv: no row 'rx=1,13,7,...'"
grep -Eq '^test,,,,[0-9.e-]+,1,[0-9.e-]+$' "$tmp/csv.out" || fail "csv: bad test row: $(tail -n 1 "$tmp/csv.out")"
p_csv=$(tail -n 1 "$tmp/csv.out" | cut -d, -f7)
call default "${args[@]}"
cmp -s "$tmp/csv.out" "$tmp/default.out" || fail "default format (not a terminal) is not csv"

call json "${args[@]}" --format json
[ "$rc" -eq 0 ] || fail "logrank --format json: exit code $rc"
if command -v python3 >/dev/null 2>&1; then
  python3 - "$tmp/json.out" "$p_csv" <<'EOF' || fail "json: not the expected array of objects"
import json, sys
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list) and len(rows) == 3, rows
assert [r["group"] for r in rows] == ["rx=1", "rx=2", "test"], rows
assert rows[0]["n"] == 13 and rows[0]["observed"] == 7 and rows[0]["chisq"] is None, rows[0]
assert rows[2]["n"] is None and rows[2]["df"] == 1, rows[2]
assert rows[2]["p"] == float(sys.argv[2]), (rows[2]["p"], sys.argv[2])
EOF
elif command -v jq >/dev/null 2>&1; then
  [ "$(jq -r '.[2].group + " " + (.[2].df|tostring) + " " + (.[0].chisq|tostring)' "$tmp/json.out")" = "test 1 null" ] ||
    fail "json: not the expected array of objects"
else
  grep -q '"group": *"test"' "$tmp/json.out" || fail "json: no test row"
fi

call table "${args[@]}" --format table
[ "$rc" -eq 0 ] || fail "logrank --format table: exit code $rc"
head -n 1 "$tmp/table.out" | grep -Eq '^group +n +observed +expected +chisq +df +p' || fail "table: bad header"
grep -Eq '^test +[0-9.e-]+ +1 +[0-9.e-]+ *$' "$tmp/table.out" || fail "table: bad test row"
[ "$(lines "$tmp/table.out")" -eq 4 ] || fail "table: expected 4 lines"

if [ "$fails" -ne 0 ]; then echo "$fails failure(s)" >&2; exit 1; fi
echo "cli_conventions: all passed (${#cmds[@]} subcommands)"
