#!/usr/bin/env bash
# deps.sh [run|test|assets] — install what the project needs, and only what is missing.
#
#   run     PostgreSQL server, Node.js + npm, npm packages, vendored htmx, and Debian's
#           chromium with fonts, which prints the annual reports to PDF (for `make run`)
#   test    everything in `run` plus poppler-utils (pdftotext, for the PDF tests) (for `make test`)
#   assets  only npm packages + vendored htmx (for `make build`; needs npm)
#
# Idempotent: apt-get runs (with a single `apt-get update`) only when a package is missing,
# `npm ci` only when node_modules is missing or older than package-lock.json, and htmx is
# copied only when its content differs.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"
MODE="${1:-run}"

die() { echo "deps.sh: error: $*" >&2; exit 1; }
say() { echo "deps.sh: $*"; }

case "$MODE" in
  run|test|assets) ;;
  *) die "unknown mode '$MODE' (usage: scripts/deps.sh [run|test|assets])" ;;
esac

command -v go >/dev/null 2>&1 ||
  die "Go is not installed (looked on PATH and in /usr/local/go/bin); install Go $(sed -n 's/^go //p' "$REPO/go.mod" 2>/dev/null) from https://go.dev/dl/"

# --- Debian packages -------------------------------------------------------------------
missing=()
if [[ "$MODE" != assets ]]; then
  if ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
    missing+=(postgresql)
  fi
fi
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if [[ "$MODE" != assets ]]; then
  if [[ ! -x /usr/bin/chromium ]]; then
    # The server prints the annual reports to PDF with chromium, and the browser tests
    # drive it. Without recommends chromium has no fonts at all; text would render as
    # boxes in screenshots/PDFs and layout-dependent checks would be meaningless.
    missing+=(chromium fonts-dejavu-core fonts-liberation)
  fi
fi
if [[ "$MODE" == test ]]; then
  if ! command -v pdftotext >/dev/null 2>&1; then missing+=(poppler-utils); fi
fi

if ((${#missing[@]} > 0)); then
  if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    die "missing Debian packages: ${missing[*]}; run as root or install sudo, or install them yourself: apt-get install ${missing[*]}"
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "missing packages: ${missing[*]}, and apt-get is not available (this script supports Debian 12)"
  say "installing missing Debian packages: ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- npm packages ----------------------------------------------------------------------
cd "$REPO"
need_ci=0
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules ]] ||
   [[ ! -f node_modules/htmx.org/dist/htmx.min.js ]] || [[ ! -f node_modules/axe-core/axe.min.js ]]; then
  need_ci=1
fi
if ((need_ci)); then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules  # npm ci may keep an older mtime; mark it as current
fi

# --- vendored assets (embedded in the binary) ------------------------------------------
src=node_modules/htmx.org/dist/htmx.min.js
dst=web/static/vendor/htmx.min.js
mkdir -p "$(dirname "$dst")"
if ! cmp -s "$src" "$dst"; then
  cp "$src" "$dst"
  say "copied $src -> $dst"
fi
