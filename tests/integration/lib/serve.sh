# serve.sh - start and stop `pronostic serve` for a test: on 127.0.0.1, a free port chosen by
# the server itself (port 0, written to a file), its output in $tmp/serve.err; always stopped
# by the caller's EXIT trap (serve_stop). Sourced after common.sh.
serve_pid=
# serve_start DB [OPTIONS...]: start, wait up to 60 s for /api/v1/health; sets $base
serve_start() {
  local db=$1; shift
  rm -f "$tmp/port"
  "$P" serve --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" "$@" 2>"$tmp/serve.err" &
  serve_pid=$!
  local i
  for i in $(seq 600); do
    if [ -s "$tmp/port" ]; then
      base="http://127.0.0.1:$(cat "$tmp/port")"
      curl -sf -m 5 "$base/api/v1/health" >/dev/null 2>&1 && return 0
    fi
    kill -0 "$serve_pid" 2>/dev/null || { echo "serve exited: $(head -c 500 "$tmp/serve.err")" >&2; return 1; }
    sleep 0.1
  done
  echo "serve did not answer in 60 s" >&2
  return 1
}
# serve_stop: SIGTERM, wait; fails the test when the server did not stop cleanly (exit 0)
serve_stop() {
  [ -n "$serve_pid" ] || return 0
  kill -TERM "$serve_pid" 2>/dev/null
  local i
  for i in $(seq 300); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$serve_pid" 2>/dev/null
  wait "$serve_pid"
  local rc=$?
  serve_pid=
  [ "$rc" -eq 0 ] || fail "serve: exit $rc on SIGTERM: $(tail -c 800 "$tmp/serve.err")"
  if grep -q "ERROR: AddressSanitizer\|runtime error:\|WARNING: ThreadSanitizer" "$tmp/serve.err"; then
    fail "serve: sanitizer report: $(grep -m3 "ERROR\|runtime error" "$tmp/serve.err")"
  fi
}
