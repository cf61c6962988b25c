#!/usr/bin/env bash
# user_cli.sh - `pronostic user` and `pronostic audit` end to end (docs/interfaces.md 1.4): a
# generated password printed once and never stored or audited, a password read from standard
# input, tokens made and revoked, the list, usage errors (exit 1, naming the option) and store
# errors (exit 2), every change and only the changes that were made in the audit, its filters,
# its refusal of changes, and a store of schema version 3 migrated to 4 with its audit rows kept.
# Env: PRONOSTIC.
set -uo pipefail
. tests/integration/lib/common.sh
unset PRONOSTIC_KEY
db=$tmp/s.db
me=$(id -un)
run_pn init init --db "$db"
[ "$rc" -eq 0 ] || fail "init: $(cat "$tmp/init.err")"

# a generated password: printed once, one line, 20 characters of base64url
run_pn add user add alice --db "$db" --role analyst --source hospital-a,registry-c
[ "$rc" -eq 0 ] || fail "add alice: exit $rc: $(cat "$tmp/add.err")"
[ "$(lines "$tmp/add.out")" = 1 ] || fail "add alice: stdout is not one line: $(cat "$tmp/add.out")"
[ ! -s "$tmp/add.err" ] || fail "add alice: stderr: $(cat "$tmp/add.err")"
grep -Eq '^password: [A-Za-z0-9_-]{20}$' "$tmp/add.out" || fail "add alice: $(cat "$tmp/add.out")"
pw1=$(sed -n 's/^password: //p' "$tmp/add.out")

# a password from standard input: nothing printed
printf 'bob has a long password\n' >"$tmp/pw"
STDIN=$tmp/pw run_pn bob user add bob --db "$db" --role admin --password-stdin
[ "$rc" -eq 0 ] || fail "add bob: exit $rc: $(cat "$tmp/bob.err")"
[ ! -s "$tmp/bob.out" ] || fail "add bob printed: $(cat "$tmp/bob.out")"
STDIN=$tmp/pw run_pn carol user add carol --db "$db" --role researcher --password-stdin
[ "$rc" -eq 0 ] || fail "add carol: exit $rc: $(cat "$tmp/carol.err")"

# store errors: exit 2
STDIN=$tmp/pw run_pn dup user add bob --db "$db" --role admin --password-stdin
expect_error dup 2 "'bob' already exists"
run_pn rm_none user remove nobody --db "$db"
expect_error rm_none 2 "no account 'nobody'"
run_pn nodb user list --db "$tmp/none.db"
expect_error nodb 2 "$tmp/none.db"

# usage errors: exit 1, naming the option
run_pn u_role user add dan --db "$db"
expect_error u_role 1 "'--role'"
run_pn u_public user add dan --db "$db" --role public
expect_error u_public 1 "'--role'" "public"
run_pn u_src user add dan --db "$db" --role admin --source hospital-a
expect_error u_src 1 "'--source'" "analyst"
run_pn u_srcname user add dan --db "$db" --role analyst --source 'a b'
expect_error u_srcname 1 "'--source'"
printf 'short\n' >"$tmp/short"
STDIN=$tmp/short run_pn u_short user add dan --db "$db" --role admin --password-stdin
expect_error u_short 1 "'--password-stdin'" "short"
run_pn u_empty user add dan --db "$db" --role admin --password-stdin
expect_error u_empty 1 "'--password-stdin'"
run_pn u_db user add dan --role admin
expect_error u_db 1 "'--db'"
run_pn u_name user add --db "$db" --role admin
expect_error u_name 1 "missing account NAME"
run_pn u_bad user add 'dan!' --db "$db" --role admin
expect_error u_bad 1 "'dan!'" "not a valid name"
run_pn u_act user frobnicate --db "$db"
expect_error u_act 1 "unknown act 'frobnicate'"
run_pn u_opt user remove bob --db "$db" --role admin
expect_error u_opt 1 "'--role'"

# the list
run_pn list user list --db "$db" --format csv
[ "$rc" -eq 0 ] || fail "list: exit $rc: $(cat "$tmp/list.err")"
[ "$(head -1 "$tmp/list.out")" = "name,role,sources,created,tokens,disabled" ] || fail "list header: $(head -1 "$tmp/list.out")"
[ "$(lines "$tmp/list.out")" = 4 ] || fail "list: $(cat "$tmp/list.out")"
grep -Eq '^alice,analyst,"hospital-a,registry-c",[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z,0,0$' "$tmp/list.out" ||
  fail "list alice: $(grep alice "$tmp/list.out")"
