#!/usr/bin/env bash
# store_readonly_perm.sh - a store its user may read but not write (the store 0444, its key
# 0400, the directory 0555, after a clean close: no -wal, no -shm, none can be created): every
# read-only command (report, surv, netsurv, cox, quarantine, netsurv-diff, trend) prints what
# it prints on the writable store, nothing is changed or created, and import exits 2 saying the
# store cannot be written. A store that would need a migration is refused by the readers (exit
# 2, saying to open it for writing once) and left as it is. Root ignores permissions, so as
# root the commands run as nobody (setpriv or runuser), with a copy of data/ it can read; the test
# is skipped (exit 77) only when neither can run the program. Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
. tests/integration/lib/store_reads.sh
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

as=()
if [ "$(id -u)" -eq 0 ]; then
  if setpriv --reuid=65534 --regid=65534 --clear-groups "$P" --version >/dev/null 2>&1; then
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  elif runuser -u nobody -- "$P" --version >/dev/null 2>&1; then
    as=(runuser -u nobody --)
  else
    echo "store_readonly_perm: SKIPPED: running as root, and neither setpriv nor runuser can run $P as nobody"
    exit 77
  fi
fi
chmod 755 "$tmp"
# the reader reads the life tables too: a copy it can reach wherever the checkout lives (a clone
# under a 0700 directory of mktemp -d is not readable for nobody)
cp -r "$(dirname "$0")/../../data" "$tmp/data" && chmod -R a+rX "$tmp/data" || fail "copy data/"
export PRONOSTIC_DATA_DIR=$tmp/data

demo_store "$tmp/w" || fail "demo store"
reads_run "$tmp/w/s.db" "$tmp/ref"

ro=$tmp/ro
mkdir "$ro"
cp "$tmp/w/s.db" "$tmp/w/s.db.key" "$ro/"
[ ! -s "$tmp/w/s.db-wal" ] || fail "the demo store's write-ahead log is not empty"
[ "$(id -u)" -eq 0 ] && chown -R 65534:65534 "$ro"
chmod 444 "$ro/s.db"; chmod 400 "$ro/s.db.key"; chmod 555 "$ro"
# the permissions do hold for the user running the commands
"${as[@]}" touch "$ro/probe" 2>/dev/null && fail "the directory is writable for the reader"
before=$(md5sum <"$ro/s.db")
reads_run "$ro/s.db" "$tmp/got" "${as[@]}"
reads_same "read-only store" "$tmp/ref" "$tmp/got"
[ "$(md5sum <"$ro/s.db")" = "$before" ] || fail "a reader changed the store"
[ "$(ls "$ro" | tr '\n' ' ')" = "s.db s.db.key " ] || fail "files were created: $(ls "$ro")"
[ "$(stat -c %a "$ro/s.db")" = 444 ] || fail "a reader changed the store's mode"

# import cannot write: exit 2, one line saying why
STDIN=/dev/null "${as[@]}" "$P" import "$tmp/w/bundle" --db "$ro/s.db" >"$tmp/imp.out" 2>"$tmp/imp.err"
rc=$?
expect_error imp 2 "$ro/s.db" "cannot open the store for writing"
[ "$(md5sum <"$ro/s.db")" = "$before" ] || fail "the refused import changed the store"
[ "$(stat -c %a "$ro/s.db")" = 444 ] || fail "the refused import changed the store's mode"

# a store whose schema is older than the program's: not migrated by a reader
old=$tmp/old
mkdir "$old"
cp "$tmp/w/s.db" "$tmp/w/s.db.key" "$old/"
sqlite3 "$old/s.db" "PRAGMA user_version = 0"
[ "$(id -u)" -eq 0 ] && chown -R 65534:65534 "$old"
chmod 444 "$old/s.db"; chmod 400 "$old/s.db.key"; chmod 555 "$old"
before=$(md5sum <"$old/s.db")
for c in report surv quarantine; do
  "${as[@]}" "$P" $(read_args "$c" "$old/s.db") </dev/null >"$tmp/old_$c.out" 2>"$tmp/old_$c.err"
  rc=$?
  expect_error "old_$c" 2 "$old/s.db" "schema version 0 is older than this program's" "open it for writing once"
done
[ "$(md5sum <"$old/s.db")" = "$before" ] || fail "a reader changed (migrated?) the store"
finish store_readonly_perm
