#!/usr/bin/env bash
# with-db.sh CMD [ARGS...] — run CMD with the local test PostgreSQL cluster up and the test
# environment exported; stop the cluster afterwards only if this script started it (also on
# failure or interrupt). The exit status is CMD's.
#
# Exported for CMD (values already set in the environment win):
#   IOP_TEST_DATABASE_URL  superuser URL of the local cluster (tests create their own databases)
#   IOP_CHROMIUM           /usr/bin/chromium
#   IOP_AXE_JS             $REPO/node_modules/axe-core/axe.min.js
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"
DB="$REPO/scripts/db.sh"
# Tests and benchmarks use the fast, throwaway cluster, never the one `make run` serves from.
export IOP_DB_CLUSTER=test

(($# > 0)) || { echo "usage: scripts/with-db.sh CMD [ARGS...]" >&2; exit 2; }

started=0
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  if ((started)); then "$DB" stop || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! "$DB" status >/dev/null 2>&1; then started=1; fi
"$DB" start

export IOP_TEST_DATABASE_URL="${IOP_TEST_DATABASE_URL:-$("$DB" admin-url)}"
export IOP_CHROMIUM="${IOP_CHROMIUM:-/usr/bin/chromium}"
export IOP_AXE_JS="${IOP_AXE_JS:-$REPO/node_modules/axe-core/axe.min.js}"

rc=0
"$@" || rc=$?
exit "$rc"
