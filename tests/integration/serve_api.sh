#!/usr/bin/env bash
# serve_api.sh - `pronostic serve` (docs/api.md) against a running server on 127.0.0.1: every
# endpoint checked against web/openapi.json and against the command line on the same store,
# every role, bad parameters and SQL metacharacters in every parameter, oversized and malformed
# bodies, path traversal in static files, sessions, CSRF and the audit
# (tests/integration/serve/api_test.py); then the cache: an import changes the store's
# generation and the answers. Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
. tests/integration/lib/store_reads.sh
. tests/integration/lib/serve.sh
trap 'serve_stop; rm -rf "$tmp"' EXIT
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

demo_store "$tmp/w" || fail "demo store"
db=$tmp/w/s.db
serve_start "$db" --threads 4 || { fail "serve did not start"; finish serve_api; }
/usr/bin/python3 tests/integration/serve/api_test.py "$base" "$db" "$P" "$tmp" ||
  fail "api_test.py: $? failure(s) (above)"

# the cache follows the store: a second source's import changes the generation, and the cached
# report is computed again on the larger store
r1=$(curl -s "$base/api/v1/report?site=lung")
g1=$(curl -s "$base/api/v1/health")
"$P" demo --out "$tmp/b2" --patients 500 --seed 9 --quiet >/dev/null
"$P" import "$tmp/b2" --db "$db" --source second >/dev/null 2>&1 || fail "second import"
for i in $(seq 100); do
  g2=$(curl -s "$base/api/v1/health")
  [ "$g2" != "$g1" ] && break
  sleep 0.1
done
[ "$g2" != "$g1" ] || fail "the generation did not change after an import: $g1"
r2=$(curl -s "$base/api/v1/report?site=lung")
[ "$r1" != "$r2" ] || fail "the cached report did not change after an import"
expected=$("$P" report --db "$db" --site lung --format json 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))')
got=$(echo "$r2" | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["rows"]))')
[ "$expected" = "$got" ] || fail "the report after the import is not the CLI's"
serve_stop
finish serve_api