grep -Eq '^bob,admin,,[0-9T:Z-]{20},0,0$' "$tmp/list.out" || fail "list bob: $(grep bob "$tmp/list.out")"

# tokens: printed once, counted in the list, revoked by id
run_pn tok user token alice --db "$db"
[ "$rc" -eq 0 ] || fail "token: exit $rc: $(cat "$tmp/tok.err")"
grep -Eq '^token: pnt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$' "$tmp/tok.out" || fail "token: $(cat "$tmp/tok.out")"
[ "$(lines "$tmp/tok.out")" = 1 ] || fail "token: stdout is not one line"
tok=$(sed -n 's/^token: //p' "$tmp/tok.out")
tid=${tok:4:16}
run_pn tok2 user token alice --db "$db"
run_pn list2 user list --db "$db" --format csv
grep -q '^alice,.*,2,0$' "$tmp/list2.out" || fail "alice's tokens: $(grep alice "$tmp/list2.out")"
run_pn tok_none user token nobody --db "$db"
expect_error tok_none 2 "no account 'nobody'"
run_pn rev user revoke "$tid" --db "$db"
[ "$rc" -eq 0 ] || fail "revoke: exit $rc: $(cat "$tmp/rev.err")"
run_pn rev2 user revoke "$tid" --db "$db"
expect_error rev2 2 "$tid"
run_pn rev_bad user revoke nothex --db "$db"
expect_error rev_bad 1 "16 hex digits"
[ "$(sqlite3 "$db" "SELECT count(*) FROM tokens WHERE id = '$tid'")" = 0 ] || fail "revoked token kept"

# a new password, disable and enable
printf 'bob has another long password\n' >"$tmp/pw2"
STDIN=$tmp/pw2 run_pn pwd user passwd bob --db "$db" --password-stdin
[ "$rc" -eq 0 ] && [ ! -s "$tmp/pwd.out" ] || fail "passwd bob: exit $rc: $(cat "$tmp/pwd.err" "$tmp/pwd.out")"
run_pn pwgen user passwd carol --db "$db"
[ "$rc" -eq 0 ] || fail "passwd carol: exit $rc"
grep -Eq '^password: [A-Za-z0-9_-]{20}$' "$tmp/pwgen.out" || fail "passwd carol: $(cat "$tmp/pwgen.out")"
pw3=$(sed -n 's/^password: //p' "$tmp/pwgen.out")
STDIN=$tmp/pw2 run_pn pwd_none user passwd nobody --db "$db" --password-stdin
expect_error pwd_none 2 "no account 'nobody'"
run_pn dis user disable carol --db "$db"
run_pn list3 user list --db "$db" --format csv
grep -q '^carol,researcher,,.*,0,1$' "$tmp/list3.out" || fail "carol not disabled: $(grep carol "$tmp/list3.out")"
run_pn en user enable carol --db "$db"
[ "$(sqlite3 "$db" "SELECT disabled FROM accounts WHERE name = 'carol'")" = 0 ] || fail "carol not enabled"

# remove: the account and its tokens
run_pn rm user remove alice --db "$db"
[ "$rc" -eq 0 ] || fail "remove: exit $rc: $(cat "$tmp/rm.err")"
[ "$(sqlite3 "$db" "SELECT count(*) FROM tokens WHERE account = 'alice'")" = 0 ] || fail "alice's tokens kept"
run_pn list4 user list --db "$db" --format csv
grep -q '^alice,' "$tmp/list4.out" && fail "alice still listed"

# no password nor token secret anywhere in the store's files
for secret in "$pw1" "$pw3" "bob has a long password" "bob has another long password" "${tok:21}"; do
  cat "$db" "$db-wal" 2>/dev/null | grep -qaF -- "$secret" && fail "a secret is in the store: $secret"
done

# the audit: every change made, in order, by whom; none of the refused ones
run_pn aud audit --db "$db" --format csv
[ "$rc" -eq 0 ] || fail "audit: exit $rc: $(cat "$tmp/aud.err")"
[ "$(head -1 "$tmp/aud.out")" = "id,at,who,action,rows,detail" ] || fail "audit header: $(head -1 "$tmp/aud.out")"
acts=$(tail -n +2 "$tmp/aud.out" | cut -d, -f4 | tr '\n' ' ')
[ "$acts" = "user-add user-add user-add user-token user-token user-revoke user-passwd user-passwd user-disable user-enable user-remove " ] ||
  fail "audit actions: $acts"
