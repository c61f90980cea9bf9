#!/usr/bin/env bash
# lint.sh — gofmt (generated *_templ.go excluded: templ formats its own output) and go vet.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"
cd "$REPO"

echo "lint: gofmt -l"
unformatted="$(find . \( -path ./.git -o -path ./node_modules -o -path ./.data -o -path ./bin \) -prune \
  -o -type f -name '*.go' ! -name '*_templ.go' -print0 | xargs -0 -r gofmt -l)"
if [[ -n "$unformatted" ]]; then
  echo "lint: these files need gofmt (run: gofmt -w <file>):" >&2
  echo "$unformatted" >&2
  exit 1
fi

echo "lint: go vet ./..."
go vet ./...
