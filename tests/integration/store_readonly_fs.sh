#!/usr/bin/env bash
# store_readonly_fs.sh - a store on a read-only file system (a tmpfs made read-only in a
# private mount namespace: a real EROFS, which root cannot get round): every read-only command
# prints what it prints on the writable store and import exits 2 saying the store cannot be
# written. A store whose non-empty write-ahead log cannot be read there (no -shm can be made)
# is refused with a message saying what to do, never read without its log. Skipped (exit 77)
# when no mount namespace can be made (unshare -m as root, unshare -rm otherwise).
# Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
. tests/integration/lib/mountns.sh
. tests/integration/lib/store_reads.sh
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

need_mount_namespace store_readonly_fs

demo_store "$tmp/w" || fail "demo store"
reads_run "$tmp/w/s.db" "$tmp/ref"
[ ! -s "$tmp/w/s.db-wal" ] || fail "the demo store's write-ahead log is not empty"
# a copy whose write-ahead log holds a committed change (SQLite folds it back at the last
# close, so another connection keeps the store open while it is copied)
mkdir "$tmp/pend"
python3 - "$tmp/w/s.db" "$tmp/pend" <<'PY' || fail "python3 could not copy a store with a pending log"
import shutil, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("INSERT INTO meta(name, value) VALUES ('pending', 'a change only the log holds')")
for suffix in ("", "-wal"):
    shutil.copy(sys.argv[1] + suffix, sys.argv[2] + "/s.db" + suffix)
shutil.copy(sys.argv[1] + ".key", sys.argv[2] + "/s.db.key")
c.close()
PY
[ -s "$tmp/pend/s.db-wal" ] || fail "the copy has no pending log"

export P tmp
export -f reads_run read_args
"${ns[@]}" bash -s <<'INNER' >"$tmp/inner.log" 2>&1
set -u
read_cmds=(report surv netsurv cox quarantine netsurv-diff trend)
mkdir -p "$tmp/mnt"
mount -t tmpfs -o size=16m tmpfs "$tmp/mnt" || exit 10
cp "$tmp/w/s.db" "$tmp/w/s.db.key" "$tmp/mnt/"
mkdir "$tmp/mnt/pend" && cp "$tmp/pend/"* "$tmp/mnt/pend/"
mount -o remount,ro,bind "$tmp/mnt" || exit 11
touch "$tmp/mnt/probe" 2>/dev/null && exit 12
md5sum <"$tmp/mnt/s.db" >"$tmp/md5.before"
reads_run "$tmp/mnt/s.db" "$tmp/got"
ls "$tmp/mnt" >"$tmp/files.after"
"$P" import "$tmp/w/bundle" --db "$tmp/mnt/s.db" </dev/null >"$tmp/imp.out" 2>"$tmp/imp.err"
echo $? >"$tmp/imp.rc"
"$P" surv --db "$tmp/mnt/pend/s.db" --site lung </dev/null >"$tmp/pend.out" 2>"$tmp/pend.err"
echo $? >"$tmp/pend.rc"
md5sum <"$tmp/mnt/s.db" >"$tmp/md5.after"
exit 0
INNER
inner=$?
[ "$inner" -eq 0 ] || fail "the read-only file system could not be set up (step $inner): $(cat "$tmp/inner.log")"
reads_same "read-only file system" "$tmp/ref" "$tmp/got"
cmp -s "$tmp/md5.before" "$tmp/md5.after" || fail "the store changed"
[ "$(tr '\n' ' ' <"$tmp/files.after")" = "pend s.db s.db.key " ] || fail "files: $(cat "$tmp/files.after")"
rc=$(cat "$tmp/imp.rc")
expect_error imp 2 "$tmp/mnt/s.db" "cannot open the store for writing" "read-only file system"
rc=$(cat "$tmp/pend.rc")
expect_error pend 2 "$tmp/mnt/pend/s.db" "write-ahead log" "s.db-shm, which cannot be created" "copy the store with its -wal file"
finish store_readonly_fs
