#!/usr/bin/env bash
# run.sh — `make run`: install what is missing, start the local PostgreSQL cluster (unless
# DATABASE_URL is already set), build, migrate, load the demo data, and serve in the
# foreground. On exit or Ctrl-C the server is stopped, and the cluster too if this script
# started it.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"
cd "$REPO"
DB="$REPO/scripts/db.sh"

export HTTP_ADDR="${HTTP_ADDR:-127.0.0.1:8080}"
export BASE_URL="${BASE_URL:-http://$HTTP_ADDR}"

started_db=0
server_pid=""
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if ((started_db)); then "$DB" stop || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/deps.sh run

if [[ -n "${DATABASE_URL:-}" ]]; then
  echo "run: using DATABASE_URL from the environment; not starting the local cluster"
else
  if ! "$DB" status >/dev/null 2>&1; then started_db=1; fi
  "$DB" start
  DATABASE_URL="$("$DB" url)"
  export DATABASE_URL
fi

# Participants' identities are encrypted: serve needs IDENTITY_KEY and IDENTITY_INDEX_KEY.
# For development they are generated once into .data/identity.env (mode 0600) and kept, so
# that what was encrypted yesterday can still be read; keys set in the environment win.
keys="$REPO/.data/identity.env"
if [[ ! -f "$keys" ]]; then
  mkdir -p "$REPO/.data"
  (
    umask 077
    printf 'IDENTITY_KEY=%s\nIDENTITY_INDEX_KEY=%s\n' \
      "$(head -c 32 /dev/urandom | base64 -w0)" "$(head -c 32 /dev/urandom | base64 -w0)" >"$keys"
  )
  echo "run: generated development identity keys in $keys"
fi
while IFS='=' read -r name value; do
  [[ -n "${!name:-}" ]] || export "$name=$value"
done <"$keys"

echo "run: go build -o bin/iop ./cmd/iop"
go build -o bin/iop ./cmd/iop
bin/iop migrate up
bin/iop demo load

echo
echo "run: IOP is starting at http://$HTTP_ADDR  (Ctrl-C stops it)"
echo
# In the background so that INT/TERM reach our trap at once; the trap stops the server.
bin/iop serve &
server_pid=$!
rc=0
wait "$server_pid" || rc=$?
server_pid=""
exit "$rc"
