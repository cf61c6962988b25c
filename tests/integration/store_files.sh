#!/usr/bin/env bash
# store_files.sh - the store's files as a careless user or an interrupted run leaves them: a key
# file without its store (an init killed half-way) is reused by the next init, with the same
# pseudonyms, and refused when others can read it; a file that is not a store is an input error
# (exit 2) naming it, for import, quarantine and --db analyses. Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
unset PRONOSTIC_KEY
export PRONOSTIC_TODAY=2025-01-01
b=tests/integration/bundles/bad

run_pn init1 init --db "$tmp/s.db"
[ "$rc" -eq 0 ] || fail "init: exit $rc"
key=$(cat "$tmp/s.db.key")
"$P" import "$b" --db "$tmp/s.db" >/dev/null 2>&1
sqlite3 "$tmp/s.db" "SELECT pid FROM patients ORDER BY pid" > "$tmp/pids1"
# the store is lost but its key is kept: init again, same key, same pseudonyms
rm -f "$tmp/s.db" "$tmp/s.db-wal" "$tmp/s.db-shm"
run_pn init2 init --db "$tmp/s.db"
[ "$rc" -eq 0 ] || fail "init with a leftover key: exit $rc ($(cat "$tmp/init2.err"))"
grep -q "existing key file" "$tmp/init2.err" || fail "init does not say the key was reused"
[ "$(cat "$tmp/s.db.key")" = "$key" ] || fail "the key file was rewritten"
"$P" import "$b" --db "$tmp/s.db" >/dev/null 2>&1
sqlite3 "$tmp/s.db" "SELECT pid FROM patients ORDER BY pid" > "$tmp/pids2"
[ -s "$tmp/pids1" ] && cmp -s "$tmp/pids1" "$tmp/pids2" || fail "pseudonyms differ with the same key"
# a leftover key that others can read is refused, not reused
rm -f "$tmp/s.db" "$tmp/s.db-wal" "$tmp/s.db-shm"
chmod 644 "$tmp/s.db.key"
run_pn init3 init --db "$tmp/s.db"
expect_error init3 2 "s.db.key" "chmod 600"
[ ! -e "$tmp/s.db" ] || fail "a store was created with an unsafe key"

# a file that is not a store
printf 'not a database at all, just some text\n%.0s' $(seq 1 200) > "$tmp/g.db"
cp "$tmp/s.db.key" "$tmp/g.db.key"; chmod 600 "$tmp/g.db.key"
before=$(md5sum < "$tmp/g.db")
run_pn notdb import "$b" --db "$tmp/g.db"
expect_error notdb 2 "g.db" "not a database"
run_pn notdbq quarantine --db "$tmp/g.db"
expect_error notdbq 2 "g.db"
run_pn notdbs surv --db "$tmp/g.db" --site lung
expect_error notdbs 2 "g.db"
[ "$(md5sum < "$tmp/g.db")" = "$before" ] || fail "the file that is not a store was changed"
finish store_files
