#!/usr/bin/env bash
# cli_conventions.sh - the command-line conventions of docs/interfaces.md 1 for every subcommand:
# --version, help, SUBCOMMAND --help, unknown options and missing values (exit 1, one line naming
# the option), unknown subcommands, and --format csv|json|table on logrank's output.
# Env: PRONOSTIC (the binary). Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh


# --version and version
run_pn version --version
[ "$rc" -eq 0 ] || fail "--version: exit code $rc"
grep -Eq '^pronostic [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/version.out" || fail "--version: got '$(cat "$tmp/version.out")'"

# help: lists the subcommands on stdout, exit 0
run_pn help help
[ "$rc" -eq 0 ] || fail "help: exit code $rc"
grep -q '^subcommands:' "$tmp/help.out" || fail "help: no 'subcommands:' section"
mapfile -t cmds < <(sed -n '/^subcommands:/,/^$/p' "$tmp/help.out" | awk 'NF >= 2 && /^  / {print $1}')
[ "${#cmds[@]}" -ge 1 ] || fail "help: lists no subcommand"
grep -q 'logrank' "$tmp/help.out" || fail "help: does not list logrank"

# no argument: usage on stderr, exit 1; an unknown subcommand: exit 1, one line naming it
run_pn noargs
[ "$rc" -eq 1 ] || fail "no arguments: exit code $rc, expected 1"
[ ! -s "$tmp/noargs.out" ] || fail "no arguments: wrote to stdout"
run_pn unknown no-such-subcommand
expect_error unknown 1 "no-such-subcommand"

for c in "${cmds[@]}"; do
  # SUBCOMMAND --help and help SUBCOMMAND: usage on stdout, exit 0
  run_pn "$c.help" "$c" --help
  [ "$rc" -eq 0 ] || fail "$c --help: exit code $rc"
  grep -q "^usage: pronostic $c" "$tmp/$c.help.out" || fail "$c --help: no 'usage: pronostic $c' line"
  grep -q -- '--format' "$tmp/$c.help.out" || fail "$c --help: does not document --format"
  run_pn "$c.help2" help "$c"
  [ "$rc" -eq 0 ] || fail "help $c: exit code $rc"
  cmp -s "$tmp/$c.help.out" "$tmp/$c.help2.out" || fail "help $c differs from $c --help"
  # an unknown option, an unknown short option, a missing value, a bad --format value
  run_pn "$c.unk" "$c" --no-such-option
  expect_error "$c.unk" 1 "--no-such-option"
  run_pn "$c.unk2" "$c" --no-such-option=3
  expect_error "$c.unk2" 1 "--no-such-option"
  run_pn "$c.short" "$c" -z
  expect_error "$c.short" 1 "-z"
  run_pn "$c.noval" "$c" --format
  expect_error "$c.noval" 1 "--format"
  run_pn "$c.badfmt" "$c" --format xml
  expect_error "$c.badfmt" 1 "--format"
  # every option of the help that takes a value, given last without it
  while read -r opt; do
    run_pn "$c.noval.$opt" "$c" "--$opt"
    expect_error "$c.noval.$opt" 1 "--$opt"
  done < <(awk '/^  --[a-z0-9-]+ [^ ]/ {sub(/^  --/, ""); print $1}' "$tmp/$c.help.out")
done

# logrank: missing values of its options, a flag given a value
run_pn lr.notime logrank tests/golden/data/ovarian.csv --event fustat --by rx --time
expect_error lr.notime 1 "--time"

# --format csv, json and table on logrank's output, and the default (csv when not a terminal)
args=(logrank tests/golden/data/ovarian.csv --time futime --event fustat --by rx)
run_pn csv "${args[@]}" --format csv
[ "$rc" -eq 0 ] || fail "logrank --format csv: exit code $rc"
[ "$(head -n 1 "$tmp/csv.out")" = "group,n,observed,expected,chisq,df,p" ] || fail "csv: bad header"
[ "$(lines "$tmp/csv.out")" -eq 4 ] || fail "csv: expected 4 lines"
grep -q '^rx=1,13,7,' "$tmp/csv.out" || fail "csv: no row 'rx=1,13,7,...'"
grep -Eq '^test,,,,[0-9.e-]+,1,[0-9.e-]+$' "$tmp/csv.out" || fail "csv: bad test row: $(tail -n 1 "$tmp/csv.out")"
p_csv=$(tail -n 1 "$tmp/csv.out" | cut -d, -f7)
run_pn default "${args[@]}"
cmp -s "$tmp/csv.out" "$tmp/default.out" || fail "default format (not a terminal) is not csv"

run_pn json "${args[@]}" --format json
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

run_pn table "${args[@]}" --format table
[ "$rc" -eq 0 ] || fail "logrank --format table: exit code $rc"
head -n 1 "$tmp/table.out" | grep -Eq '^group +n +observed +expected +chisq +df +p' || fail "table: bad header"
grep -Eq '^test +[0-9.e-]+ +1 +[0-9.e-]+ *$' "$tmp/table.out" || fail "table: bad test row"
[ "$(lines "$tmp/table.out")" -eq 4 ] || fail "table: expected 4 lines"

finish "cli_conventions (${#cmds[@]} subcommands)"
