# common.sh - what the integration scripts share: the binary, a temporary directory removed on
# exit, failures counted rather than fatal, a runner that captures the output, and the error
# check of docs/interfaces.md 1 (the exit code, one line on stderr naming what is wrong, nothing on
# stdout). Sourced by scripts run from the repository root: . tests/integration/lib/common.sh
P=${PRONOSTIC:?PRONOSTIC not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
lines() { wc -l <"$1" | tr -d ' '; }

# run_pn NAME ARGS...: pronostic ARGS with stdin from $STDIN (default /dev/null); sets rc;
# the output is in $tmp/NAME.out and $tmp/NAME.err
run_pn() {
  local name=$1; shift
  "$P" "$@" <"${STDIN:-/dev/null}" >"$tmp/$name.out" 2>"$tmp/$name.err"
  rc=$?
}

# expect_error NAME CODE WORD...: exit CODE, stderr one line containing every WORD, stdout empty
expect_error() {
  local name=$1 code=$2; shift 2
  [ "$rc" -eq "$code" ] || fail "$name: exit code $rc, expected $code (stderr: $(head -c 300 "$tmp/$name.err"))"
  [ "$(lines "$tmp/$name.err")" -eq 1 ] || fail "$name: stderr is not one line: $(head -c 400 "$tmp/$name.err")"
  local w
  for w in "$@"; do
    grep -qF -- "$w" "$tmp/$name.err" || fail "$name: stderr does not name '$w': $(head -c 300 "$tmp/$name.err")"
  done
  [ ! -s "$tmp/$name.out" ] || fail "$name: wrote to stdout on an error"
}

# finish NAME: report the failures and exit 1, or say that every check passed
finish() {
  if [ "$fails" -ne 0 ]; then echo "$1: $fails failure(s)" >&2; exit 1; fi
  echo "$1: all checks passed"
}