[ "$(tail -n +2 "$tmp/aud.out" | cut -d, -f3 | sort -u)" = "$me" ] || fail "audit who: not $me"
[ "$(tail -n +2 "$tmp/aud.out" | cut -d, -f5 | sort -u)" = "" ] || fail "audit rows of acts that are not reads"
grep -q "user-add,,\"name=alice role=analyst sources=hospital-a,registry-c\"" "$tmp/aud.out" ||
  fail "audit detail of add: $(grep user-add "$tmp/aud.out" | head -1)"
grep -q "user-revoke,,id=$tid\$" "$tmp/aud.out" || fail "audit detail of revoke"
for secret in "$pw1" "$pw3" "bob has a long password" "${tok:21}"; do
  grep -qF -- "$secret" "$tmp/aud.out" && fail "a secret is in the audit"
done
sqlite3 "$db" ".dump audit" | grep -qiF -- "$pw1" && fail "the password is in the audit table"

# filters
run_pn f1 audit --db "$db" --action user-add --format csv
[ "$(lines "$tmp/f1.out")" = 4 ] || fail "--action: $(cat "$tmp/f1.out")"
run_pn f2 audit --db "$db" --who nobody --format csv
[ "$(lines "$tmp/f2.out")" = 1 ] || fail "--who nobody: $(cat "$tmp/f2.out")"
run_pn f3 audit --db "$db" --limit 2 --newest-first --format csv
[ "$(tail -n +2 "$tmp/f3.out" | cut -d, -f4 | tr '\n' ' ')" = "user-remove user-enable " ] || fail "--limit --newest-first: $(cat "$tmp/f3.out")"
run_pn f4 audit --db "$db" --since 2000-01-01 --format csv
[ "$(lines "$tmp/f4.out")" = 12 ] || fail "--since 2000-01-01: $(lines "$tmp/f4.out") lines"
run_pn f5 audit --db "$db" --since "$(date -u -d tomorrow +%Y-%m-%d)" --format csv
[ "$(lines "$tmp/f5.out")" = 1 ] || fail "--since tomorrow: $(cat "$tmp/f5.out")"
run_pn f6 audit --db "$db" --since 2024-02-30
expect_error f6 1 "'--since'"
run_pn f7 audit --db "$db" --limit 0
expect_error f7 1 "'--limit'"
run_pn f8 audit
expect_error f8 1 "'--db'"

# append-only, even by hand
sqlite3 "$db" "UPDATE audit SET who = 'x'" 2>/dev/null && fail "an audit entry was changed"
sqlite3 "$db" "DELETE FROM audit" 2>/dev/null && fail "fresh audit entries were deleted"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE who = '$me'")" = 11 ] || fail "audit changed"

# a store of schema version 3 (made from a fresh one by undoing migration 4) with audit rows:
# migrated to 4 by its first use, its rows kept, rows NULL
old=$tmp/old.db
run_pn init2 init --db "$old"
sqlite3 "$old" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_retention; DROP TABLE tokens;
  DROP TABLE accounts; ALTER TABLE audit DROP COLUMN rows;
  INSERT INTO audit(at, who, action, detail) VALUES
    ('2024-05-01T10:00:00Z', 'eve', 'no-suppress', 'pronostic report --db x --no-suppress'),
    ('2024-06-01T11:00:00Z', 'fay', 'no-suppress', 'pronostic pathway --db x --no-suppress');
  PRAGMA user_version = 3;" || fail "making the version-3 store"
[ "$(sqlite3 "$old" "PRAGMA user_version")" = 3 ] || fail "fixture is not version 3"
run_pn mig audit --db "$old" --format csv
[ "$rc" -eq 0 ] || fail "audit of a version-3 store: exit $rc: $(cat "$tmp/mig.err")"
[ "$(sqlite3 "$old" "PRAGMA user_version")" = 4 ] || fail "not migrated to 4"
[ "$(sed -n 2p "$tmp/mig.out")" = "1,2024-05-01T10:00:00Z,eve,no-suppress,,pronostic report --db x --no-suppress" ] ||
  fail "migrated audit row: $(sed -n 2p "$tmp/mig.out")"
[ "$(lines "$tmp/mig.out")" = 3 ] || fail "migrated audit rows: $(cat "$tmp/mig.out")"
sqlite3 "$old" "UPDATE audit SET who = 'x'" 2>/dev/null && fail "the migrated audit can be changed"
STDIN=$tmp/pw run_pn mig_add user add gus --db "$old" --role researcher --password-stdin
[ "$rc" -eq 0 ] || fail "add on the migrated store: exit $rc: $(cat "$tmp/mig_add.err")"
[ "$(sqlite3 "$old" "SELECT count(*) FROM audit")" = 3 ] || fail "the migrated store's audit"
finish user_cli
