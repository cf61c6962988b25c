#!/usr/bin/env bash
# serve_api.sh - `pronostic serve` (docs/api.md) against a running server on 127.0.0.1: every
# endpoint checked against web/openapi.json and against the command line on the same store,
# every role, bad parameters and SQL metacharacters in every parameter, oversized and malformed
# bodies, path traversal in static files, sessions, CSRF and the audit
# (tests/integration/serve/api_test.py); then the cache: an import changes the store's
# generation and the answers; then a second server whose sessions expire after a second: expiry,
# accounts changed while it runs, and the slowing of failed logins. Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
. tests/integration/lib/store_reads.sh
. tests/integration/lib/serve.sh
trap 'serve_stop; rm -rf "$tmp"' EXIT
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

demo_store "$tmp/w" || fail "demo store"
db=$tmp/w/s.db
# a second source, so that an analyst's rows can be told from another's
"$P" demo --out "$tmp/b1" --patients 800 --seed 7 --quiet >/dev/null
"$P" import "$tmp/b1" --db "$db" --source second >/dev/null 2>&1 || fail "the second source's import"

# one account of each role (two analysts, one per source) with random passwords, and an API
# token for the first analyst: the file api_test.py reads
pw() { /usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(18))'; }
accounts=$tmp/accounts.json
add_account() { # LABEL ROLE NAME [SOURCE]: prints "LABEL NAME PASSWORD"
  local p; p=$(pw)
  printf '%s\n' "$p" | "$P" user add "$3" --db "$db" --role "$2" ${4:+--source "$4"} --password-stdin \
    >/dev/null 2>"$tmp/user.err" || fail "user add $3: $(cat "$tmp/user.err")"
  echo "$1 $3 $p"
}
{
  add_account admin admin adm1
  add_account analyst analyst ana1 default
  add_account analyst2 analyst ana2 second
  add_account researcher researcher res1
} >"$tmp/accounts.txt"
token=$("$P" user token ana1 --db "$db" | sed -n 's/^token: //p')
[ -n "$token" ] || fail "user token ana1"
/usr/bin/python3 - "$tmp/accounts.txt" "$token" >"$accounts" <<'PY'
import json, sys
out = {}
for line in open(sys.argv[1]):
    role, user, password = line.split()
    out[role] = {"user": user, "password": password}
out["analyst"]["token"] = sys.argv[2]
print(json.dumps(out))
PY

serve_start "$db" --threads 4 || { fail "serve did not start"; finish serve_api; }
/usr/bin/python3 tests/integration/serve/api_test.py "$base" "$db" "$P" "$tmp" "$accounts" ||
  fail "api_test.py: $? failure(s) (above)"

# the cache follows the store: a second source's import changes the generation, and the cached
# report is computed again on the larger store
r1=$(curl -s "$base/api/v1/report?site=lung")
g1=$(curl -s "$base/api/v1/health")
"$P" demo --out "$tmp/b2" --patients 500 --seed 9 --quiet >/dev/null
"$P" import "$tmp/b2" --db "$db" --source third >/dev/null 2>&1 || fail "third import"
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

# sessions on a second server whose sessions expire after 1 s idle: expiry, accounts removed,
# disabled or tokens revoked while it runs, and the slowing of failed logins
serve_start "$db" --session-idle 1 || { fail "the second serve did not start"; finish serve_api; }
API_TEST_SET=sessions /usr/bin/python3 tests/integration/serve/api_test.py "$base" "$db" "$P" "$tmp" "$accounts" ||
  fail "api_test.py (sessions): $? failure(s) (above)"
serve_stop
finish serve_api
