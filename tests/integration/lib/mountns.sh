# mountns.sh - need_mount_namespace NAME: set the array ns to a command that runs its arguments
# in a private mount namespace where a tmpfs can be mounted (unshare -m as root, unshare -rm
# otherwise), or exit 77 (ctest's skip code for these tests) saying NAME is skipped. Sourced
# after common.sh (uses $tmp).
need_mount_namespace() {
  ns=()
  local try
  for try in "unshare -m --propagation private" "unshare -rm --propagation private"; do
    # shellcheck disable=SC2086
    if $try sh -c "mount -t tmpfs -o size=1m tmpfs '$tmp'" 2>/dev/null; then ns=($try); return 0; fi
  done
  echo "$1: SKIPPED: cannot make a mount namespace with a small tmpfs here"
  exit 77
}
