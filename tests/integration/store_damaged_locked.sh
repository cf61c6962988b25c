#!/usr/bin/env bash
# store_damaged_locked.sh - a damaged store and a locked one are input errors (exit 2) whose
# one line says so; exit 4 stays for internal errors. Damage: a b-tree page overwritten. An
# import checks the whole store first (PRAGMA quick_check), so damage in a table it would not
# read is still found, and the store is left as it was; a reader (surv, report) that meets a
# damaged page says the store is damaged. Lock: another process (python3's sqlite3) holds a
# write transaction while import runs with PRONOSTIC_BUSY_TIMEOUT_MS=200; readers are not
# blocked (WAL), and the import succeeds once the lock is gone. Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY
b=tests/integration/bundles

"$P" init --db "$tmp/s.db" 2>/dev/null || fail "init"
"$P" import "$b/bad" --db "$tmp/s.db" >/dev/null 2>&1
[ $? -eq 3 ] || fail "import of the bad bundle"

# damage DB TABLE: overwrite the start of TABLE's root page (its b-tree header)
damage() {
  local root size
  root=$(sqlite3 "$1" "SELECT rootpage FROM sqlite_schema WHERE name = '$2'")
  size=$(sqlite3 "$1" "PRAGMA page_size")
  printf '\377\377\377\377\377\377\377\377' |
    dd of="$1" bs=1 seek=$(( (root - 1) * size )) conv=notrunc status=none
}

# the trials table, which an import of patients and tumours alone never reads
mkdir "$tmp/d1"; cp "$tmp/s.db" "$tmp/s.db.key" "$tmp/d1/"
damage "$tmp/d1/s.db" trials
before=$(md5sum <"$tmp/d1/s.db")
run_pn imp import "$b/missing" --db "$tmp/d1/s.db"
expect_error imp 2 "d1/s.db" "the store is damaged (PRAGMA quick_check: Page" "restore it from a backup"
[ "$(md5sum <"$tmp/d1/s.db")" = "$before" ] || fail "the refused import changed the damaged store"

# the patients table, which every selection reads
mkdir "$tmp/d2"; cp "$tmp/s.db" "$tmp/s.db.key" "$tmp/d2/"
damage "$tmp/d2/s.db" patients
run_pn surv surv --db "$tmp/d2/s.db" --site lung
expect_error surv 2 "d2/s.db" "the store is damaged (database disk image is malformed)"
run_pn report report --db "$tmp/d2/s.db"
expect_error report 2 "d2/s.db" "the store is damaged"
run_pn cox cox --db "$tmp/d2/s.db" --site lung --covariates age
expect_error cox 2 "d2/s.db" "the store is damaged"

# a write transaction held by another process
python3 - "$tmp/s.db" "$tmp/locked" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(120)
PY
holder=$!
trap 'kill "$holder" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 1000); do [ -e "$tmp/locked" ] && break; sleep 0.01; done
[ -e "$tmp/locked" ] || fail "python3 could not lock the store"
PRONOSTIC_BUSY_TIMEOUT_MS=200 run_pn locked import "$b/bad" --db "$tmp/s.db" --source other
expect_error locked 2 "s.db" "the store is locked by another process (an import?)" "gave up after 0.2 s"
run_pn lockedq quarantine --db "$tmp/s.db"
[ "$rc" -eq 0 ] || fail "quarantine while another process writes: exit $rc ($(cat "$tmp/lockedq.err"))"
kill "$holder"; wait "$holder" 2>/dev/null
runs=$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM runs")
run_pn unlocked import "$b/bad" --db "$tmp/s.db" --source other
[ "$rc" -eq 3 ] || fail "import after the lock: exit $rc ($(cat "$tmp/unlocked.err"))"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM runs")" = $((runs + 1)) ] || fail "the refused import left a run"
finish store_damaged_locked
