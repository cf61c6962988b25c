# store_reads.sh - what the read-only tests of the store share: a small demo store, the
# read-only commands (report, surv, netsurv, cox, quarantine, netsurv-diff and trend with
# --db), run through an optional wrapper (another user, a namespace), and the check that two
# runs printed the same rows. Needs $P (common.sh); sourced from the repository root.

# demo_store DIR: DIR/s.db and its key, from a 3,000-patient demo bundle (closed cleanly)
demo_store() {
  mkdir -p "$1"
  "$P" demo --out "$1/bundle" --patients 3000 --seed 5 --quiet >/dev/null &&
    "$P" init --db "$1/s.db" 2>/dev/null &&
    "$P" import "$1/bundle" --db "$1/s.db" >/dev/null 2>&1
}

read_cmds=(report surv netsurv cox quarantine netsurv-diff trend)

# read_args NAME DB: the arguments of read-only command NAME on store DB
read_args() {
  case $1 in
    report) echo "report --db $2" ;;
    surv) echo "surv --db $2 --site lung" ;;
    netsurv) echo "netsurv --db $2 --site lung --at 365,1826" ;;
    cox) echo "cox --db $2 --site lung --covariates age,sex --factor sex" ;;
    quarantine) echo "quarantine --db $2" ;;
    netsurv-diff) echo "netsurv-diff --db $2 --site lung --by sex" ;;
    trend) echo "trend --db $2 --site lung" ;;
  esac
}

# reads_run DB OUT [WRAPPER...]: every read-only command on DB, through WRAPPER when given;
# OUT/NAME.out, OUT/NAME.err and OUT/NAME.rc (the exit code)
reads_run() {
  local db=$1 out=$2 c
  shift 2
  mkdir -p "$out"
  for c in "${read_cmds[@]}"; do
    # shellcheck disable=SC2046
    "$@" "$P" $(read_args "$c" "$db") --format csv </dev/null >"$out/$c.out" 2>"$out/$c.err"
    echo $? >"$out/$c.rc"
  done
}

# reads_same WHAT REF GOT: every command exited 0 in both runs and printed the same rows
reads_same() {
  local what=$1 ref=$2 got=$3 c
  for c in "${read_cmds[@]}"; do
    [ "$(cat "$ref/$c.rc")" = 0 ] || fail "$what: $c on the writable store: exit $(cat "$ref/$c.rc") ($(head -c 300 "$ref/$c.err"))"
    [ "$(cat "$got/$c.rc" 2>/dev/null)" = 0 ] || fail "$what: $c: exit $(cat "$got/$c.rc" 2>/dev/null) ($(head -c 300 "$got/$c.err" 2>/dev/null))"
    [ -s "$ref/$c.out" ] && cmp -s "$ref/$c.out" "$got/$c.out" || fail "$what: $c printed other rows"
  done
}
