#!/usr/bin/env bash
# store_full.sh - a full disk is an input error (exit 2) whose one line says "disk full", and
# the store is left as it was: an import that runs out of space (a 1 MiB tmpfs in a private
# mount namespace holding the store) loads nothing and the store still opens, and an init on a
# full disk (its key file, or with PRONOSTIC_KEY its database) leaves no store behind. Skipped (exit 77) when no mount namespace can be made
# (unshare -m as root, unshare -rm otherwise). Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
. tests/integration/lib/mountns.sh
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

need_mount_namespace store_full

"$P" demo --out "$tmp/bundle" --patients 3000 --seed 5 --quiet >/dev/null || fail "demo"
export P tmp
"${ns[@]}" bash -s <<'INNER' >"$tmp/inner.log" 2>&1
set -u
export PRONOSTIC_TODAY=2025-01-01
mkdir -p "$tmp/mnt"
mount -t tmpfs -o size=1m tmpfs "$tmp/mnt" || exit 10
db=$tmp/mnt/s.db
"$P" init --db "$db" 2>/dev/null || exit 11
"$P" import tests/integration/bundles/bad --db "$db" >/dev/null 2>&1
[ $? -eq 3 ] || exit 12
sqlite3 "$db" "SELECT count(*) FROM patients" >"$tmp/patients.before"
# the bundle's 3,000 patients and their events need far more than the space left
"$P" import "$tmp/bundle" --db "$db" </dev/null >"$tmp/imp.out" 2>"$tmp/imp.err"
echo $? >"$tmp/imp.rc"
sqlite3 "$db" "SELECT count(*) FROM patients" >"$tmp/patients.after"
sqlite3 "$db" "PRAGMA integrity_check" >"$tmp/integrity"
"$P" quarantine --db "$db" </dev/null >/dev/null 2>"$tmp/q.err"
echo $? >"$tmp/q.rc"
# fill what is left, then init a new store
head -c 2000000 /dev/zero >"$tmp/mnt/filler" 2>/dev/null
"$P" init --db "$tmp/mnt/t.db" </dev/null >"$tmp/init.out" 2>"$tmp/init.err"
echo $? >"$tmp/init.rc"
PRONOSTIC_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
  "$P" init --db "$tmp/mnt/u.db" </dev/null >"$tmp/initk.out" 2>"$tmp/initk.err"
echo $? >"$tmp/initk.rc"
ls "$tmp/mnt" >"$tmp/files"
exit 0
INNER
inner=$?
[ "$inner" -eq 0 ] || fail "the small file system could not be set up (step $inner): $(cat "$tmp/inner.log")"
rc=$(cat "$tmp/imp.rc")
expect_error imp 2 "mnt/s.db" "disk full" "the store is left as it was"
cmp -s "$tmp/patients.before" "$tmp/patients.after" || fail "patients $(cat "$tmp/patients.before") before, $(cat "$tmp/patients.after") after"
[ "$(cat "$tmp/integrity")" = ok ] || fail "integrity check: $(cat "$tmp/integrity")"
[ "$(cat "$tmp/q.rc")" = 0 ] || fail "the store does not open after the full disk: $(cat "$tmp/q.err")"
rc=$(cat "$tmp/init.rc")
expect_error init 2 "mnt/t.db.key" "No space left on device"
rc=$(cat "$tmp/initk.rc")
expect_error initk 2 "mnt/u.db" "disk full"
grep -q '^[tu]\.db' "$tmp/files" && fail "init on a full disk left files: $(tr '\n' ' ' <"$tmp/files")"
finish store_full
