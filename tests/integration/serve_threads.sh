#!/usr/bin/env bash
# serve_threads.sh - `pronostic serve` under many callers at once (also run under
# ThreadSanitizer, make test-tsan): 8 threads of mixed requests (cached and uncached answers,
# the per-generation state of the curves and of the pathway, API tokens, sessions, the audit's
# writer) while an import changes the store's generation and an account is added; every answer
# as expected, the server stops cleanly with no sanitizer report. The store has no care events,
# so that the pathway's state builds quickly even under a sanitizer. Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
. tests/integration/lib/serve.sh
trap 'serve_stop; rm -rf "$tmp"' EXIT
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

"$P" demo --out "$tmp/b" --patients 3000 --seed 5 --quiet >/dev/null || fail "demo"
rm -f "$tmp/b/events.csv"
db=$tmp/s.db
"$P" init --db "$db" 2>/dev/null || fail "init"
"$P" import "$tmp/b" --db "$db" >/dev/null 2>&1 || fail "import"
"$P" demo --out "$tmp/b2" --patients 500 --seed 9 --quiet >/dev/null && rm -f "$tmp/b2/events.csv"

pw() { /usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(18))'; }
pa=$(pw) pr=$(pw)
printf '%s\n' "$pa" | "$P" user add adm1 --db "$db" --role admin --password-stdin >/dev/null || fail "user add adm1"
printf '%s\n' "$pr" | "$P" user add res1 --db "$db" --role researcher --password-stdin >/dev/null || fail "user add res1"
"$P" user add ana1 --db "$db" --role analyst --source default >/dev/null || fail "user add ana1"
ta=$("$P" user token ana1 --db "$db" | sed -n 's/^token: //p')
tm=$("$P" user token adm1 --db "$db" | sed -n 's/^token: //p')
cat >"$tmp/accounts.json" <<JSON
{"admin": {"user": "adm1", "password": "$pa", "token": "$tm"},
 "researcher": {"user": "res1", "password": "$pr"},
 "analyst": {"user": "ana1", "token": "$ta"}}
JSON

serve_start "$db" --threads 4 || { fail "serve did not start"; finish serve_threads; }
/usr/bin/python3 tests/integration/serve/concurrent.py "$base" "$tmp/accounts.json" 8 24 \
  "sleep 1; '$P' import '$tmp/b2' --db '$db' --source second >/dev/null 2>&1" \
  "'$P' user add late1 --db '$db' --role researcher >/dev/null" ||
  fail "concurrent.py: $? failure(s) (above); the server's log: $(grep -v '^pronostic serve: listening' "$tmp/serve.err" | tail -c 1500)"
# the import was seen: a new generation, its curves computed on the larger store
g=$(curl -s "$base/api/v1/health")
case $g in *'"generation": 2'*) ;; *) fail "the generation after the import: $g" ;; esac
serve_stop
finish serve_threads
