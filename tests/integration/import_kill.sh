#!/usr/bin/env bash
# import_kill.sh - an import killed with SIGKILL in the middle leaves the store exactly as it was
# and usable: same content, integrity check ok, and the next import succeeds.
set -uo pipefail
: "${PRONOSTIC:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY
dump() { sqlite3 "$1" ".dump" ; }

"$PRONOSTIC" init --db "$tmp/s.db" 2>/dev/null || fail "init"
"$PRONOSTIC" import tests/integration/bundles/bad --db "$tmp/s.db" --source hospital-a >/dev/null 2>&1
dump "$tmp/s.db" >"$tmp/before"
[ "$(grep -c "INSERT INTO patients" "$tmp/before")" = "5" ] || fail "setup"

# a large bundle: 60,000 patients, 72,000 tumours, 2.4 million events
bash bench/import/gen_bundle.sh "$tmp/big" 60000 40 7 || fail "generator"
for attempt in 1 2 3; do
  "$PRONOSTIC" import "$tmp/big" --db "$tmp/s.db" --source big >/dev/null 2>&1 &
  pid=$!
  # wait until the import has written a good part of its transaction to the WAL
  for i in $(seq 1 400); do
    size=$(stat -c %s "$tmp/s.db-wal" 2>/dev/null || echo 0)
    [ "$size" -gt 20000000 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null
    killed=1
    break
  fi
  wait "$pid"
  fail "the import finished before it could be killed (attempt $attempt)"
done
[ "${killed:-0}" = 1 ] || fail "not killed"
[ -s "$tmp/s.db-wal" ] || fail "no WAL left by the killed import: it was not killed mid-transaction"

# the store is as before, and usable
[ "$(sqlite3 "$tmp/s.db" "PRAGMA integrity_check")" = "ok" ] || fail "integrity check"
dump "$tmp/s.db" >"$tmp/after"
diff -q "$tmp/before" "$tmp/after" >/dev/null || fail "the killed import changed the store"
"$PRONOSTIC" quarantine --db "$tmp/s.db" --format csv >/dev/null || fail "store not usable"
"$PRONOSTIC" import "$tmp/big" --db "$tmp/s.db" --source big --format csv >"$tmp/o" 2>&1 || fail "import after the kill: $(cat "$tmp/o")"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM patients")" = "60005" ] || fail "patients after re-import"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM events")" = "2400003" ] || fail "events after re-import"
echo "ok"
