#!/usr/bin/env bash
# surv_plot.sh - `pronostic surv --plot FILE.svg`: the SVG is well-formed XML with one curve per
# stratum whose steps (and bands) are the estimates (and limits) the same command prints, on the
# scale its axes show (tests/integration/lib/svgcheck.py); labels are escaped; the file is
# replaced atomically (no temporary left); an unwritable path is exit 2 naming the file with
# nothing on stdout; --plot with --method lifetable is a usage error.
# Env: PRONOSTIC. Run from the repository root.
set -uo pipefail
. tests/integration/lib/common.sh
G=tests/golden/data
check() { python3 tests/integration/lib/svgcheck.py "$@" >"$tmp/check.out" 2>&1 ||
  fail "$(head -c 1500 "$tmp/check.out")"; }

# lung by sex, times in days on the axis (--time-unit days given)
run_pn lung surv "$G/lung.csv" --time time --event status --event-value 2 --by sex \
  --time-unit days --plot "$tmp/lung.svg" --format csv
[ "$rc" -eq 0 ] || fail "lung: exit code $rc: $(cat "$tmp/lung.err")"
[ "$(grep -c '^sex=' "$tmp/lung.out")" -gt 100 ] || fail "lung: the rows are not printed as usual"
check "$tmp/lung.svg" "$tmp/lung.out" 1
grep -q '>Temps (jours)</text>' "$tmp/lung.svg" || fail "lung: x label is not in days"
[ "$(grep -c 'class="curve"' "$tmp/lung.svg")" -eq 2 ] || fail "lung: not two curves"

# without --time-unit, lung's 1022 days are shown in years; log-log limits are the bands
run_pn years surv "$G/lung.csv" --time time --event status --event-value 2 --by sex \
  --conf-type log-log --conf 0.9 --plot "$tmp/years.svg" --format csv
[ "$rc" -eq 0 ] || fail "years: exit code $rc"
check "$tmp/years.svg" "$tmp/years.out" 365.241
grep -q '>Temps (années)</text>' "$tmp/years.svg" || fail "years: x label is not in years"

# with --at or --summary the printed rows change, the plot still has every step: the same file
run_pn at surv "$G/lung.csv" --time time --event status --event-value 2 --by sex \
  --conf-type log-log --conf 0.9 --at 100,200 --plot "$tmp/at.svg" --format csv
[ "$(lines "$tmp/at.out")" -eq 5 ] || fail "at: $(lines "$tmp/at.out") lines printed"
cmp -s "$tmp/years.svg" "$tmp/at.svg" || fail "at: the plot differs from the full curve's"

# two grouping columns, Fleming-Harrington, one stratum per combination
run_pn two surv "$G/lung.csv" --time time --event status --event-value 2 --by sex,ph.ecog \
  --method fh --time-unit days --plot "$tmp/two.svg" --format csv
[ "$rc" -eq 0 ] || fail "two: exit code $rc"
check "$tmp/two.svg" "$tmp/two.out" 1

# a label with markup characters stays text; the old file is replaced, no temporary left
printf 't,e,g\n1,1,a<b&c\n2,0,a<b&c\n3,1,"x ""y"""\n5,1,"x ""y"""\n' >"$tmp/esc.csv"
echo old >"$tmp/esc.svg"
run_pn esc surv "$tmp/esc.csv" --time t --event e --by g --plot "$tmp/esc.svg" --format csv
[ "$rc" -eq 0 ] || fail "esc: exit code $rc: $(cat "$tmp/esc.err")"
check "$tmp/esc.svg" "$tmp/esc.out" 1
grep -q '>g=a&lt;b&amp;c</text>' "$tmp/esc.svg" || fail "esc: the label is not escaped"
ls "$tmp" | grep -q '\.tmp\.' && fail "esc: a temporary file was left behind"

# unwritable: exit 2, one line naming the file, nothing on stdout, nothing left
run_pn unwritable surv "$G/lung.csv" --time time --event status --plot "$tmp/no/dir/x.svg"
expect_error unwritable 2 "$tmp/no/dir/x.svg"
mkdir "$tmp/d.svg"
run_pn isdir surv "$G/lung.csv" --time time --event status --plot "$tmp/d.svg"
expect_error isdir 2 "$tmp/d.svg"
ls "$tmp" | grep -q '\.tmp\.' && fail "isdir: a temporary file was left behind"

run_pn life surv "$G/lung.csv" --time time --event status --method lifetable --at 100,200 \
  --plot "$tmp/life.svg"
expect_error life 1 "--plot" "lifetable"
[ ! -e "$tmp/life.svg" ] || fail "life: a plot was written"

finish surv_plot
