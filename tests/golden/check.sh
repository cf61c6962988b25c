#!/usr/bin/env bash
# check.sh - run one golden case: pronostic's csv output against the file R wrote.
# usage: check.sh CASES_FILE CASE_NAME PRONOSTIC CSVDIFF
# A case line is: name | expected.csv | abs_tol | rel_tol | pronostic arguments...
# Paths in the arguments and the expected file are relative to tests/golden/.
set -euo pipefail
cases=$1 name=$2 pronostic=$3 csvdiff=$4
dir=$(cd "$(dirname "$cases")" && pwd)
line=$(grep -E "^${name}[[:space:]]*\|" "$cases" | head -n 1)
[ -n "$line" ] || { echo "no case '$name' in $cases" >&2; exit 2; }
IFS='|' read -r _ expected abs rel args <<<"$line"
expected=$(echo "$expected" | xargs); abs=$(echo "$abs" | xargs); rel=$(echo "$rel" | xargs)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cd "$dir"
# shellcheck disable=SC2086
eval "\"$pronostic\" $args --format csv" >"$out"
"$csvdiff" --abs "$abs" --rel "$rel" "expected/$expected" "$out"
