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
# a small page cache makes the import spill pages to the WAL early: the kill then comes while
# the WAL holds uncommitted frames
export PRONOSTIC_IMPORT_CACHE_MB=4
"$PRONOSTIC" import "$tmp/big" --db "$tmp/s.db" --source big --progress >/dev/null 2>"$tmp/progress" &
pid=$!
# wait until events are being written and the WAL has grown, then kill
for i in $(seq 1 1200); do
  size=$(stat -c %s "$tmp/s.db-wal" 2>/dev/null || echo 0)
  grep -q "tumours.csv" "$tmp/progress" && [ "$size" -gt 30000000 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -0 "$pid" 2>/dev/null || fail "the import finished or died before it could be killed: $(cat "$tmp/progress")"
grep -q "events.csv" "$tmp/progress" && fail "events were all read before the kill"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
unset PRONOSTIC_IMPORT_CACHE_MB
wal=$(stat -c %s "$tmp/s.db-wal" 2>/dev/null || echo 0)
[ "$wal" -gt 30000000 ] || fail "the WAL holds only $wal bytes: not killed mid-transaction"
echo "killed during the events, with $wal bytes of uncommitted WAL"
# the store is as before, and usable
[ "$(sqlite3 "$tmp/s.db" "PRAGMA integrity_check")" = "ok" ] || fail "integrity check"
dump "$tmp/s.db" >"$tmp/after"
diff -q "$tmp/before" "$tmp/after" >/dev/null || fail "the killed import changed the store"
"$PRONOSTIC" quarantine --db "$tmp/s.db" --format csv >/dev/null || fail "store not usable"
"$PRONOSTIC" import "$tmp/big" --db "$tmp/s.db" --source big --format csv >"$tmp/o" 2>&1 || fail "import after the kill: $(cat "$tmp/o")"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM patients")" = "60005" ] || fail "patients after re-import"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM events")" = "2400003" ] || fail "events after re-import"
echo "ok"
