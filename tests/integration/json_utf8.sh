#!/usr/bin/env bash
# json_utf8.sh - `--format json` is valid JSON whatever bytes the texts hold: `quarantine` on a
# store imported from a bundle whose patients.csv header has a latin-1 column name, with a file
# whose name is not UTF-8 and a --source that is not UTF-8 either; and `surv --by` on a column
# whose values are not UTF-8. Each byte that is not part of a UTF-8 character is written as
# U+FFFD. Env: PRONOSTIC. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
export PRONOSTIC_TODAY=2025-01-01
unset PRONOSTIC_KEY
command -v python3 >/dev/null || { echo "json_utf8: python3 is needed to validate JSON" >&2; exit 1; }
# JSON text must be UTF-8 (RFC 8259 8.1): decode strictly (python's stdin in the C locale would
# let invalid bytes through as surrogate escapes), then parse
valid() {
  python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' <"$1" 2>"$1.py" ||
    fail "$2: not valid JSON: $(tail -n 1 "$1.py")"
}

b="$tmp/bundle"
mkdir -p "$b"
printf 'patient_id,sex,birth_date,vital_status,vital_status_date,r\xe9gion\n1,M,1950-01-01,alive,2020-01-01,x\n' >"$b/patients.csv"
printf 'tumour_id,patient_id,diagnosis_date,icd10\nt1,1,2015-01-01,C25.1\n' >"$b/tumours.csv"
printf 'x\n' >"$b/notes_$(printf '\xff').csv"
"$P" init --db "$tmp/s.db" >/dev/null 2>&1 || fail "init"
"$P" import "$b" --db "$tmp/s.db" --source "h$(printf '\xfe')pital" >/dev/null 2>"$tmp/import.err"
[ $? -eq 0 ] || fail "import: $(cat "$tmp/import.err")"
run_pn q quarantine --db "$tmp/s.db" --format json
[ "$rc" -eq 0 ] || fail "quarantine: exit code $rc ($(cat "$tmp/q.err"))"
valid "$tmp/q.out" quarantine
python3 - "$tmp/q.out" <<'PY' || fail "quarantine: not the expected entries: $(cat "$tmp/q.out")"
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
assert {r["field"] for r in rows} >= {"r\ufffdgion"}, rows
assert {r["file"] for r in rows} >= {"notes_\ufffd.csv"}, rows
assert {r["source"] for r in rows} == {"h\ufffdpital"}, rows
PY
# the same listing as csv still holds the bytes as they were sent
run_pn qcsv quarantine --db "$tmp/s.db" --format csv
grep -q "$(printf 'r\xe9gion')" "$tmp/qcsv.out" || fail "quarantine csv: the column name changed"

# a --by column whose values are latin-1: the stratum labels in JSON
printf 't,e,g\n1,1,caf\xe9\n2,0,caf\xe9\n3,1,th\xe9\n4,1,th\xe9\n' >"$tmp/l1.csv"
run_pn surv surv "$tmp/l1.csv" --time t --event e --by g --format json
[ "$rc" -eq 0 ] || fail "surv: exit code $rc ($(cat "$tmp/surv.err"))"
valid "$tmp/surv.out" surv
grep -qF '"stratum":"g=caf\ufffd"' "$tmp/surv.out" || fail "surv: $(head -c 300 "$tmp/surv.out")"
finish json_utf8
