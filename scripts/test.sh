#!/usr/bin/env bash
# test.sh — everything `make test` (and CI) runs, from a bare Debian 12 machine:
# dependencies, gofmt/vet, the generated-code check, then every Go test (including browser
# tests) against the local PostgreSQL cluster, which is stopped afterwards if this started it.
#
#   TESTFLAGS  extra `go test` flags, e.g. TESTFLAGS='-run TestLogin -v'
#   PKG        packages to test (default ./...)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"
cd "$REPO"

t0=$SECONDS
report() {
  local rc=$? d=$((SECONDS - t0))
  local verdict=passed
  ((rc == 0)) || verdict="FAILED (exit $rc)"
  printf 'make test: %s in %dm%02ds\n' "$verdict" $((d / 60)) $((d % 60))
}
trap report EXIT

scripts/deps.sh test
scripts/lint.sh
AUDIT_OFFLINE=skip scripts/audit.sh
scripts/check-generated.sh
scripts/check-durability.sh

read -r -a extra <<<"${TESTFLAGS:-}"
read -r -a pkgs <<<"${PKG:-./...}"
# No -race: too slow on the two-core machines CI runs on.
scripts/with-db.sh go test -count=1 -p 2 -timeout 30m "${extra[@]}" "${pkgs[@]}"
