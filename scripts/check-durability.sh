#!/usr/bin/env bash
# check-durability.sh — part of `make test`: the cluster `make run` serves from must be crash
# safe (a write the user saw confirmed survives a crash), and only the test cluster may trade
# that for speed. Starts each cluster if needed, reads the settings the server actually runs
# with, and stops what it started.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DB="$REPO/scripts/db.sh"

# settings CLUSTER prints "fsync synchronous_commit full_page_writes" as the server has them.
settings() {
  local started=0 out
  if ! IOP_DB_CLUSTER="$1" "$DB" status >/dev/null 2>&1; then started=1; fi
  IOP_DB_CLUSTER="$1" "$DB" start >/dev/null
  out="$(psql -X -A -t -F ' ' "$(IOP_DB_CLUSTER="$1" "$DB" admin-url)" -c \
    "SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')")"
  if ((started)); then IOP_DB_CLUSTER="$1" "$DB" stop >/dev/null; fi
  echo "$out"
}

fail=0
run="$(settings run)"
if [[ "$run" != "on on on" ]]; then
  echo "check-durability: the run cluster has fsync, synchronous_commit, full_page_writes = $run; want on on on" >&2
  fail=1
fi
test="$(settings test)"
if [[ "$test" != "off off off" ]]; then
  echo "check-durability: the test cluster has fsync, synchronous_commit, full_page_writes = $test; want off off off" >&2
  fail=1
fi
((fail == 0)) && echo "check-durability: run cluster durable ($run), test cluster fast ($test)"
exit "$fail"
