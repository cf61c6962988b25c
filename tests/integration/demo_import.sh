#!/usr/bin/env bash
# demo_import.sh - the synthetic bundle loads into the store: every good row loads, and with
# --with-errors exactly the injected bad rows (those `pronostic demo` lists on stderr) go to the
# quarantine, at the file, line and field it names; import then exits 3 (partial success).
# Env: PRONOSTIC (the binary).
set -euo pipefail
: "${PRONOSTIC:?set PRONOSTIC to the pronostic binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "demo_import: $*" >&2; exit 1; }

# A clean bundle imports fully (exit 0) and a second import changes nothing.
"$PRONOSTIC" demo --out "$tmp/clean" --patients 2000 --seed 3 --format csv > "$tmp/clean.out"
"$PRONOSTIC" init --db "$tmp/clean.db" 2>/dev/null
"$PRONOSTIC" import "$tmp/clean" --db "$tmp/clean.db" --format csv > "$tmp/imp1.csv" ||
    fail "import of a clean demo bundle failed (exit $?)"
# Columns run,read,loaded,unchanged,quarantined,warnings: no duplicate, rejected or warned row.
awk -F, 'NR == 2 && ($4 != 0 || $5 != 0 || $6 != 0 || $2 != $3) { exit 1 }' "$tmp/imp1.csv" ||
    fail "clean bundle: rows not loaded: $(cat "$tmp/imp1.csv")"
"$PRONOSTIC" quarantine --db "$tmp/clean.db" --format csv > "$tmp/q0.csv"
[ "$(wc -l < "$tmp/q0.csv")" -eq 1 ] || fail "clean bundle has quarantined rows: $(cat "$tmp/q0.csv")"

# With --with-errors: the quarantine is exactly the list of injected rows.
"$PRONOSTIC" demo --out "$tmp/bad" --patients 2000 --seed 3 --with-errors --format csv \
    > "$tmp/bad.out" 2> "$tmp/bad.err"
n_injected=$(awk -F, '$1 == "injected_errors" { print $2 }' "$tmp/bad.out")
[ "$n_injected" -ge 8 ] || fail "expected at least 8 injected errors, got '$n_injected'"
sed -n "s/^pronostic demo: note: bad row \([^:]*\):\([0-9]*\): field '\([^']*\)'.*/\1,\2,\3/p" \
    "$tmp/bad.err" | sort > "$tmp/expected.txt"
[ "$(wc -l < "$tmp/expected.txt")" -eq "$n_injected" ] || fail "stderr does not list every bad row"
"$PRONOSTIC" init --db "$tmp/bad.db" 2>/dev/null
set +e
"$PRONOSTIC" import "$tmp/bad" --db "$tmp/bad.db" --format csv > /dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 3 ] || fail "import with bad rows: exit $rc, expected 3"
"$PRONOSTIC" quarantine --db "$tmp/bad.db" --format csv |
    awk -F, 'NR > 1 { print $1 "," $2 "," $3 }' | sort > "$tmp/got.txt"
diff "$tmp/expected.txt" "$tmp/got.txt" >&2 || fail "quarantine differs from the injected rows"
echo "demo_import: ok ($n_injected injected rows quarantined where announced)"
