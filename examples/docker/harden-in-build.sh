#!/bin/sh
# The image-build step: harden an unpacked product home in place, then leave a report beside it.
#   harden-in-build.sh PRODUCT_HOME [harden options: --set NAME=VALUE, --config FILE, --only ...]
# Environment: HARDEN (the command, default "harden"), HARDEN_REPORT (default /harden-report.json),
# HARDEN_STRICT=1 to fail the build while findings remain (a value to give, a manual step).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 PRODUCT_HOME [harden options]" >&2; exit 2; }
home=$1
shift
harden=${HARDEN:-harden}
report=${HARDEN_REPORT:-/harden-report.json}

# No backups: an image has nothing to roll back to, and HOME/.harden must not ship in it.
status=0
$harden fix "$home" --yes --no-backup --quiet "$@" || status=$?
case $status in
  0) ;;
  1 | 3) [ "${HARDEN_STRICT:-0}" = 1 ] && { echo "harden: findings remain (HARDEN_STRICT=1)" >&2; exit 1; } ;;
  *) exit "$status" ;; # 2: bad input or usage; nothing was written
esac

# What is left, for the audit trail (exit 1 only means findings remain; they are in the report).
status=0
$harden check "$home" --format json "$@" >"$report" || status=$?
[ "$status" -le 1 ] || [ "$status" -eq 3 ] || exit "$status"
echo "harden: hardened $home; report in $report" >&2
