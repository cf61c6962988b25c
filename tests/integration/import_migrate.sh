#!/usr/bin/env bash
# import_migrate.sh - a store of schema version 1 opens as the latest version (4): each
# patient's row becomes its source's observation, the quarantine reasons lose the values they
# quoted, and the death that version 1 let another source overwrite comes back when its source
# is imported again.
. tests/integration/lib/common.sh
export PRONOSTIC_TODAY=2025-01-01
export PRONOSTIC_KEY=$(printf '%064d' 7)
b=tests/integration/bundles
sqlite3 "$tmp/s.db" <"$b/store_v1.sql" || fail "loading the version-1 dump"
[ "$(sqlite3 "$tmp/s.db" "PRAGMA user_version")" = "1" ] || fail "fixture is not version 1"
grep -q "''1955-13-01'' is not a date" "$b/store_v1.sql" || fail "fixture sanity: no quoted value"

run_pn q quarantine --db "$tmp/s.db" --format csv
[ "$rc" -eq 0 ] || fail "quarantine on a version-1 store: $(cat "$tmp/q.err")"
[ "$(sqlite3 "$tmp/s.db" "PRAGMA user_version")" = "4" ] || fail "not migrated"
grep -q "patients.csv,5,birth_date,not a date (YYYY-MM-DD or YYYY-MM),error" "$tmp/q.out" || fail "reason not scrubbed: $(grep 'patients.csv,5' "$tmp/q.out")"
grep -q "1955-13-01\|2030-03-01\|teleportation\|X9" "$tmp/q.out" && fail "a value is still quoted: $(grep "'" "$tmp/q.out" | head -3)"
[ "$(lines "$tmp/q.out")" = "$(($(sqlite3 "$tmp/s.db" "SELECT count(*) FROM quarantine") + 1))" ] || fail "entries lost"
[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM patient_obs")" = "5" ] || fail "observations"
[ "$(sqlite3 "$tmp/s.db" "SELECT o.h FROM patient_obs o JOIN patients p USING (pid) WHERE p.birth_date = -7245")" = "0" ] ||
  fail "the overwritten observation is not marked for rewriting"

# re-importing hospital-a brings SRC-P001's death back; registry-c's row then is a conflict
run_pn a import "$b/bad" --db "$tmp/s.db" --source hospital-a --format csv
st=$(sqlite3 "$tmp/s.db" "SELECT vital_status || ' ' || vital_status_date || ' ' || death_cause FROM patients WHERE birth_date = -7245")
[ "$st" = "1 18383 C25.0" ] || fail "death not restored: $st"
run_pn c import "$b/registry-c" --db "$tmp/s.db" --source registry-c --format csv
[ "$rc" -eq 3 ] || fail "registry-c: exit $rc"
st=$(sqlite3 "$tmp/s.db" "SELECT vital_status || ' ' || nsources || ' ' || conflict FROM patients WHERE birth_date = -7245")
[ "$st" = "1 2 2" ] || fail "after registry-c: $st"
finish import_migrate
