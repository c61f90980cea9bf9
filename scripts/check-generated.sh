#!/usr/bin/env bash
# check-generated.sh — fail when the committed templ output (*_templ.go) is not what
# `go tool templ generate` produces from the *.templ sources.
#
# It compares the generated files before and after regenerating, so it works on a work tree
# with uncommitted changes as well as in a fresh clone (where it equals a `git status` check).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"
cd "$REPO"

snapshot() {
  find . \( -path ./.git -o -path ./node_modules -o -path ./.data -o -path ./bin \) -prune \
    -o -type f -name '*_templ.go' -print0 | sort -z | xargs -0 -r sha256sum
}

before="$(snapshot)"
go tool templ generate
after="$(snapshot)"

if [[ "$before" != "$after" ]]; then
  echo "check-generated: *_templ.go files were stale or missing; run 'make generate' and commit:" >&2
  diff <(echo "$before") <(echo "$after") | sed -n 's/^[<>] [0-9a-f]*  //p' | sort -u >&2
  git status --porcelain -- '*_templ.go' >&2 2>/dev/null || true
  exit 1
fi
echo "check-generated: *_templ.go files are up to date"
