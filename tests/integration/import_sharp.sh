#!/usr/bin/env bash
# import_sharp.sh - sharp edges of the import: centres' authorisation mentions and networks
# checked against the vocabulary of docs/interfaces.md 2; trials.json capped at 16 MiB like a CSV row;
# a file that changes while it is read fails the import and loads nothing; a file that is not a
# regular file is refused.
. tests/integration/lib/common.sh
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY
b=tests/integration/bundles
mkbundle() { mkdir -p "$1"; cp "$b/registry-c/patients.csv" "$b/registry-c/tumours.csv" "$1/"; }

# centres: unknown mention, empty item, repeated item -> quarantined with the item's position;
# an unknown network is a warning and the row loads
mkbundle "$tmp/c"
cat >"$tmp/c/centres.csv" <<'CSV'
centre_id,name,departement,authorisations,networks
750000001,CHU A,75,SURG-A1;SURG-B5;SYST-C;RT-A,FEM-NET;GLIOREC
750000002,CH B,75,SURG-A1;SURG-A9,
750000003,CH C,75,SURG-A1;;RT-A,
750000004,CH D,75,RT-A;RT-A,
750000005,CH E,75,SYST-A,FEM-NET;ONCO-X
750000006,CH F,75,SYST-A,FEM-NET;
CSV
run_pn c init --db "$tmp/c.db"
run_pn c import "$tmp/c" --db "$tmp/c.db" --format csv
[ "$rc" -eq 3 ] || fail "centres: exit $rc"
run_pn cq quarantine --db "$tmp/c.db" --format csv
want=$(cat <<'TXT'
centres.csv,3,authorisations,"item 2 is not an authorisation mention (SURG-A1..A7, SURG-B1..B5, SYST-A, SYST-B, RT-A, RT-B, and SURG-C, SYST-C, RT-C for paediatrics)",error
centres.csv,4,authorisations,item 2 is empty (items are separated by semicolons),error
centres.csv,5,authorisations,item 2 repeats an earlier item,error
centres.csv,6,networks,"item 2 is not a network of the national list (FEM-NET, GLIOREC); kept",warning
centres.csv,7,networks,item 2 is empty (items are separated by semicolons),error
TXT
)
got=$(grep '^centres.csv' "$tmp/cq.out" | sed 's/,default,1$//')
[ "$got" = "$want" ] || fail "centres quarantine: $got"
[ "$(sqlite3 "$tmp/c.db" "SELECT group_concat(centre_id) FROM (SELECT centre_id FROM centres ORDER BY 1)")" = "750000001,750000005" ] ||
  fail "centres loaded: $(sqlite3 "$tmp/c.db" "SELECT centre_id FROM centres")"

# trials.json over 16 MiB: quarantined, the rest loads
mkbundle "$tmp/t"
python3 -c "
import json
t = [{'id': 'NCT%08d' % i, 'name': 'x' * 1000} for i in range(17000)]
json.dump({'trials': t}, open('$tmp/t/trials.json', 'w'))"
[ "$(stat -c %s "$tmp/t/trials.json")" -gt 16777216 ] || fail "trials sanity"
run_pn t init --db "$tmp/t.db"
run_pn t import "$tmp/t" --db "$tmp/t.db" --format csv
[ "$rc" -eq 3 ] || fail "big trials.json: exit $rc"
"$P" quarantine --db "$tmp/t.db" --format csv | grep -q '^trials.json,0,,larger than 16 MiB (the limit of a CSV row); file not loaded,error' ||
  fail "big trials.json not quarantined: $("$P" quarantine --db "$tmp/t.db" --format csv)"
[ "$(sqlite3 "$tmp/t.db" "SELECT count(*) FROM patients")" = "1" ] || fail "big trials.json: patients not loaded"
# a JSON error's message does not quote the file's text
printf '{"trials": [ SECRET-ID-42 ]}' >"$tmp/t/trials.json"
run_pn t2 import "$tmp/t" --db "$tmp/t.db" --format csv
"$P" quarantine --db "$tmp/t.db" --format csv | grep "^trials.json" | grep -q "SECRET" && fail "a JSON error quotes the file"

# a file that grows while it is read: the import fails (exit 2) and loads nothing
mkbundle "$tmp/g"
bash bench/import/gen_bundle.sh "$tmp/g" 2000 20 3 >/dev/null 2>&1 || fail "generator"
python3 - "$tmp/g/events.csv" <<'PY'
import sys
f = open(sys.argv[1], "a")
rows = open(sys.argv[1]).read().splitlines()[1:]
for _ in range(30):
    f.write("\n".join(rows) + "\n")
PY
run_pn g init --db "$tmp/g.db"
head -1 "$tmp/g/events.csv" >/dev/null
( while :; do echo "P000001,2020-01-01,imaging,,,," >>"$tmp/g/events.csv"; done ) &
writer=$!
sleep 0.2
run_pn g import "$tmp/g" --db "$tmp/g.db" --format csv
kill "$writer"; wait "$writer" 2>/dev/null
expect_error g 2 "events.csv" "changed while it was read" "nothing was imported"
[ "$(sqlite3 "$tmp/g.db" "SELECT count(*) FROM patients")" = "0" ] || fail "a changing file left rows in the store"
[ "$(sqlite3 "$tmp/g.db" "SELECT count(*) FROM runs")" = "0" ] || fail "a changing file left a run in the store"

# a named pipe instead of a file is refused, not read
mkbundle "$tmp/f"
mkfifo "$tmp/f/events.csv"
run_pn f init --db "$tmp/f.db"
run_pn f import "$tmp/f" --db "$tmp/f.db" --format csv
[ "$rc" -eq 3 ] || fail "fifo: exit $rc"
"$P" quarantine --db "$tmp/f.db" --format csv | grep -q "^events.csv,0,,not a regular file; not loaded,error" || fail "fifo not refused"
finish import_sharp
