#!/usr/bin/env bash
# run_main.sh - the main job of `make run` (scripts/run-main) on a small demo: it makes and loads
# the store, prints the report and the pathway indicators, then serves the dashboard with an
# administrator whose printed password logs in; Ctrl-C (SIGINT) stops it cleanly. Run twice on
# the same directory: the store is reused and the administrator gets a new password, the old
# one no longer logs in. Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
pid=
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY

# start_main LOG: run-main in the background on port 0; sets pid, base and pass (from its output)
start_main() {
  PN_RUN_DIR=$tmp/demo PN_RUN_PATIENTS=20000 PN_RUN_LISTEN=127.0.0.1:0 PRONOSTIC=$P \
    scripts/run-main >"$1" 2>"$1.err" &
  pid=$!
  base= pass=
  local i
  for i in $(seq 1800); do
    base=$(sed -n 's|^pronostic serve: listening on \(http://[^/]*\)/.*|\1|p' "$1.err" | head -1)
    [ -n "$base" ] && break
    kill -0 "$pid" 2>/dev/null || { fail "run-main exited early: $(tail -c 600 "$1.err")"; return 1; }
    sleep 0.1
  done
  [ -n "$base" ] || { fail "run-main: the server did not start in 180 s"; return 1; }
  pass=$(sed -n 's/^   Log in (« Connexion ») as admin with the password \([^ ]*\)$/\1/p' "$1")
  [ -n "$pass" ] || fail "run-main does not print the admin's password: $(tail -c 600 "$1")"
  grep -q "^-- 6. serve: the dashboard at http://" "$1" || fail "run-main does not print the URL"
}
login() { # PASSWORD: the login's HTTP status
  curl -s -o "$tmp/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"user\": \"admin\", \"password\": \"$1\"}" "$base/api/v1/login"
}
stop_main() { # SIGINT, as Ctrl-C; the server must stop with exit 0
  kill -INT "$pid"
  local i
  for i in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  wait "$pid"
  local rc=$?
  pid=
  [ "$rc" -eq 0 ] || fail "run-main: exit $rc on SIGINT: $(tail -c 400 "$1.err")"
}

start_main "$tmp/run1.out" || finish run_main
for what in "-- 1. demo:" "-- 3. import:" "-- 4. report:" "-- 5. pathway:"; do
  grep -qF -- "$what" "$tmp/run1.out" || fail "run-main: no '$what' step"
done
[ "$(login "$pass")" = 200 ] || fail "the printed password does not log in: $(cat "$tmp/login.json")"
grep -q '"role": "admin"' "$tmp/login.json" || fail "the demo's account is not an admin: $(cat "$tmp/login.json")"
curl -sf "$base/" | grep -qi "<html" || fail "the dashboard is not served"
curl -sf "$base/api/v1/report?site=lung" >/dev/null || fail "the report is not served"
first=$pass
stop_main "$tmp/run1.out"

# again: the store reused, a new password; the first one is refused
start_main "$tmp/run2.out" || finish run_main
grep -q "already holds this bundle: reused" "$tmp/run2.out" || fail "the second run did not reuse the store"
[ "$pass" != "$first" ] || fail "the second run printed the same password"
[ "$(login "$first")" = 401 ] || fail "the first run's password still logs in"
[ "$(login "$pass")" = 200 ] || fail "the second run's password does not log in"
stop_main "$tmp/run2.out"
finish run_main
