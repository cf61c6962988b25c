#!/usr/bin/env bash
# store_modes.sh - every file of the store is readable by its owner only (0600) whatever the
# umask, like its key: it holds birth, diagnosis and death dates. Checked after init and import
# under umask 022 and 000, and during an import for the -wal and -shm SQLite makes beside the
# store (looked at while a big import runs).
# A store made before this rule (0644) is tightened by the next import, which says so on
# stderr; the readers leave modes alone. Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY
b=tests/integration/bundles/bad

# modes DB: "name:mode" of every file of the store that exists
modes() { local f; for f in "$1" "$1".key "$1"-wal "$1"-shm "$1"-journal; do [ -e "$f" ] && echo "$(basename "$f"):$(stat -c %a "$f")"; done; }

for mask in 022 000; do
  db=$tmp/s$mask.db
  (umask $mask; "$P" init --db "$db" 2>/dev/null) || fail "umask $mask: init"
  [ "$(modes "$db" | tr '\n' ' ')" = "s$mask.db:600 s$mask.db.key:600 " ] ||
    fail "umask $mask: after init: $(modes "$db" | tr '\n' ' ')"
  (umask $mask; "$P" import "$b" --db "$db" >/dev/null 2>&1)
  [ $? -eq 3 ] || fail "umask $mask: import"
  [ "$(modes "$db" | tr '\n' ' ')" = "s$mask.db:600 s$mask.db.key:600 " ] ||
    fail "umask $mask: after import: $(modes "$db" | tr '\n' ' ')"

  # during an import (a big bundle: its -wal and -shm exist while it runs; polled)
  bash bench/import/gen_bundle.sh "$tmp/big$mask" 20000 10 3 >/dev/null 2>&1 || fail "generator"
  (umask $mask; exec "$P" import "$tmp/big$mask" --db "$db" >/dev/null 2>&1) &
  pid=$!
  during=
  for _ in $(seq 1 3000); do
    if [ -e "$db-shm" ] && [ -e "$db-wal" ]; then during=$(modes "$db" | tr '\n' ' '); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.005
  done
  wait "$pid"
  [ -n "$during" ] || fail "umask $mask: the import ended before its -wal and -shm were seen"
  [ "$during" = "s$mask.db:600 s$mask.db.key:600 s$mask.db-wal:600 s$mask.db-shm:600 " ] ||
    fail "umask $mask: during an import: $during"
done

# a store made 0644 by an older version, with its key 0600
db=$tmp/old.db
"$P" init --db "$db" 2>/dev/null || fail "init old"
chmod 644 "$db"
run_pn q quarantine --db "$db"
[ "$rc" -eq 0 ] && [ "$(stat -c %a "$db")" = 644 ] || fail "quarantine: exit $rc, mode $(stat -c %a "$db")"
run_pn imp import "$b" --db "$db"
[ "$rc" -eq 3 ] || fail "import of the old store: exit $rc"
grep -q "warning: .*old.db and its files were readable by group or others; they are now readable by their owner only (mode 0600)" \
  "$tmp/imp.err" || fail "the import did not say it tightened the modes: $(cat "$tmp/imp.err")"
[ "$(stat -c %a "$db")" = 600 ] || fail "the old store is still $(stat -c %a "$db")"
run_pn imp2 import "$b" --db "$db"
grep -q "readable by group" "$tmp/imp2.err" && fail "the second import warns again"
finish store_modes
