#!/usr/bin/env bash
# run.sh - the browser tests of the dashboard (ctest browser.dashboard): playwright-core from npm
# (installed once into $PN_BUILD_DIR/browser/node_modules from package-lock.json, the source
# tree stays clean) drives Debian's chromium headless against the real `pronostic serve` on a
# 20,000-patient demo store with an admin and a researcher account, on a free local port; then
# dashboard.test.mjs. The server is always stopped (trap), and must stop cleanly. Screenshots of every page go to
# $PN_BUILD_DIR/screenshots/. Exits non-zero on any failure, including a missing node or
# chromium (scripts/install-deps installs them): the test is never skipped.
# Env: PRONOSTIC (the binary), PN_BUILD_DIR (the build directory), PN_CHROMIUM (default
# /usr/bin/chromium), PN_BROWSER_PATIENTS (20000).
set -uo pipefail
: "${PRONOSTIC:?set PRONOSTIC to the pronostic binary}"
: "${PN_BUILD_DIR:?set PN_BUILD_DIR to the build directory}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
chromium=${PN_CHROMIUM:-/usr/bin/chromium}
die() { echo "browser.dashboard: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node is not installed (scripts/install-deps installs Node.js): cannot run the browser tests"
command -v npm >/dev/null 2>&1 || die "npm is not installed (scripts/install-deps installs it): cannot run the browser tests"
[ -x "$chromium" ] || die "$chromium is missing (scripts/install-deps installs Debian's chromium; or set PN_CHROMIUM)"
[ "$(node -p 'Number(process.versions.node.split(".")[0]) >= 20')" = true ] ||
  die "node $(node --version) is too old: playwright-core needs node 20 or later"
[ -x "$PRONOSTIC" ] || die "$PRONOSTIC is not built"

# playwright-core, as pinned by package-lock.json, in the build directory (reinstalled when the
# lock file changes)
mods=$PN_BUILD_DIR/browser
mkdir -p "$mods" || die "cannot make $mods"
if ! cmp -s "$here/package-lock.json" "$mods/package-lock.json" || [ ! -f "$mods/node_modules/playwright-core/package.json" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$mods/" || die "cannot copy the package files to $mods"
  (cd "$mods" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
    die "npm ci of playwright-core into $mods failed (is the npm registry reachable?)"
fi

# the integration tests' temporary directory, failure count and server start/stop (port 0 and
# --port-file; a server that does not stop cleanly on SIGTERM, or a sanitizer report, fails)
. "$root/tests/integration/lib/common.sh"
. "$root/tests/integration/lib/serve.sh"
trap 'serve_stop; rm -rf "$tmp"; [ "$fails" -eq 0 ] || exit 1' EXIT
trap 'exit 1' INT TERM
export PRONOSTIC_TODAY=2025-01-01

# the demo store (docs/interfaces.md 1.4; import exits 3 when it quarantined rows)
"$PRONOSTIC" demo --out "$tmp/bundle" --patients "${PN_BROWSER_PATIENTS:-20000}" --seed 1 --quiet >/dev/null ||
  die "pronostic demo failed"
"$PRONOSTIC" init --db "$tmp/store.db" 2>"$tmp/init.err" || die "pronostic init failed: $(cat "$tmp/init.err")"
rc=0
"$PRONOSTIC" import "$tmp/bundle" --db "$tmp/store.db" >/dev/null 2>"$tmp/import.err" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || die "pronostic import failed (exit $rc): $(head -c 400 "$tmp/import.err")"

# accounts with random passwords
pw() { python3 -c 'import secrets; print(secrets.token_urlsafe(18))'; }
export PN_TEST_ADMIN=admin1 PN_TEST_ADMIN_PASSWORD PN_TEST_RESEARCHER=chercheur1 PN_TEST_RESEARCHER_PASSWORD
PN_TEST_ADMIN_PASSWORD=$(pw)
PN_TEST_RESEARCHER_PASSWORD=$(pw)
printf '%s\n' "$PN_TEST_ADMIN_PASSWORD" |
  "$PRONOSTIC" user add "$PN_TEST_ADMIN" --db "$tmp/store.db" --role admin --password-stdin >"$tmp/user.out" 2>&1 ||
  die "pronostic user add $PN_TEST_ADMIN failed: $(head -c 400 "$tmp/user.out")"
printf '%s\n' "$PN_TEST_RESEARCHER_PASSWORD" |
  "$PRONOSTIC" user add "$PN_TEST_RESEARCHER" --db "$tmp/store.db" --role researcher --password-stdin >"$tmp/user.out" 2>&1 ||
  die "pronostic user add $PN_TEST_RESEARCHER failed: $(head -c 400 "$tmp/user.out")"

# the server, on a port of its choice
serve_start "$tmp/store.db" --web "$root/web" || die "pronostic serve did not start"
export PN_URL=$base

export PN_BROWSER_MODULES=$mods PN_CHROMIUM=$chromium PN_SCREENSHOTS=$PN_BUILD_DIR/screenshots
rm -rf "$PN_SCREENSHOTS" && mkdir -p "$PN_SCREENSHOTS" || die "cannot make $PN_SCREENSHOTS"
rc=0
node "$here/dashboard.test.mjs" || rc=$?
if [ "$rc" -ne 0 ]; then
  fail "dashboard.test.mjs: exit $rc; the server's log: $(tail -n 40 "$tmp/serve.err")"
fi
serve_stop
finish browser.dashboard
